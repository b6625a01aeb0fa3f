package id.iklan.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.geo.IpRanges;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the configuration file. Every member is optional; an unknown member or a bad value stops
 * the server with a message naming it, because a silently ignored setting is worse than none.
 * Relative paths in the file are resolved against the file's own directory, except
 * {@code dataDir}, which is relative to the working directory like the {@code --data-dir} option.
 */
public final class ConfigLoader {
  /** Where the shipped defaults live in the jar (a copy of the repository's {@code config/}). */
  public static final String CLASSPATH_DEFAULTS = "iklan-defaults/";

  private static final Set<String> KNOWN = Set.of("port", "host", "dataDir", "rules",
      "publisherTimeZone", "publicBaseUrl", "adminToken", "secret", "trackingTokenTtl",
      "tmaxDefaultMs", "tmaxMaxMs", "corsOrigins", "geo", "eventLoops", "ruleHistoryDepth",
      "keywordCacheSize", "adCacheMegabytes", "postgresUrl", "redisUrl", "shared",
      "limits");
  private static final Set<String> SHARED_KNOWN = Set.of("flushIntervalMs", "refreshIntervalMs",
      "rulePollIntervalMs", "maxBufferedBeacons", "reportRetentionDays");
  private static final Set<String> GEO_KNOWN = Set.of("trustEdgeHeaders", "countryHeader",
      "regionHeader", "cityHeader", "ipDatabase", "trustedProxies", "ipCacheSize");
  private static final Set<String> LIMITS_KNOWN = Set.of("maxConnections", "requestTimeoutMs",
      "idleTimeoutSeconds", "maxInFlightPerLoop", "adminAuthFailuresPerMinute");

  private final ObjectMapper mapper;

  public ConfigLoader(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Reads a configuration file; relative rule paths are resolved against its directory. */
  public IklanConfig load(Path file) throws ConfigException {
    JsonNode root;
    try {
      root = mapper.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
    } catch (NumberFormatException e) { // Jackson's, unwrapped, for a number such as 1e9999999999
      throw new ConfigException("cannot read configuration " + file + ": it holds a number that "
          + "cannot be read (" + e.getMessage() + ")");
    }
    Path base = file.toAbsolutePath().getParent();
    return read(root, file.toString(), base);
  }

  /** Reads the defaults shipped in the jar; the rules path then names a classpath resource. */
  public IklanConfig loadShippedDefaults() throws ConfigException {
    try (InputStream in = ConfigLoader.class.getClassLoader()
        .getResourceAsStream(CLASSPATH_DEFAULTS + "iklan.json")) {
      if (in == null) {
        return IklanConfig.defaults();
      }
      return read(mapper.readTree(in), "built-in iklan.json", null);
    } catch (IOException e) {
      throw new ConfigException("cannot read built-in configuration: " + e.getMessage());
    }
  }

  IklanConfig read(JsonNode root, String source, Path base) throws ConfigException {
    if (root == null || !root.isObject()) {
      throw new ConfigException(source + ": must be a JSON object");
    }
    List<String> problems = new ArrayList<>();
    unknown(root, KNOWN, "", problems);
    IklanConfig d = IklanConfig.defaults();
    int port = integer(root, "port", d.port(), problems);
    String host = text(root, "host", d.host(), problems);
    String dataDir = text(root, "dataDir", null, problems);
    String rules = text(root, "rules", null, problems);
    ZoneId zone = d.publisherTimeZone();
    String zoneText = text(root, "publisherTimeZone", null, problems);
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText);
      } catch (RuntimeException e) {
        problems.add("publisherTimeZone: not a time zone id such as Asia/Jakarta: " + zoneText);
      }
    }
    URI publicBase = null;
    String baseText = text(root, "publicBaseUrl", null, problems);
    if (baseText != null) {
      try {
        publicBase = URI.create(baseText.endsWith("/")
            ? baseText.substring(0, baseText.length() - 1) : baseText);
        if (publicBase.getScheme() == null || publicBase.getHost() == null) {
          problems.add("publicBaseUrl: must be absolute, e.g. https://ads.example.id");
          publicBase = null;
        }
      } catch (IllegalArgumentException e) {
        problems.add("publicBaseUrl: not a URL: " + baseText);
      }
    }
    String adminToken = text(root, "adminToken", null, problems);
    String secret = text(root, "secret", null, problems);
    Duration ttl = d.trackingTokenTtl();
    String ttlText = text(root, "trackingTokenTtl", null, problems);
    if (ttlText != null) {
      try {
        ttl = Duration.parse(ttlText);
      } catch (RuntimeException e) {
        problems.add("trackingTokenTtl: must be an ISO-8601 duration such as PT24H");
      }
    }
    int tmaxDefault = integer(root, "tmaxDefaultMs", d.tmaxDefaultMs(), problems);
    int tmaxMax = integer(root, "tmaxMaxMs", d.tmaxMaxMs(), problems);
    List<String> origins = new ArrayList<>();
    JsonNode originsNode = root.get("corsOrigins");
    if (originsNode != null && !originsNode.isNull()) {
      if (!originsNode.isArray()) {
        problems.add("corsOrigins: must be a list of origins such as [\"https://news.example.id\"]");
      } else {
        originsNode.forEach(o -> origins.add(o.asText()));
      }
    }
    IklanConfig.GeoConfig geo = IklanConfig.GeoConfig.DEFAULT;
    JsonNode geoNode = root.get("geo");
    if (geoNode != null && !geoNode.isNull()) {
      if (!geoNode.isObject()) {
        problems.add("geo: must be an object");
      } else {
        unknown(geoNode, GEO_KNOWN, "geo.", problems);
        JsonNode trust = geoNode.get("trustEdgeHeaders");
        if (trust != null && !trust.isBoolean()) {
          problems.add("geo.trustEdgeHeaders: must be true or false");
        }
        String database = text(geoNode, "geo.", "ipDatabase", null, problems);
        Path databasePath = null;
        if (database != null && !database.isBlank()) {
          databasePath = base == null ? Path.of(database) : base.resolve(database);
        }
        List<String> proxies = new ArrayList<>();
        JsonNode proxiesNode = geoNode.get("trustedProxies");
        if (proxiesNode != null && !proxiesNode.isNull()) {
          if (!proxiesNode.isArray()) {
            problems.add("geo.trustedProxies: must be a list of IP addresses and CIDR ranges "
                + "such as [\"10.0.0.0/8\", \"192.0.2.10\"]");
          } else {
            proxiesNode.forEach(p -> proxies.add(p.asText()));
            try {
              IpRanges.parse(proxies);
            } catch (IllegalArgumentException e) {
              problems.add("geo.trustedProxies: " + e.getMessage());
              proxies.clear();
            }
          }
        }
        int ipCacheSize = integer(geoNode, "geo.", "ipCacheSize",
            IklanConfig.GeoConfig.DEFAULT_IP_CACHE_SIZE, problems);
        if (ipCacheSize < 0) {
          problems.add("geo.ipCacheSize: must be 0 or more");
          ipCacheSize = IklanConfig.GeoConfig.DEFAULT_IP_CACHE_SIZE;
        }
        geo = IklanConfig.GeoConfig.of(
            trust == null || !trust.isBoolean() ? null : trust.asBoolean(),
            text(geoNode, "geo.", "countryHeader", null, problems),
            text(geoNode, "geo.", "regionHeader", null, problems),
            text(geoNode, "geo.", "cityHeader", null, problems),
            databasePath, proxies, ipCacheSize);
      }
    }
    int eventLoops = integer(root, "eventLoops", d.eventLoops(), problems);
    int historyDepth = integer(root, "ruleHistoryDepth", d.ruleHistoryDepth(), problems);
    int keywordCacheSize = integer(root, "keywordCacheSize", d.keywordCacheSize(), problems);
    int adCacheMegabytes = integer(root, "adCacheMegabytes", d.adCacheMegabytes(), problems);
    IklanConfig.SharedConfig n = IklanConfig.SharedConfig.NONE;
    String postgresUrl = text(root, "postgresUrl", null, problems);
    String redisUrl = text(root, "redisUrl", null, problems);
    int flushMs = n.flushIntervalMs();
    int refreshMs = n.refreshIntervalMs();
    int pollMs = n.rulePollIntervalMs();
    int maxBeacons = n.maxBufferedBeacons();
    int retention = n.reportRetentionDays();
    JsonNode sharedNode = root.get("shared");
    if (sharedNode != null && !sharedNode.isNull()) {
      if (!sharedNode.isObject()) {
        problems.add("shared: must be an object");
      } else {
        unknown(sharedNode, SHARED_KNOWN, "shared.", problems);
        flushMs = integer(sharedNode, "shared.", "flushIntervalMs", flushMs, problems);
        refreshMs = integer(sharedNode, "shared.", "refreshIntervalMs", refreshMs, problems);
        pollMs = integer(sharedNode, "shared.", "rulePollIntervalMs", pollMs, problems);
        maxBeacons = integer(sharedNode, "shared.", "maxBufferedBeacons", maxBeacons, problems);
        retention = integer(sharedNode, "shared.", "reportRetentionDays", retention, problems);
      }
    }
    IklanConfig.SharedConfig shared = null;
    try {
      shared = new IklanConfig.SharedConfig(postgresUrl, redisUrl, flushMs, refreshMs, pollMs,
          maxBeacons, retention);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    IklanConfig.Limits limits = limits(root.get("limits"), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(source + ": " + String.join("; ", problems));
    }
    Path rulesPath = null;
    if (rules != null) {
      rulesPath = base == null ? Path.of(CLASSPATH_DEFAULTS + rules) : base.resolve(rules);
    }
    try {
      return new IklanConfig(port, host, dataDir == null ? d.dataDir() : Path.of(dataDir),
          rulesPath, zone, publicBase, adminToken, secret, ttl, tmaxDefault, tmaxMax, origins,
          geo, eventLoops, historyDepth, keywordCacheSize, adCacheMegabytes, shared, limits);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": " + e.getMessage());
    }
  }

  private static IklanConfig.Limits limits(JsonNode node, List<String> problems) {
    IklanConfig.Limits d = IklanConfig.Limits.DEFAULT;
    if (node == null || node.isNull()) {
      return d;
    }
    if (!node.isObject()) {
      problems.add("limits: must be an object");
      return d;
    }
    unknown(node, LIMITS_KNOWN, "limits.", problems);
    String[] names = {"maxConnections", "requestTimeoutMs", "idleTimeoutSeconds",
        "maxInFlightPerLoop", "adminAuthFailuresPerMinute"};
    int[] defaults = {d.maxConnections(), d.requestTimeoutMs(), d.idleTimeoutSeconds(),
        d.maxInFlightPerLoop(), d.adminAuthFailuresPerMinute()};
    int[] values = new int[names.length];
    boolean valid = true;
    for (int i = 0; i < names.length; i++) {
      values[i] = integer(node, "limits.", names[i], defaults[i], problems);
      int least = names[i].equals("adminAuthFailuresPerMinute") ? 0 : 1; // 0: not throttled
      if (values[i] < least) {
        problems.add("limits." + names[i] + ": must be a whole number of " + least
            + " or more (got " + values[i] + ")");
        valid = false;
      }
    }
    return valid ? new IklanConfig.Limits(values[0], values[1], values[2], values[3], values[4])
        : d;
  }

  private static void unknown(JsonNode node, Set<String> known, String prefix, List<String> out) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        out.add(prefix + name + ": unknown setting (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static int integer(JsonNode node, String field, int fallback, List<String> problems) {
    return integer(node, "", field, fallback, problems);
  }

  /** A whole-number setting; a wrong one is named with its section ({@code prefix}, "limits."). */
  private static int integer(JsonNode node, String prefix, String field, int fallback,
      List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problems.add(prefix + field + ": must be a whole number");
      return fallback;
    }
    return v.asInt();
  }

  private static String text(JsonNode node, String field, String fallback, List<String> problems) {
    return text(node, "", field, fallback, problems);
  }

  private static String text(JsonNode node, String prefix, String field, String fallback,
      List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      problems.add(prefix + field + ": must be text in quotes");
      return fallback;
    }
    return v.asText();
  }
}
