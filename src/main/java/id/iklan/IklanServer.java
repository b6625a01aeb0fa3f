package id.iklan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.admin.RuleAdmin;
import id.iklan.config.ConfigLoader;
import id.iklan.config.IklanConfig;
import id.iklan.context.Analyzers;
import id.iklan.context.Article;
import id.iklan.context.KeywordExtractor;
import id.iklan.delivery.DeliveryCounters;
import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.geo.IpLocator;
import id.iklan.http.AdFragments;
import id.iklan.http.AnswerBuffers;
import id.iklan.http.HttpVerticle;
import id.iklan.http.ServerContext;
import id.iklan.http.WarmUp;
import id.iklan.metrics.ServerMetrics;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSetReader;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.selection.Selector;
import id.iklan.shared.Health;
import id.iklan.shared.RedisCounters;
import id.iklan.shared.RuleFollower;
import id.iklan.store.FileRuleStore;
import id.iklan.store.PgRuleStore;
import id.iklan.store.RuleStore;
import id.iklan.store.RuleVersion;
import id.iklan.tracking.Secrets;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.Tracking;
import io.vertx.core.DeploymentOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Iklan server: the one place that wires the parts together. Blocking work (reading
 * config, secrets and the rule store, compiling the rules) happens here, before any event loop
 * serves a request.
 */
public final class IklanServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IklanServer.class);

  private final Vertx vertx;
  private final int port;
  private final RuleStore store;
  private final String adminToken;
  private final Tracking tracking;
  private final RedisCounters shared;
  private final RuleFollower follower;
  private final IpLocator ipLocator;

  private IklanServer(Vertx vertx, int port, RuleStore store, String adminToken,
      Tracking tracking, RedisCounters shared, RuleFollower follower, IpLocator ipLocator) {
    this.vertx = vertx;
    this.port = port;
    this.store = store;
    this.adminToken = adminToken;
    this.tracking = tracking;
    this.shared = shared;
    this.follower = follower;
    this.ipLocator = ipLocator;
  }

  /**
   * Starts a server and returns once it listens.
   *
   * @param env the environment ({@code IKLAN_ADMIN_TOKEN}, {@code IKLAN_SECRET},
   *     {@code IKLAN_POSTGRES_URL}, {@code IKLAN_REDIS_URL})
   */
  public static IklanServer start(IklanConfig config, Clock clock, Map<String, String> env)
      throws Exception {
    ObjectMapper mapper = JsonMapper.create();
    Path dataDir = config.dataDir();
    Files.createDirectories(dataDir);
    IklanConfig.SharedConfig sharedConfig = config.shared()
        .withUrls(env.get("IKLAN_POSTGRES_URL"), env.get("IKLAN_REDIS_URL"));
    Health health = new Health(LOG::warn);
    if ("root".equals(System.getProperty("user.name"))) {
      LOG.warn("running as root; run Iklan as its own unprivileged user (see SECURITY.md)");
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x reports HTTP requests by route, method and status code into the same registry.
    Vertx vertx = Vertx.builder()
        // epoll on Linux x86-64 and ARM64, else NIO: docs/design.md "Event loop transport"
        .with(new VertxOptions().setPreferNativeTransport(true)
            .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            // the PostgreSQL and Redis clients' own metrics would register duplicate gauges
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT) // only the warm-up's
            .addDisabledMetricsCategory("redis")
            .addDisabledMetricsCategory("sql")
            .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
                Label.POOL_TYPE, Label.POOL_NAME))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      RuleSetReader reader = new RuleSetReader(config.publisherTimeZone());
      FileRuleStore.Seed seed = () -> config.rules() == null ? null : readSeed(mapper, config.rules());
      RuleStore store;
      PgRuleStore pg = null;
      try {
        if (sharedConfig.postgresUrl() != null) {
          pg = PgRuleStore.open(vertx, sharedConfig.postgresUrl(), mapper, reader, clock, seed,
              config.ruleHistoryDepth(), LOG::warn, health.add("postgres"));
          store = pg;
          LOG.info("rules on PostgreSQL ({})", redact(sharedConfig.postgresUrl()));
        } else {
          store = FileRuleStore.open(dataDir, mapper, reader, clock, seed,
              config.ruleHistoryDepth(), LOG::warn);
        }
      } catch (InvalidRulesException e) {
        throw new IllegalStateException("the initial rules " + config.rules() + " are invalid:\n  "
            + String.join("\n  ", e.problems().stream().map(Object::toString).toList()));
      }
      opened.add(store);
      String adminToken = secret(env.get("IKLAN_ADMIN_TOKEN"), config.adminToken(), pg,
          dataDir.resolve("admin-token"), "admin-token");
      if (adminToken.length() < MIN_UNGUESSABLE_TOKEN) {
        // failed logins are not throttled by default (AdminThrottle): length is the defence
        LOG.warn("the admin token has only {} characters: one of {} random characters or more "
            + "cannot be guessed (SECURITY.md)", adminToken.length(), MIN_UNGUESSABLE_TOKEN);
      }
      String secret = secret(env.get("IKLAN_SECRET"), config.secret(), pg,
          dataDir.resolve("secret"), "secret");

      RedisCounters shared = null;
      DeliveryCounters counters;
      if (sharedConfig.redisUrl() != null) {
        shared = RedisCounters.start(vertx, sharedConfig.redisUrl(), clock, sharedConfig,
            health.add("redis"), LOG::warn);
        opened.add(0, shared);
        counters = shared;
        LOG.info("counters on Redis ({})", redact(sharedConfig.redisUrl()));
      } else {
        counters = new InMemoryDeliveryCounters();
      }
      RuleVersion version = store.current();
      counters.load(version.rules().campaigns().stream().map(c -> c.id()).toList());
      CompiledRules compiled = CompiledRules.compile(version.rules(), version.version(), counters);
      LiveRules live = new LiveRules(compiled);
      if (shared != null) {
        shared.follow(live);
      }
      warmUp(new Selector(config.publisherTimeZone()), compiled, mapper, clock);
      RedisCounters sharedMetrics = shared;
      ServerMetrics metrics = new ServerMetrics(
          () -> registry.scrape() + dependencyMetrics(health, sharedMetrics),
          () -> live.current().version(), () -> live.current().size());
      RuleAdmin admin = new RuleAdmin(store, reader, counters, live, mapper);
      KeywordExtractor keywords =
          new KeywordExtractor(Analyzers.shared(), config.keywordCacheSize());
      warmUpKeywords(compiled);
      metrics.registerCache("keywords", keywords::stats, keywords::size);
      IpLocator ipLocator = null;
      if (config.geo().ipDatabase() != null) {
        ipLocator = IpLocator.open(config.geo().ipDatabase(), config.geo().ipCacheSize());
        opened.add(ipLocator);
        // the first look-up loads the decoder; not on a reader's deadline
        ipLocator.locate(java.net.InetAddress.getLoopbackAddress());
        metrics.registerCache("ip", ipLocator::stats, ipLocator::size);
      }
      Tracking tracking;
      if (shared != null) {
        tracking = Tracking.shared(config.publisherTimeZone(), clock, shared, live,
            n -> store.version(n).map(RuleVersion::rules), Tracking.Settings.DEFAULTS, LOG::warn);
      } else {
        // Replays the event log into the counters before any request can be served.
        tracking = Tracking.open(dataDir, config.publisherTimeZone(), clock, counters, live,
            n -> store.version(n).map(RuleVersion::rules), LOG::warn);
        LOG.info("event log replayed: {}", tracking.replayed());
      }
      opened.add(0, tracking);
      AdFragments adFragments =
          new AdFragments(mapper.getFactory(), config.adCacheMegabytes() * (1L << 20));
      metrics.registerCache("ads", adFragments::stats, adFragments::size);
      AnswerBuffers answerBuffers = AnswerBuffers.pooled();
      metrics.registerGauge("iklan_answer_buffers_in_flight",
          "Ad answers being written, in pooled buffers (0 when idle; growing means a leak)",
          answerBuffers::inFlight);
      WarmUp warmUp = new WarmUp();
      ServerContext context = new ServerContext(config, mapper, live, keywords, ipLocator,
          new Selector(config.publisherTimeZone()), TokenSigner.fromText(secret), adminToken,
          metrics, admin, clock, tracking, health, shared, adFragments, answerBuffers, warmUp);

      int instances = config.eventLoops() > 0 ? config.eventLoops()
          : Runtime.getRuntime().availableProcessors();
      int port = deployFirst(vertx, context, config);
      if (instances > 1) {
        await(vertx.deployVerticle(
            () -> new HttpVerticle(context, config.host(), sharedPort(config)),
            new DeploymentOptions().setInstances(instances - 1)));
      }
      long warmUpStarted = System.nanoTime();
      String stoppedEarly = await(warmUp.run(vertx, loopbackFor(config.host()), port,
          2 * instances, WARM_UP_ROUNDS, WARM_UP_BUDGET_MS));
      long warmUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - warmUpStarted);
      if (stoppedEarly == null) {
        LOG.info("warmed up in {} ms", warmUpMs);
      } else {
        LOG.warn("the warm-up stopped early after {} ms ({}): the first requests may be slow",
            warmUpMs, stoppedEarly);
      }
      RuleFollower follower = pg == null ? null : RuleFollower.start(vertx, admin,
          sharedConfig.postgresUrl(), sharedConfig.rulePollIntervalMs());
      LOG.info("rules version {} loaded: {} campaigns", version.version(), compiled.size());
      LOG.info("{} event loops on {}", instances, transport(vertx));
      if (!vertx.isNativeTransportEnabled() && System.getProperty("os.name").equals("Linux")) {
        // musl images, a noexec temporary directory, an unsupported CPU: say why, once
        Throwable cause = vertx.unavailableNativeTransportCause();
        LOG.warn("epoll is unavailable, running on NIO (slower; docs/design.md, \"Event loop "
            + "transport\"): {}", cause == null ? "no reason given" : cause.toString());
      }
      return new IklanServer(vertx, port, store, adminToken, tracking, shared, follower,
          ipLocator);
    } catch (Exception e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      vertx.close();
      throw e;
    }
  }

  /**
   * A secret from the environment, else the configuration, else (with PostgreSQL) the one
   * shared by the deployment in PostgreSQL, else the data directory's file (generated once).
   */
  private static String secret(String environment, String configured, PgRuleStore pg, Path file,
      String name) throws IOException {
    if (pg != null && (environment == null || environment.isBlank())
        && (configured == null || configured.isBlank())) {
      String shared = pg.sharedSecret(name);
      Secrets.keepCopy(file, shared, "the deployment's " + name + " (PostgreSQL, table "
          + "iklan_secrets)", LOG::info);
      return shared;
    }
    return Secrets.resolve(environment, configured, file, LOG::info);
  }

  /** The dependencies' states, and the shared counters' own metrics, as Prometheus text. */
  private static String dependencyMetrics(Health health, RedisCounters shared) {
    Map<String, String> states = health.states();
    if (states.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(256)
        .append("# HELP iklan_dependency_up Whether a shared service answers (1) or not (0)\n")
        .append("# TYPE iklan_dependency_up gauge\n");
    states.forEach((name, state) -> out.append("iklan_dependency_up{dependency=\"").append(name)
        .append("\"} ").append(state.equals("UP") ? 1 : 0).append('\n'));
    if (shared != null) {
      out.append(shared.metricsText());
    }
    return out.toString();
  }

  /** A service URL without its password, for the log. */
  private static String redact(String url) {
    return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
  }

  /**
   * Deploys the first HTTP verticle and returns the port it bound. Instances share one listening
   * socket when they ask for the same port; port 0 would give each its own random port, so a
   * configured 0 is asked as -1, which Vert.x binds to one random port shared by all instances.
   */
  private static int deployFirst(Vertx vertx, ServerContext context, IklanConfig config)
      throws Exception {
    HttpVerticle first = new HttpVerticle(context, config.host(), sharedPort(config));
    await(vertx.deployVerticle(first));
    return first.actualPort();
  }

  /** Below this many characters a configured admin token is warned about at start. */
  private static final int MIN_UNGUESSABLE_TOKEN = 24;

  /** Rounds of the server's requests to itself at start ({@link WarmUp}). */
  private static final int WARM_UP_ROUNDS = 40;
  /** No warm-up round starts later; it ends within 10 s more, well under {@link #await}'s 30. */
  private static final long WARM_UP_BUDGET_MS = 10_000;

  /** Where the server reaches itself: its own address, or loopback when it listens on all. */
  private static String loopbackFor(String host) {
    if (host == null || host.isBlank() || host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    return host.equals("::") || host.equals("[::]") ? "::1" : host;
  }

  private static int sharedPort(IklanConfig config) {
    return config.port() == 0 ? -1 : config.port();
  }

  /**
   * Runs the decision path a few hundred times before the first real request, so the JIT and class
   * loading do not spend the first readers' deadlines. Uses {@link Selector#decide}, which counts
   * nothing.
   */
  private static void warmUp(Selector selector, CompiledRules rules, ObjectMapper mapper,
      Clock clock) throws IOException {
    byte[] sample = ("{\"page\":{\"url\":\"https://warm.up/\",\"section\":\"nasional\","
        + "\"keywords\":[\"rusia\"]},\"slots\":[{\"id\":\"a\",\"sizes\":[[300,250]]}]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var request = new id.iklan.selection.PageRequest(
        new id.iklan.selection.Page("https://warm.up/", "nasional", java.util.List.of("rusia"),
            id.iklan.selection.Location.of("ID", "JK", "Jakarta"),
            id.iklan.rules.DeviceType.MOBILE, null),
        java.util.List.of(
            new id.iklan.selection.Slot("a", java.util.List.of(new id.iklan.rules.Size(300, 250)),
                false),
            new id.iklan.selection.Slot("b", java.util.List.of(), true)));
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 500; i++) {
      mapper.readTree(sample);
      selector.decide(request, rules, clock.instant(), random);
    }
  }
  /**
   * Analyses a short article in both languages before the first real request: the first use of
   * Lucene's analyzers loads a few hundred classes and stop-word files, which would otherwise
   * spend a reader's deadline. Uses the matcher without the cache, so nothing is remembered.
   */
  private static void warmUpKeywords(CompiledRules rules) {
    KeywordExtractor cold = new KeywordExtractor(Analyzers.shared(), 0);
    String[] texts = {
        "Pemerintah menyatakan bahwa harga beras di pasar akan turun setelah panen raya.",
        "The government said that the price of rice at the market will fall after the harvest."};
    for (int i = 0; i < 200; i++) {
      for (String text : texts) {
        cold.analyse(new Article("https://warm.up/", "Kabar", text, null),
            rules.keywordMatcher());
      }
    }
  }

  /** Starts with the system clock and environment. */
  public static IklanServer start(IklanConfig config) throws Exception {
    return start(config, Clock.systemUTC(), System.getenv());
  }

  private static JsonNode readSeed(ObjectMapper mapper, Path rules) throws IOException {
    if (Files.exists(rules)) {
      return mapper.readTree(Files.readAllBytes(rules));
    }
    String resource = rules.toString().replace('\\', '/');
    if (resource.startsWith(ConfigLoader.CLASSPATH_DEFAULTS)) {
      try (InputStream in = IklanServer.class.getClassLoader().getResourceAsStream(resource)) {
        if (in != null) {
          return mapper.readTree(in);
        }
      }
    }
    throw new IOException("initial rules file not found: " + rules);
  }

  public int port() {
    return port;
  }

  /** The event loops' I/O transport: {@code epoll}, or {@code nio} where Netty has no epoll. */
  public String transport() {
    return transport(vertx);
  }

  private static String transport(Vertx vertx) {
    // epoll is the only native transport Iklan ships (pom.xml), so native means epoll
    return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
  }

  /** The admin token in force (for tests and the start-up message's caller). */
  public String adminToken() {
    return adminToken;
  }

  /** Stops listening and releases everything; waits up to 10 seconds. */
  @Override
  public void close() {
    try {
      if (follower != null) {
        follower.close();
      }
      if (shared != null) {
        // stop answering first, then send the last counts while Vert.x still runs
        for (String id : vertx.deploymentIDs()) {
          await(vertx.undeploy(id));
        }
        shared.close();
      }
      await(vertx.close());
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly", e);
    } finally {
      tracking.close(); // after the HTTP server: writes the last events to disk
      store.close();
      if (ipLocator != null) {
        try {
          ipLocator.close();
        } catch (IOException e) {
          LOG.warn("closing the IP database failed", e);
        }
      }
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
