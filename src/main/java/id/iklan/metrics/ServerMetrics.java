package id.iklan.metrics;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and decision latency of the ad endpoint, rendered as Prometheus text.
 *
 * <p>Latency is recorded in an HdrHistogram {@link Recorder}: recording is wait-free and
 * allocation-free on the request path, and each scrape swaps out an interval histogram that is
 * added to the running total, so percentiles cover the server's life without stalling writers.
 */
public final class ServerMetrics {
  private static final long MAX_TRACKED_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final LongAdder adRequests = new LongAdder();
  private final LongAdder adRequestsRejected = new LongAdder();
  private final LongAdder slotsRequested = new LongAdder();
  private final LongAdder slotsFilled = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final java.util.concurrent.atomic.AtomicInteger openConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private final LongAdder connectionsRefused = new LongAdder();
  private final LongAdder connectionsTimedOut = new LongAdder();
  private final LongAdder adminAuthFailures = new LongAdder();
  private final LongAdder adminAuthThrottled = new LongAdder();
  private final LongAdder internalErrors = new LongAdder();
  private final Recorder decisionNanos = new Recorder(MAX_TRACKED_NANOS, 3);
  private final Histogram total = new Histogram(MAX_TRACKED_NANOS, 3);
  private Histogram interval;
  private final Supplier<String> registry;
  private final LongSupplier ruleVersion;
  private final LongSupplier campaigns;
  private final List<CacheGauge> caches = new CopyOnWriteArrayList<>();
  private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

  /** A figure of another part of the server, read at each scrape. */
  private record Gauge(String name, String help, LongSupplier value) {}

  /** A cache of the server, read at each scrape. */
  private record CacheGauge(String name, Supplier<CacheStats> stats, LongSupplier entries) {}

  /**
   * @param registry the Prometheus text of the Micrometer registry that Vert.x reports HTTP
   *     requests into (by route, method and status), appended to these metrics
   */
  public ServerMetrics(Supplier<String> registry, LongSupplier ruleVersion,
      LongSupplier campaigns) {
    this.registry = registry;
    this.ruleVersion = ruleVersion;
    this.campaigns = campaigns;
  }

  /** One answered ad request: slots asked and filled, and the server time of the decision. */
  public void recordDecision(int requested, int filled, long nanos) {
    adRequests.increment();
    slotsRequested.add(requested);
    slotsFilled.add(filled);
    decisionNanos.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKED_NANOS));
  }

  /**
   * An ad request answered with no fill because it could not be decided within its deadline, or
   * because its event loop was overloaded.
   */
  public void recordShed(int requested) {
    adRequests.increment();
    slotsRequested.add(requested);
    shed.increment();
  }

  /**
   * Reports a Caffeine cache at each scrape: look-ups by result, evictions, entries and hit rate,
   * labelled {@code cache="<name>"}.
   */
  public void registerCache(String name, Supplier<CacheStats> stats, LongSupplier entries) {
    caches.add(new CacheGauge(name, stats, entries));
  }

  /** Reports {@code value} at each scrape as the gauge {@code name}. */
  public void registerGauge(String name, String help, LongSupplier value) {
    gauges.add(new Gauge(name, help, value));
  }

  /** An ad request refused with a 4xx problem. */
  public void recordRejected() {
    adRequestsRejected.increment();
  }

  /** A client connection opened; returns how many are open now, this one included. */
  public int connectionOpened() {
    return openConnections.incrementAndGet();
  }

  /** A client connection closed (for any reason). */
  public void connectionClosed() {
    openConnections.decrementAndGet();
  }

  /** A connection closed at once because {@code limits.maxConnections} were open. */
  public void connectionRefused() {
    connectionsRefused.increment();
  }

  /** A connection closed because its request did not arrive within {@code requestTimeoutMs}. */
  public void connectionTimedOut() {
    connectionsTimedOut.increment();
  }

  /** A request to an admin route, or an explain, with a missing or wrong token. */
  public void adminAuthFailed() {
    adminAuthFailures.increment();
  }

  /** An admin request refused with 429 because its address failed too often. */
  public void adminAuthThrottled() {
    adminAuthThrottled.increment();
  }

  /** A request answered {@code 500}: a bug, whose cause is in the log. */
  public void internalError() {
    internalErrors.increment();
  }

  /** The Prometheus text exposition of everything recorded so far. */
  public synchronized String scrape() {
    interval = decisionNanos.getIntervalHistogram(interval);
    total.add(interval);
    StringBuilder out = new StringBuilder(2048);
    counter(out, "iklan_ad_requests_total", "Ad requests answered", adRequests.sum());
    counter(out, "iklan_ad_requests_rejected_total", "Ad requests refused as invalid",
        adRequestsRejected.sum());
    counter(out, "iklan_ad_requests_shed_total",
        "Ad requests answered with no fill because their deadline passed", shed.sum());
    counter(out, "iklan_slots_requested_total", "Slots asked for", slotsRequested.sum());
    counter(out, "iklan_slots_filled_total", "Slots filled with an ad", slotsFilled.sum());
    long requested = slotsRequested.sum();
    gauge(out, "iklan_fill_rate", "Filled slots / requested slots since start",
        requested == 0 ? 0 : (double) slotsFilled.sum() / requested);
    gauge(out, "iklan_connections_open", "Client connections open now", openConnections.get());
    counter(out, "iklan_connections_refused_total",
        "Connections closed at once because limits.maxConnections were open",
        connectionsRefused.sum());
    counter(out, "iklan_connections_timed_out_total",
        "Connections closed because a request did not arrive within limits.requestTimeoutMs",
        connectionsTimedOut.sum());
    counter(out, "iklan_admin_auth_failures_total",
        "Admin requests and explains with a missing or wrong token", adminAuthFailures.sum());
    counter(out, "iklan_admin_auth_throttled_total",
        "Admin requests refused with 429 after too many failures from their address",
        adminAuthThrottled.sum());
    counter(out, "iklan_internal_errors_total",
        "Requests answered 500 (a server bug; the cause is in the log)", internalErrors.sum());
    gauge(out, "iklan_rule_version", "Version of the rules being served", ruleVersion.getAsLong());
    gauge(out, "iklan_campaigns", "Campaigns in the rules being served", campaigns.getAsLong());
    out.append("# HELP iklan_decision_latency_seconds Server time to decide a page, since start\n")
        .append("# TYPE iklan_decision_latency_seconds summary\n");
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      out.append("iklan_decision_latency_seconds{quantile=\"").append(q).append("\"} ")
          .append(seconds(total.getValueAtPercentile(q * 100))).append('\n');
    }
    out.append("iklan_decision_latency_seconds_max ").append(seconds(total.getMaxValue()))
        .append('\n');
    out.append("iklan_decision_latency_seconds_sum ")
        .append(seconds((long) (total.getMean() * total.getTotalCount()))).append('\n');
    out.append("iklan_decision_latency_seconds_count ").append(total.getTotalCount()).append('\n');
    for (Gauge g : gauges) {
      gauge(out, g.name(), g.help(), g.value().getAsLong());
    }
    if (!caches.isEmpty()) {
      scrapeCaches(out);
    }
    out.append(registry.get());
    return out.toString();
  }

  private void scrapeCaches(StringBuilder out) {
    List<CacheStats> stats = caches.stream().map(c -> c.stats().get()).toList();
    out.append("# HELP iklan_cache_requests_total Look-ups in the server's caches, by result\n")
        .append("# TYPE iklan_cache_requests_total counter\n");
    for (int i = 0; i < caches.size(); i++) {
      String cache = caches.get(i).name();
      out.append("iklan_cache_requests_total{cache=\"").append(cache)
          .append("\",result=\"hit\"} ").append(stats.get(i).hitCount()).append('\n');
      out.append("iklan_cache_requests_total{cache=\"").append(cache)
          .append("\",result=\"miss\"} ").append(stats.get(i).missCount()).append('\n');
    }
    out.append("# HELP iklan_cache_hit_rate Hits / look-ups since start (0 before any look-up)\n")
        .append("# TYPE iklan_cache_hit_rate gauge\n");
    for (int i = 0; i < caches.size(); i++) {
      long requests = stats.get(i).requestCount();
      double rate = requests == 0 ? 0 : (double) stats.get(i).hitCount() / requests;
      out.append("iklan_cache_hit_rate{cache=\"").append(caches.get(i).name()).append("\"} ")
          .append(rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate))
          .append('\n');
    }
    out.append("# HELP iklan_cache_evictions_total Entries evicted to keep the caches bounded\n")
        .append("# TYPE iklan_cache_evictions_total counter\n");
    for (int i = 0; i < caches.size(); i++) {
      out.append("iklan_cache_evictions_total{cache=\"").append(caches.get(i).name())
          .append("\"} ").append(stats.get(i).evictionCount()).append('\n');
    }
    out.append("# HELP iklan_cache_entries Entries in the caches now (estimate)\n")
        .append("# TYPE iklan_cache_entries gauge\n");
    for (CacheGauge cache : caches) {
      out.append("iklan_cache_entries{cache=\"").append(cache.name()).append("\"} ")
          .append(cache.entries().getAsLong()).append('\n');
    }
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.9f", nanos / 1e9);
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n")
        .append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value == Math.rint(value) && Math.abs(value) < 1e15
            ? Long.toString((long) value) : Double.toString(value)).append('\n');
  }
}
