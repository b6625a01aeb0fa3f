package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.tracking.TokenSigner;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code publicBaseUrl} configured, tracking links use it, not the request's Host (§2). */
final class PublicBaseUrlTest {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    server = TestServer.start(TestServer.with(TestServer.config(dir.resolve("data"), rules),
        URI.create("https://iklan.kabarkita.contoh.id"), List.of()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void ads_publicBaseUrlConfigured_linksUseIt() throws Exception {
    JsonNode ad = server.ads(Fixture.oneSlot("ekonomi", "kotak")).path("slots").path("kotak");

    assertThat(ad.path("clickUrl").asText())
        .startsWith("https://iklan.kabarkita.contoh.id/v1/click?t=");
    assertThat(ad.path("impressionUrl").asText())
        .startsWith("https://iklan.kabarkita.contoh.id/v1/imp?t=");
    assertThat(TokenSigner.fromText(TestServer.SECRET).verify(
        AdsEndpointTest.tokenOf(ad.path("clickUrl").asText()), TestServer.NOW.getEpochSecond())
        .campaignId()).isEqualTo("c-bank-tabungan");
  }
}
