package id.iklan.config;

import static java.util.Objects.requireNonNull;

import id.iklan.geo.IpRanges;
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
 * @param keywordCacheSize how many articles' extracted keywords to remember; 0 turns it off
 * @param adCacheMegabytes how much memory the encoded ad members may take; 0 turns it off
 * @param shared scale-out: rules on PostgreSQL and counters on Redis (both off by default)
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
    int keywordCacheSize,
    int adCacheMegabytes,
    SharedConfig shared,
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
    if (keywordCacheSize < 0) {
      throw new IllegalArgumentException("keywordCacheSize must be >= 0");
    }
    if (adCacheMegabytes < 0) {
      throw new IllegalArgumentException("adCacheMegabytes must be >= 0");
    }
    requireNonNull(shared, "shared");
    requireNonNull(limits, "limits");
    if (publicBaseUrl != null && (publicBaseUrl.getScheme() == null
        || publicBaseUrl.getHost() == null)) {
      throw new IllegalArgumentException("publicBaseUrl must be absolute, e.g. https://ads.example.id");
    }
    if (publicBaseUrl != null && !publicBaseUrl.toString().equals(publicBaseUrl.toASCIIString())) {
      // it is written into every tracking link; a link is ASCII
      throw new IllegalArgumentException("publicBaseUrl must be plain ASCII: write an "
          + "international domain name in its xn-- form and percent-encode other characters");
    }
  }

  /** The defaults: port 8080, ./data, Asia/Jakarta, no initial rules. */
  public static IklanConfig defaults() {
    return new IklanConfig(8080, "0.0.0.0", Path.of("data"), null, ZoneId.of("Asia/Jakarta"),
        null, null, null, Duration.ofHours(24), 100, 1000, List.of(), GeoConfig.DEFAULT, 0, 50,
        10_000, 64, SharedConfig.NONE, Limits.DEFAULT);
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
    private int keywordCacheSize;
    private int adCacheMegabytes;
    private SharedConfig shared;
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
      keywordCacheSize = c.keywordCacheSize;
      adCacheMegabytes = c.adCacheMegabytes;
      shared = c.shared;
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

    public Builder keywordCacheSize(int value) {
      keywordCacheSize = value;
      return this;
    }

    public Builder adCacheMegabytes(int value) {
      adCacheMegabytes = value;
      return this;
    }

    public Builder shared(SharedConfig value) {
      shared = value;
      return this;
    }

    public Builder limits(Limits value) {
      limits = value;
      return this;
    }

    public IklanConfig build() {
      return new IklanConfig(port, host, dataDir, rules, publisherTimeZone, publicBaseUrl,
          adminToken, secret, trackingTokenTtl, tmaxDefaultMs, tmaxMaxMs, corsOrigins, geo,
          eventLoops, ruleHistoryDepth, keywordCacheSize, adCacheMegabytes, shared, limits);
    }
  }

  /**
   * Where the reader's location comes from (SPEC §3): trusted CDN headers, by default; else the
   * client IP looked up in an IP database, when one is configured.
   *
   * @param trustEdgeHeaders whether to read the headers at all; turn off when no CDN sets them,
   *     or readers could claim any location
   * @param ipDatabase a MaxMind DB file ({@code .mmdb}: GeoLite2/GeoIP2 or DB-IP, country or
   *     city), or {@code null} for none
   * @param trustedProxies IP addresses and CIDR ranges of the proxies whose
   *     {@code X-Forwarded-For} is believed; empty: the socket peer is the client
   * @param ipCacheSize how many client addresses' locations to remember
   */
  public record GeoConfig(boolean trustEdgeHeaders, String countryHeader, String regionHeader,
      String cityHeader, Path ipDatabase, List<String> trustedProxies, int ipCacheSize) {
    public static final int DEFAULT_IP_CACHE_SIZE = 100_000;
    public static final GeoConfig DEFAULT = new GeoConfig(true, "X-Geo-Country", "X-Geo-Region",
        "X-Geo-City", null, List.of(), DEFAULT_IP_CACHE_SIZE);

    public GeoConfig {
      requireNonNull(countryHeader, "countryHeader");
      requireNonNull(regionHeader, "regionHeader");
      requireNonNull(cityHeader, "cityHeader");
      trustedProxies = List.copyOf(trustedProxies);
      IpRanges.parse(trustedProxies); // names the first entry that is not an address or range
      if (ipCacheSize < 0) {
        throw new IllegalArgumentException("geo.ipCacheSize must be >= 0");
      }
    }

    /** Headers only, no IP database. */
    public GeoConfig(
        boolean trustEdgeHeaders, String countryHeader, String regionHeader, String cityHeader) {
      this(trustEdgeHeaders, countryHeader, regionHeader, cityHeader, null, List.of(),
          DEFAULT_IP_CACHE_SIZE);
    }

    /** Fills absent (null) settings with the defaults. */
    public static GeoConfig of(Boolean trustEdgeHeaders, String countryHeader,
        String regionHeader, String cityHeader, Path ipDatabase, List<String> trustedProxies,
        Integer ipCacheSize) {
      return new GeoConfig(trustEdgeHeaders == null || trustEdgeHeaders,
          countryHeader == null ? DEFAULT.countryHeader() : countryHeader,
          regionHeader == null ? DEFAULT.regionHeader() : regionHeader,
          cityHeader == null ? DEFAULT.cityHeader() : cityHeader,
          ipDatabase,
          trustedProxies == null ? List.of() : trustedProxies,
          ipCacheSize == null ? DEFAULT_IP_CACHE_SIZE : ipCacheSize);
    }

    public GeoConfig withIpDatabase(Path value) {
      return new GeoConfig(trustEdgeHeaders, countryHeader, regionHeader, cityHeader, value,
          trustedProxies, ipCacheSize);
    }

    public GeoConfig withTrustedProxies(List<String> value) {
      return new GeoConfig(trustEdgeHeaders, countryHeader, regionHeader, cityHeader, ipDatabase,
          value, ipCacheSize);
    }

    public GeoConfig withTrustEdgeHeaders(boolean value) {
      return new GeoConfig(value, countryHeader, regionHeader, cityHeader, ipDatabase,
          trustedProxies, ipCacheSize);
    }
  }

  /**
   * Scale-out (docs/deployment.md): several servers given the same URLs form one deployment.
   * {@code IKLAN_POSTGRES_URL} and {@code IKLAN_REDIS_URL} override the URLs.
   *
   * @param postgresUrl {@code postgresql://user@host:port/database}: rules, versions and history
   *     on PostgreSQL; null keeps them in the data directory
   * @param redisUrl {@code redis://host:port/db}: served counts, frequency caps, beacon dedupe
   *     and report counters on Redis; null keeps them in this process (and its event log)
   * @param flushIntervalMs how often a server sends its batched counts to Redis
   * @param refreshIntervalMs how often a server reads the served counts of goal campaigns
   * @param rulePollIntervalMs how often a server checks PostgreSQL for a new rule version, in
   *     case a LISTEN/NOTIFY notification was lost
   * @param maxBufferedBeacons impressions and clicks kept for Redis while it is unreachable;
   *     past that, further ones are not counted (and counted in a metric)
   * @param reportRetentionDays how long a day of report counters is kept in Redis
   */
  public record SharedConfig(String postgresUrl, String redisUrl, int flushIntervalMs,
      int refreshIntervalMs, int rulePollIntervalMs, int maxBufferedBeacons,
      int reportRetentionDays) {
    public static final SharedConfig NONE =
        new SharedConfig(null, null, 100, 200, 1000, 200_000, 400);

    public SharedConfig {
      if (flushIntervalMs < 10 || flushIntervalMs > 1000) {
        throw new IllegalArgumentException("shared.flushIntervalMs must be 10..1000");
      }
      if (refreshIntervalMs < 10 || refreshIntervalMs > 1000) {
        throw new IllegalArgumentException("shared.refreshIntervalMs must be 10..1000");
      }
      if (rulePollIntervalMs < 100 || rulePollIntervalMs > 60_000) {
        throw new IllegalArgumentException("shared.rulePollIntervalMs must be 100..60000");
      }
      if (maxBufferedBeacons < 0) {
        throw new IllegalArgumentException("shared.maxBufferedBeacons must be >= 0");
      }
      if (reportRetentionDays < 1) {
        throw new IllegalArgumentException("shared.reportRetentionDays must be >= 1");
      }
      postgresUrl = blankToNull(postgresUrl);
      redisUrl = blankToNull(redisUrl);
      if (postgresUrl != null && !postgresUrl.startsWith("postgresql://")
          && !postgresUrl.startsWith("postgres://")) {
        throw new IllegalArgumentException(
            "postgresUrl must look like postgresql://user@host:5432/database");
      }
      if (redisUrl != null && !redisUrl.startsWith("redis://")) {
        throw new IllegalArgumentException("redisUrl must look like redis://host:6379/0");
      }
    }

    /** These settings with the URLs of the environment, where it sets them. */
    public SharedConfig withUrls(String postgres, String redis) {
      return new SharedConfig(blankToNull(postgres) != null ? postgres : postgresUrl,
          blankToNull(redis) != null ? redis : redisUrl, flushIntervalMs, refreshIntervalMs,
          rulePollIntervalMs, maxBufferedBeacons, reportRetentionDays);
    }

    public SharedConfig withIntervals(int flushMs, int refreshMs, int rulePollMs) {
      return new SharedConfig(postgresUrl, redisUrl, flushMs, refreshMs, rulePollMs,
          maxBufferedBeacons, reportRetentionDays);
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value.trim();
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
   *     per minute; beyond it every admin request from that address is refused with 429; 0 (the
   *     default) throttles nothing, so that a wrong token is always 401 and the right one always
   *     passes (SPEC §5), which a per-address throttle cannot promise behind a CDN
   */
  public record Limits(int maxConnections, int requestTimeoutMs, int idleTimeoutSeconds,
      int maxInFlightPerLoop, int adminAuthFailuresPerMinute) {
    public static final Limits DEFAULT = new Limits(10_000, 10_000, 60, 1_000, 0);

    public Limits {
      if (maxConnections < 1 || requestTimeoutMs < 1 || idleTimeoutSeconds < 1
          || maxInFlightPerLoop < 1) {
        throw new IllegalArgumentException("every limits setting must be 1 or more");
      }
      if (adminAuthFailuresPerMinute < 0) {
        throw new IllegalArgumentException("adminAuthFailuresPerMinute must be 0 or more");
      }
    }
  }
}
