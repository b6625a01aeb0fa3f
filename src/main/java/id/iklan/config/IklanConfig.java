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
 * @param ruleHistoryDepth how many rule versions the store keeps for rollback
 * @param limits protection against overload, slow clients and guessing of the admin token
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
    int eventLoops,
    int ruleHistoryDepth,
    Limits limits) {

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
    if (ruleHistoryDepth < 1) {
      throw new IllegalArgumentException("ruleHistoryDepth must be at least 1");
    }
    requireNonNull(limits, "limits");
    if (publicBaseUrl != null && (publicBaseUrl.getScheme() == null
        || publicBaseUrl.getHost() == null)) {
      throw new IllegalArgumentException("publicBaseUrl must be absolute, e.g. https://ads.example.id");
    }
  }

  /** The defaults: port 8080, ./data, Asia/Jakarta, no initial rules. */
  public static IklanConfig defaults() {
    return new IklanConfig(8080, "0.0.0.0", Path.of("data"), null, ZoneId.of("Asia/Jakarta"),
        null, null, null, Duration.ofHours(24), 100, 1000, List.of(), GeoConfig.DEFAULT, 0, 50, Limits.DEFAULT);
  }

  public static Builder builder() {
    return new Builder(defaults());
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public IklanConfig withPort(int value) {
    return toBuilder().port(value).build();
  }

  public IklanConfig withDataDir(Path value) {
    return toBuilder().dataDir(value).build();
  }

  public IklanConfig withRules(Path value) {
    return toBuilder().rules(value).build();
  }

  /** Sets what differs from a base configuration; {@link #build()} validates the whole. */
  public static final class Builder {
    private int port;
    private String host;
    private Path dataDir;
    private Path rules;
    private ZoneId publisherTimeZone;
    private URI publicBaseUrl;
    private String adminToken;
    private String secret;
    private Duration trackingTokenTtl;
    private int tmaxDefaultMs;
    private int tmaxMaxMs;
    private List<String> corsOrigins;
    private GeoConfig geo;
    private int eventLoops;
    private int ruleHistoryDepth;
    private Limits limits;

    private Builder(IklanConfig c) {
      port = c.port;
      host = c.host;
      dataDir = c.dataDir;
      rules = c.rules;
      publisherTimeZone = c.publisherTimeZone;
      publicBaseUrl = c.publicBaseUrl;
      adminToken = c.adminToken;
      secret = c.secret;
      trackingTokenTtl = c.trackingTokenTtl;
      tmaxDefaultMs = c.tmaxDefaultMs;
      tmaxMaxMs = c.tmaxMaxMs;
      corsOrigins = c.corsOrigins;
      geo = c.geo;
      eventLoops = c.eventLoops;
      ruleHistoryDepth = c.ruleHistoryDepth;
      limits = c.limits;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder rules(Path value) {
      rules = value;
      return this;
    }

    public Builder publisherTimeZone(ZoneId value) {
      publisherTimeZone = value;
      return this;
    }

    public Builder publicBaseUrl(URI value) {
      publicBaseUrl = value;
      return this;
    }

    public Builder adminToken(String value) {
      adminToken = value;
      return this;
    }

    public Builder secret(String value) {
      secret = value;
      return this;
    }

    public Builder trackingTokenTtl(Duration value) {
      trackingTokenTtl = value;
      return this;
    }

    public Builder tmax(int defaultMs, int maxMs) {
      tmaxDefaultMs = defaultMs;
      tmaxMaxMs = maxMs;
      return this;
    }

    public Builder corsOrigins(List<String> value) {
      corsOrigins = value;
      return this;
    }

    public Builder geo(GeoConfig value) {
      geo = value;
      return this;
    }

    public Builder eventLoops(int value) {
      eventLoops = value;
      return this;
    }

    public Builder ruleHistoryDepth(int value) {
      ruleHistoryDepth = value;
      return this;
    }

    public Builder limits(Limits value) {
      limits = value;
      return this;
    }

    public IklanConfig build() {
      return new IklanConfig(port, host, dataDir, rules, publisherTimeZone, publicBaseUrl,
          adminToken, secret, trackingTokenTtl, tmaxDefaultMs, tmaxMaxMs, corsOrigins, geo,
          eventLoops, ruleHistoryDepth, limits);
    }
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

  /**
   * Protection against overload, slow clients and token guessing (SPEC §7; docs/configuration.md).
   *
   * @param maxConnections open client connections the server accepts at once, over all event
   *     loops; a connection beyond it is closed at once
   * @param requestTimeoutMs a request head must be complete within this long of its first
   *     byte, and a public endpoint's body within this long of its head; else the connection is
   *     closed
   * @param idleTimeoutSeconds a connection with no traffic either way for this long is closed
   * @param maxInFlightPerLoop requests one event loop holds at once (read but not answered);
   *     an ad request beyond it is answered at once with no fill and counted as shed
   * @param adminAuthFailuresPerMinute failed admin authentications one client address may make
   *     per minute; beyond it every admin request from that address is refused with 429
   */
  public record Limits(int maxConnections, int requestTimeoutMs, int idleTimeoutSeconds,
      int maxInFlightPerLoop, int adminAuthFailuresPerMinute) {
    public static final Limits DEFAULT = new Limits(10_000, 10_000, 60, 1_000, 10);

    public Limits {
      if (maxConnections < 1 || requestTimeoutMs < 1 || idleTimeoutSeconds < 1
          || maxInFlightPerLoop < 1 || adminAuthFailuresPerMinute < 1) {
        throw new IllegalArgumentException("every limits setting must be 1 or more");
      }
    }
  }
}
