package id.iklan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.admin.RuleAdmin;
import id.iklan.config.ConfigLoader;
import id.iklan.config.IklanConfig;
import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.http.HttpVerticle;
import id.iklan.http.ServerContext;
import id.iklan.metrics.ServerMetrics;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSetReader;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.selection.Selector;
import id.iklan.store.FileRuleStore;
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
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
  private final FileRuleStore store;
  private final String adminToken;
  private final Tracking tracking;

  private IklanServer(Vertx vertx, int port, FileRuleStore store, String adminToken,
      Tracking tracking) {
    this.vertx = vertx;
    this.port = port;
    this.store = store;
    this.adminToken = adminToken;
    this.tracking = tracking;
  }

  /**
   * Starts a server and returns once it listens.
   *
   * @param env the environment ({@code IKLAN_ADMIN_TOKEN}, {@code IKLAN_SECRET})
   */
  public static IklanServer start(IklanConfig config, Clock clock, Map<String, String> env)
      throws Exception {
    ObjectMapper mapper = JsonMapper.create();
    Path dataDir = config.dataDir();
    Files.createDirectories(dataDir);
    String adminToken = Secrets.resolve(env.get("IKLAN_ADMIN_TOKEN"), config.adminToken(),
        dataDir.resolve("admin-token"), LOG::info);
    String secret = Secrets.resolve(env.get("IKLAN_SECRET"), config.secret(),
        dataDir.resolve("secret"), LOG::info);

    if ("root".equals(System.getProperty("user.name"))) {
      LOG.warn("running as root; run Iklan as its own unprivileged user (see SECURITY.md)");
    }

    RuleSetReader reader = new RuleSetReader(config.publisherTimeZone());
    FileRuleStore store;
    try {
      store = FileRuleStore.open(dataDir, mapper, reader, clock,
          () -> config.rules() == null ? null : readSeed(mapper, config.rules()),
          config.ruleHistoryDepth(), LOG::warn);
    } catch (InvalidRulesException e) {
      throw new IllegalStateException("the initial rules " + config.rules() + " are invalid:\n  "
          + String.join("\n  ", e.problems().stream().map(Object::toString).toList()));
    }
    RuleVersion version = store.current();
    InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();
    CompiledRules compiled = CompiledRules.compile(version.rules(), version.version(), counters);
    LiveRules live = new LiveRules(compiled);
    warmUp(new Selector(config.publisherTimeZone()), compiled, mapper, clock);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMetrics metrics = new ServerMetrics(registry::scrape, () -> live.current().version(),
        () -> live.current().size());
    RuleAdmin admin = new RuleAdmin(store, reader, counters, live, mapper);
    // Replays the event log into the counters before any request can be served.
    Tracking tracking = Tracking.open(dataDir, config.publisherTimeZone(), clock, counters, live,
        n -> store.version(n).map(RuleVersion::rules), LOG::warn);
    LOG.info("event log replayed: {}", tracking.replayed());
    ServerContext context = new ServerContext(config, mapper, live,
        new Selector(config.publisherTimeZone()), TokenSigner.fromText(secret), adminToken,
        metrics, admin, clock, tracking);

    // Vert.x reports HTTP requests by route, method and status code into the same registry.
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    try {
      int instances = config.eventLoops() > 0 ? config.eventLoops()
          : Runtime.getRuntime().availableProcessors();
      int port = deployFirst(vertx, context, config);
      if (instances > 1) {
        await(vertx.deployVerticle(
            () -> new HttpVerticle(context, config.host(), sharedPort(config)),
            new DeploymentOptions().setInstances(instances - 1)));
      }
      LOG.info("rules version {} loaded: {} campaigns", version.version(), compiled.size());
      return new IklanServer(vertx, port, store, adminToken, tracking);
    } catch (Exception e) {
      vertx.close();
      tracking.close();
      throw e;
    }
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

  /** The admin token in force (for tests and the start-up message's caller). */
  public String adminToken() {
    return adminToken;
  }

  /** Stops listening and releases everything; waits up to 10 seconds. */
  @Override
  public void close() {
    try {
      await(vertx.close());
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly", e);
    } finally {
      tracking.close(); // after the HTTP server: writes the last events to disk
      store.close();
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
