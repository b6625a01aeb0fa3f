package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.config.IklanConfig;
import id.iklan.geo.GeoFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3.2 against the real server: without edge headers the client IP is looked up in the IP
 * database (a MaxMind DB the test writes itself, see {@link GeoFixture}); X-Forwarded-For counts
 * only when the socket peer is a configured trusted proxy; edge headers still win.
 *
 * <p>The tests' socket peer is 127.0.0.1, which the fixture places in Semarang, Central Java
 * (ID-JT): the {@code daerah} section then goes to the country-wide campaign c-geo-indonesia,
 * while Bandung (203.0.113.x) gets c-geo-bandung and an unknown location the untargeted
 * c-geo-semua.
 */
final class IpGeolocationTest {
  @TempDir static Path dir;
  static TestServer direct;
  static TestServer behindProxy;
  static TestServer noDatabase;

  @BeforeAll
  static void start() throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    Path database = GeoFixture.write(dir.resolve("test-city.mmdb"), 6);
    direct = TestServer.start(withGeo(TestServer.config(dir.resolve("data-1"), rules),
        IklanConfig.GeoConfig.DEFAULT.withIpDatabase(database)));
    behindProxy = TestServer.start(withGeo(TestServer.config(dir.resolve("data-2"), rules),
        IklanConfig.GeoConfig.DEFAULT.withIpDatabase(database)
            .withTrustedProxies(List.of("127.0.0.0/8", "10.0.0.0/8"))));
    noDatabase = TestServer.start(TestServer.config(dir.resolve("data-3"), rules));
  }

  @AfterAll
  static void stop() {
    for (TestServer server : new TestServer[] {direct, behindProxy, noDatabase}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static IklanConfig withGeo(IklanConfig c, IklanConfig.GeoConfig geo) {
    return c.toBuilder().geo(geo).build();
  }

  private static String winner(TestServer server, String... headers) {
    var ad = server.ads(Fixture.oneSlot("daerah", "kotak"), headers).path("slots").path("kotak");
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }

  @Test void ads_noHeaders_peerAddressIsLookedUp() {
    assertThat(winner(direct)).isEqualTo("c-geo-indonesia");
  }

  @Test void ads_ipInTheDatabase_resolvesToCountryRegionAndCity() {
    // through a trusted proxy, the client 203.0.113.7 is in Bandung, West Java, Indonesia
    assertThat(winner(behindProxy, "X-Forwarded-For", "203.0.113.7")).isEqualTo("c-geo-bandung");
  }

  @Test void ads_forwardedForFromAnUntrustedPeer_isIgnored() {
    assertThat(winner(direct, "X-Forwarded-For", "203.0.113.7")).isEqualTo("c-geo-indonesia");
  }

  @Test void ads_forwardedForSpoofedBeforeTheProxy_isIgnored() {
    // the reader wrote 203.0.113.7 itself; the trusted proxy appended 198.51.100.9 (Indonesia)
    assertThat(winner(behindProxy, "X-Forwarded-For", "203.0.113.7, 198.51.100.9"))
        .isEqualTo("c-geo-indonesia");
  }

  @Test void ads_clientNotInTheDatabase_isUnknown() {
    assertThat(winner(behindProxy, "X-Forwarded-For", "192.0.2.200")).isEqualTo("c-geo-semua");
  }

  @Test void ads_edgeHeaders_stillWinOverTheIpDatabase() {
    assertThat(winner(behindProxy, "X-Forwarded-For", "198.51.100.9", "X-Geo-Country", "ID",
        "X-Geo-Region", "JB", "X-Geo-City", "Bandung")).isEqualTo("c-geo-bandung");
  }

  @Test void ads_noDatabaseAndNoHeaders_geoIsUnknown() {
    assertThat(winner(noDatabase)).isEqualTo("c-geo-semua");
    assertThat(winner(noDatabase, "X-Forwarded-For", "203.0.113.7")).isEqualTo("c-geo-semua");
  }

  @Test void metrics_ipCache_isReported() {
    winner(direct);
    winner(direct);

    String metrics = direct.get("/metrics").body();

    assertThat(metrics).contains("iklan_cache_requests_total{cache=\"ip\",result=\"hit\"}",
        "iklan_cache_hit_rate{cache=\"ip\"}");
    assertThat(noDatabase.get("/metrics").body()).doesNotContain("cache=\"ip\"");
  }
}
