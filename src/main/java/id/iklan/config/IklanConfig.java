package id.iklan.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * Server configuration, read from {@code config/iklan.json} (see {@link ConfigLoader}); every
 * member is optional and has the default documented in {@code docs/configuration.md}.
 *
 * @param port HTTP port; 0 picks a free one (printed at start)
 * @param host address to listen on
 * @param dataDir where rules versions, secrets and counters are kept
 * @param rules the rule file loaded into an empty data directory
 * @param publisherTimeZone zone of schedules, days in reports and times without offset
 * @param publicBaseUrl base of tracking URLs; absent: the request's scheme and Host
 * @param adminToken bearer token of the admin API ({@code IKLAN_ADMIN_TOKEN} overrides)
 * @param secret HMAC secret of tracking tokens ({@code IKLAN_SECRET} overrides)
 * @param trackingTokenTtl how long impression and click URLs stay valid
 * @param tmaxDefaultMs deadline of an ad request that does not carry {@code tmax}
 * @param tmaxMaxMs the largest {@code tmax} a request may ask for
 * @param corsOrigins origins allowed to call the public endpoints; empty or "*" means any
 * @param geo where the reader's location comes from
 * @param eventLoops HTTP event-loop verticles; 0 means one per core
 */
public record IklanConfig(
    int port,
    String host,
    Path dataDir,
    Path rules,
    ZoneId publisherTimeZone,
    URI publicBaseUrl,
    String adminToken,
    String secret,
    Duration trackingTokenTtl,
    int tmaxDefaultMs,
    int tmaxMaxMs,
    List<String> corsOrigins,
    GeoConfig geo,
    int eventLoops) {

  public IklanConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    requireNonNull(host, "host");
    requireNonNull(dataDir, "dataDir");
    requireNonNull(publisherTimeZone, "publisherTimeZone");
    requireNonNull(trackingTokenTtl, "trackingTokenTtl");
    if (trackingTokenTtl.isNegative() || trackingTokenTtl.isZero()) {
      throw new IllegalArgumentException("trackingTokenTtl must be positive");
    }
    if (tmaxDefaultMs < 1 || tmaxMaxMs < tmaxDefaultMs) {
      throw new IllegalArgumentException("tmaxDefaultMs must be >= 1 and <= tmaxMaxMs");
    }
    corsOrigins = List.copyOf(corsOrigins);
    requireNonNull(geo, "geo");
    if (eventLoops < 0) {
      throw new IllegalArgumentException("eventLoops must be >= 0");
    }
    if (publicBaseUrl != null && (publicBaseUrl.getScheme() == null
        || publicBaseUrl.getHost() == null)) {
      throw new IllegalArgumentException("publicBaseUrl must be absolute, e.g. https://ads.example.id");
    }
  }

  /** The defaults, with rules read from {@code rules} (may be null: no initial rules). */
  public static IklanConfig defaults() {
    return new IklanConfig(8080, "0.0.0.0", Path.of("data"), null, ZoneId.of("Asia/Jakarta"),
        null, null, null, Duration.ofHours(24), 100, 1000, List.of(), GeoConfig.DEFAULT, 0);
  }

  public IklanConfig withPort(int value) {
    return new IklanConfig(value, host, dataDir, rules, publisherTimeZone, publicBaseUrl,
        adminToken, secret, trackingTokenTtl, tmaxDefaultMs, tmaxMaxMs, corsOrigins, geo,
        eventLoops);
  }

  public IklanConfig withDataDir(Path value) {
    return new IklanConfig(port, host, value, rules, publisherTimeZone, publicBaseUrl,
        adminToken, secret, trackingTokenTtl, tmaxDefaultMs, tmaxMaxMs, corsOrigins, geo,
        eventLoops);
  }

  public IklanConfig withRules(Path value) {
    return new IklanConfig(port, host, dataDir, value, publisherTimeZone, publicBaseUrl,
        adminToken, secret, trackingTokenTtl, tmaxDefaultMs, tmaxMaxMs, corsOrigins, geo,
        eventLoops);
  }

  public IklanConfig withSecrets(String newAdminToken, String newSecret) {
    return new IklanConfig(port, host, dataDir, rules, publisherTimeZone, publicBaseUrl,
        newAdminToken, newSecret, trackingTokenTtl, tmaxDefaultMs, tmaxMaxMs, corsOrigins, geo,
        eventLoops);
  }

  /**
   * Where the reader's location comes from (SPEC §3): trusted CDN headers, by default.
   *
   * @param trustEdgeHeaders whether to read the headers at all; turn off when no CDN sets them,
   *     or readers could claim any location
   */
  public record GeoConfig(boolean trustEdgeHeaders, String countryHeader, String regionHeader,
      String cityHeader) {
    public static final GeoConfig DEFAULT =
        new GeoConfig(true, "X-Geo-Country", "X-Geo-Region", "X-Geo-City");

    /** Fills absent (null) settings with the defaults. */
    public GeoConfig(
        Boolean trustEdgeHeaders, String countryHeader, String regionHeader, String cityHeader) {
      this(trustEdgeHeaders == null || trustEdgeHeaders,
          countryHeader == null ? "X-Geo-Country" : countryHeader,
          regionHeader == null ? "X-Geo-Region" : regionHeader,
          cityHeader == null ? "X-Geo-City" : cityHeader);
    }
  }
}
