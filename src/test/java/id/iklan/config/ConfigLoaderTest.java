package id.iklan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.iklan.JsonMapper;
import org.assertj.core.api.AbstractThrowableAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(JsonMapper.create());
  @TempDir Path dir;

  @Test
  void load_shippedConfig_isValidAndPointsAtTheDemoRules() throws Exception {
    IklanConfig config = loader.load(Path.of("config/iklan.json"));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.publisherTimeZone()).isEqualTo(ZoneId.of("Asia/Jakarta"));
    assertThat(config.rules()).exists().hasFileName("demo-rules.json");
    assertThat(config.geo().trustEdgeHeaders()).isTrue();
  }

  @Test
  void load_emptyObject_givesDefaults() throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, "{}");

    IklanConfig config = loader.load(file);

    assertThat(config).isEqualTo(IklanConfig.defaults());
  }

  @Test
  void load_unknownSetting_namesIt() throws Exception {
    assertRefused("{\"prot\": 80}")
        .hasMessageContaining("prot").hasMessageContaining("unknown setting");
  }

  @Test
  void load_publicBaseUrlNotAscii_isRefusedSayingHowToWriteIt() throws Exception {
    assertRefused("{\"publicBaseUrl\": \"https://iklan.berita.id/jalur-\u00e9\"}")
        .hasMessageContaining("publicBaseUrl").hasMessageContaining("ASCII");
  }

  @Test
  void load_numberNoDecimalCanHold_isAConfigErrorNotACrash() throws Exception {
    assertRefused("{\"tmaxDefaultMs\": 1e9999999999}")
        .hasMessageContaining("number that cannot be read");
  }

  @Test
  void load_badValues_namesEachOne() throws Exception {
    assertRefused("{\"port\": \"x\", \"publisherTimeZone\": \"Mars/Olympus\","
        + " \"geo\": {\"trustEdgeHeaders\": \"yes\"}}")
        .hasMessageContaining("port").hasMessageContaining("publisherTimeZone")
        .hasMessageContaining("geo.trustEdgeHeaders");
  }

  @Test
  void load_limits_someSetOthersDefault() throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, "{\"limits\": {\"maxConnections\": 500, \"requestTimeoutMs\": 2000}}");

    IklanConfig.Limits limits = loader.load(file).limits();

    assertThat(limits).isEqualTo(new IklanConfig.Limits(500, 2000,
        IklanConfig.Limits.DEFAULT.idleTimeoutSeconds(),
        IklanConfig.Limits.DEFAULT.maxInFlightPerLoop(),
        IklanConfig.Limits.DEFAULT.adminAuthFailuresPerMinute()));
  }

  @Test
  void load_badLimits_areRefusedNamingThem() throws Exception {
    assertRefused("{\"limits\": {\"maxConections\": 5}}")
        .hasMessageContaining("limits.maxConections").hasMessageContaining("unknown setting");
    assertRefused("{\"limits\": {\"requestTimeoutMs\": 0}}")
        .hasMessageContaining("limits.requestTimeoutMs");
    assertRefused("{\"limits\": {\"requestTimeoutMs\": 0, \"maxConnections\": -1}}")
        .as("every bad limit is named, not only the first")
        .hasMessageContaining("limits.requestTimeoutMs")
        .hasMessageContaining("limits.maxConnections");
    assertRefused("{\"limits\": {\"adminAuthFailuresPerMinute\": -1}}")
        .hasMessageContaining("limits.adminAuthFailuresPerMinute: must be a whole number of 0");
  }

  @Test
  void load_adminThrottle_isOffByDefault_andZeroIsAccepted() throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, "{\"limits\": {\"adminAuthFailuresPerMinute\": 0}}");

    assertThat(loader.load(file).limits().adminAuthFailuresPerMinute()).isZero();
    assertThat(IklanConfig.Limits.DEFAULT.adminAuthFailuresPerMinute()).isZero();
  }

  @Test
  void load_wrongKindOfValueInASection_isNamedWithTheSection() throws Exception {
    assertRefused("{\"limits\": {\"requestTimeoutMs\": \"5s\"}}")
        .hasMessageContaining("limits.requestTimeoutMs: must be a whole number");
    assertRefused("{\"shared\": {\"flushIntervalMs\": 1.5}}")
        .hasMessageContaining("shared.flushIntervalMs: must be a whole number");
    assertRefused("{\"geo\": {\"ipCacheSize\": \"banyak\"}}")
        .hasMessageContaining("geo.ipCacheSize: must be a whole number");
    assertRefused("{\"geo\": {\"countryHeader\": 7}}")
        .hasMessageContaining("geo.countryHeader: must be text in quotes");
  }

  @Test
  void load_relativeRulesPath_resolvesAgainstTheConfigDirectory() throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, "{\"rules\": \"my-rules.json\", \"geo\": {\"trustEdgeHeaders\": false}}");

    IklanConfig config = loader.load(file);

    assertThat(config.rules()).isEqualTo(dir.toAbsolutePath().resolve("my-rules.json"));
    assertThat(config.geo().trustEdgeHeaders()).isFalse();
  }

  @Test
  void loadShippedDefaults_fromTheJar_pointsAtTheBuiltInDemoRules() throws Exception {
    IklanConfig config = loader.loadShippedDefaults();

    assertThat(config.rules().toString().replace('\\', '/'))
        .isEqualTo(ConfigLoader.CLASSPATH_DEFAULTS + "demo-rules.json");
    assertThat(getClass().getClassLoader()
        .getResource(ConfigLoader.CLASSPATH_DEFAULTS + "demo-rules.json")).isNotNull();
  }

  @Test
  void load_ipGeolocation_readsDatabaseProxiesAndCacheSizes() throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, """
        {"keywordCacheSize": 500, "adCacheMegabytes": 3,
         "geo": {"ipDatabase": "GeoLite2-City.mmdb", "trustedProxies": ["10.0.0.0/8", "192.0.2.10",
                 "2001:db8::/32"], "ipCacheSize": 1000}}
        """);

    IklanConfig config = loader.load(file);

    assertThat(config.geo().ipDatabase())
        .isEqualTo(dir.toAbsolutePath().resolve("GeoLite2-City.mmdb"));
    assertThat(config.geo().trustedProxies())
        .containsExactly("10.0.0.0/8", "192.0.2.10", "2001:db8::/32");
    assertThat(config.geo().ipCacheSize()).isEqualTo(1000);
    assertThat(config.adCacheMegabytes()).isEqualTo(3);
    assertThat(config.geo().trustEdgeHeaders()).isTrue();
    assertThat(config.keywordCacheSize()).isEqualTo(500);
  }

  @Test
  void load_absoluteIpDatabase_isKept() throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, "{\"geo\": {\"ipDatabase\": \"/var/lib/GeoIP/GeoLite2-City.mmdb\"}}");

    assertThat(loader.load(file).geo().ipDatabase())
        .isEqualTo(Path.of("/var/lib/GeoIP/GeoLite2-City.mmdb"));
  }

  @Test
  void load_badTrustedProxy_namesIt() throws Exception {
    assertRefused("{\"geo\": {\"trustedProxies\": [\"10.0.0.0/8\", \"lb.internal\"]}}")
        .hasMessageContaining("geo.trustedProxies").hasMessageContaining("lb.internal");
  }

  @Test
  void defaults_noIpDatabaseAndNoTrustedProxies() {
    assertThat(IklanConfig.defaults().geo().ipDatabase()).isNull();
    assertThat(IklanConfig.defaults().geo().trustedProxies()).isEmpty();
  }

  /** The loader's answer to a config file holding {@code json}: refused, with its message. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String json)
      throws Exception {
    Path file = dir.resolve("iklan.json");
    Files.writeString(file, json);
    return assertThatThrownBy(() -> loader.load(file)).isInstanceOf(ConfigException.class);
  }
}
