package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.config.IklanConfig;
import id.iklan.config.IklanConfig.GeoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge headers are configuration (SPEC §3): their names can change, and a deployment without
 * a CDN turns trusting them off, so that readers cannot claim any location.
 */
final class GeoHeadersConfigTest {
  @TempDir static Path dir;
  static TestServer untrusted;
  static TestServer renamed;

  @BeforeAll
  static void start() throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    untrusted = TestServer.start(withGeo(TestServer.config(dir.resolve("data-1"), rules),
        new GeoConfig(false, "X-Geo-Country", "X-Geo-Region", "X-Geo-City")));
    renamed = TestServer.start(withGeo(TestServer.config(dir.resolve("data-2"), rules),
        new GeoConfig(true, "CloudFront-Viewer-Country", "CloudFront-Viewer-Country-Region",
            "CloudFront-Viewer-City")));
  }

  @AfterAll
  static void stop() {
    if (untrusted != null) {
      untrusted.close();
    }
    if (renamed != null) {
      renamed.close();
    }
  }

  private static IklanConfig withGeo(IklanConfig c, GeoConfig geo) {
    return c.toBuilder().geo(geo).build();
  }

  private static String winner(TestServer server, String... headers) {
    var ad = server.ads(Fixture.oneSlot("daerah", "kotak"), headers).path("slots").path("kotak");
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }

  @Test
  void ads_edgeHeadersNotTrusted_locationIsUnknown() {
    assertThat(winner(untrusted, "X-Geo-Country", "ID", "X-Geo-Region", "ID-JB",
        "X-Geo-City", "Bandung")).isEqualTo("c-geo-semua");
  }

  @Test
  void ads_renamedHeaders_areRead() {
    assertThat(winner(renamed, "CloudFront-Viewer-Country", "ID",
        "CloudFront-Viewer-Country-Region", "JB", "CloudFront-Viewer-City", "Bandung"))
        .isEqualTo("c-geo-bandung");
  }

  @Test
  void ads_renamedHeaders_defaultNamesAreIgnored() {
    assertThat(winner(renamed, "X-Geo-Country", "ID", "X-Geo-Region", "ID-JB"))
        .isEqualTo("c-geo-semua");
  }

  @Test
  void dataDirectories_areSeparate() {
    assertThat(Files.exists(dir.resolve("data-1"))).isTrue();
    assertThat(Files.exists(dir.resolve("data-2"))).isTrue();
  }
}
