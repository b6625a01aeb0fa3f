package id.iklan.shared;

import id.iklan.config.IklanConfig;
import id.iklan.delivery.DeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.Status;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.tracking.BeaconKind;
import id.iklan.tracking.Reports;
import id.iklan.tracking.SharedTracking;
import id.iklan.tracking.TrackingToken;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Served counts, frequency caps, beacon dedupe and report counters shared by every server of a
 * deployment through Redis (SPEC §8). The design, in short (the long form, with the bounds, is
 * docs/deployment.md):
 *
 * <h2>Nothing on the hot path waits for Redis, except a capped campaign's reservation</h2>
 * Selection reads local state only: each campaign's {@link SharedServed} view and the
 * {@link CapView} of readers. Served counts, report counters and beacons are batched locally
 * and sent every {@code flushIntervalMs} as one {@link Scripts#FLUSH} script; the totals of goal
 * campaigns are read back every {@code refreshIntervalMs} ({@link Scripts#REFRESH}). A goal can
 * therefore be overshot by what the other servers serve within that lag, and no more.
 *
 * <p>Frequency caps are exact across servers: after selection, the ad handler asks
 * {@link #reserve} to check and count the page's capped campaigns in one atomic
 * {@link Scripts#RESERVE} script, and answers the request once Redis has (within the request's
 * {@code tmax}). A campaign Redis refuses, or that Redis does not confirm in time, is taken off
 * the page: a cap is never exceeded, at the price of an empty slot.
 *
 * <h2>When Redis is unreachable</h2>
 * Ads are served on: capped campaigns are not selected (their caps cannot be checked), goal
 * campaigns are served within this server's share of what is left ({@link SharedServed}), and
 * all counts stay in local buffers. Served and report counts are sums, so their buffer does not
 * grow with the outage; beacons need one entry each and are kept up to
 * {@code maxBufferedBeacons}. Everything is sent when Redis answers again. A batch whose answer
 * was lost is sent again under the same marker, so it is counted once.
 */
public final class RedisCounters implements DeliveryCounters, SharedTracking, AutoCloseable {
  static final String PREFIX = "iklan:";
  private static final int MAX_BEACONS_PER_BATCH = 5_000;
  private static final long BATCH_MARKER_MS = 600_000;
  private static final long FLUSH_TIMEOUT_MS = 2_000;
  private static final long READ_TIMEOUT_MS = 2_000;
  private static final int MGET_CHUNK = 1_000;
  /** Less time than this left of a request's tmax is not worth a round trip to Redis. */
  private static final long MIN_RESERVATION_MS = 2;

  /** Redis is unreachable since the outage numbered {@code epoch}; {@code servers} were seen. */
  record Outage(int epoch, int servers) {}

  /** A capped campaign on a page: {@code times} slots, under a cap of {@code capCount}. */
  public record CapAsk(String campaignId, int times, int capCount, long windowMillis) {}

  private record Cell(long day, String campaignId, String creativeId, String section) {}

  private record PendingBeacon(BeaconKind kind, long day, TrackingToken token) {}

  /** A flush: its marker, its arguments, and which served counters it acknowledges. */
  private record Batch(String marker, List<String> args, List<SharedServed> counters,
      long[] upTo, int beacons) {}

  private final Vertx vertx;
  private final RedisLink link;
  private final Clock clock;
  private final IklanConfig.SharedConfig config;
  private final Consumer<String> warnings;
  private final String node;
  private final long keepMillis;
  private final ConcurrentHashMap<String, SharedServed> served = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<SharedServed> dirty = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<Cell, long[]> cells = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<PendingBeacon> beacons = new ConcurrentLinkedQueue<>();
  private final AtomicInteger beaconCount = new AtomicInteger();
  private final CapView caps = new CapView(500_000, Duration.ofDays(1));
  private final AtomicBoolean flushing = new AtomicBoolean();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicInteger outageEpochs = new AtomicInteger();
  private final LongAdder granted = new LongAdder();
  private final LongAdder denied = new LongAdder();
  private final LongAdder unconfirmed = new LongAdder();
  private final LongAdder beaconsDropped = new LongAdder();
  private final long flushTimer;
  private final long refreshTimer;
  private volatile Outage outage = new Outage(0, 1);
  private volatile int servers = 1;
  private volatile LiveRules live;
  /** A batch Redis did not acknowledge: sent again, as it is, before anything else. */
  private Batch retry;
  private long batchNumber;

  private RedisCounters(Vertx vertx, String url, Clock clock, IklanConfig.SharedConfig config,
      Health.Dependency health, Consumer<String> warnings) {
    this.vertx = vertx;
    this.clock = clock;
    this.config = config;
    this.warnings = warnings;
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    this.node = java.util.HexFormat.of().formatHex(id);
    this.keepMillis = TimeUnit.DAYS.toMillis(config.reportRetentionDays());
    this.link = new RedisLink(vertx, url, health,
        () -> outage = new Outage(outageEpochs.incrementAndGet(), servers));
    this.flushTimer = vertx.setPeriodic(config.flushIntervalMs(), t -> flush());
    this.refreshTimer = vertx.setPeriodic(config.refreshIntervalMs(), t -> refresh());
  }

  /**
   * Connects to Redis and starts the flush and refresh loops. Does not fail when Redis is
   * unreachable: the server then starts degraded and catches up when Redis answers.
   */
  public static RedisCounters start(Vertx vertx, String url, Clock clock,
      IklanConfig.SharedConfig config, Health.Dependency health, Consumer<String> warnings) {
    RedisCounters counters = new RedisCounters(vertx, url, clock, config, health, warnings);
    try {
      counters.await(counters.link.send(Request.cmd(Command.PING), READ_TIMEOUT_MS));
      counters.outage = null;
    } catch (IOException e) {
      warnings.accept("Redis " + url + " is unreachable at start (" + e.getMessage()
          + "): serving without capped campaigns until it answers");
    }
    return counters;
  }

  /** The rules being served: their goal campaigns are the counts refreshed. */
  public void follow(LiveRules rules) {
    this.live = rules;
  }

  /** The Redis outage in progress, or null. */
  Outage outage() {
    return link.up() ? null : outage;
  }

  // ---- DeliveryCounters: what selection reads and counts ----

  @Override
  public SharedServed served(String campaignId) {
    SharedServed counter = served.get(campaignId);
    return counter != null ? counter : served.computeIfAbsent(campaignId,
        id -> new SharedServed(id, PREFIX + "served:" + id, this));
  }

  /**
   * The reader's serves as this server knows them; while Redis is unreachable, "capped", since
   * no cap can be checked then.
   */
  @Override
  public int servedToUser(String userId, String campaignId, long sinceMillis) {
    if (!link.up()) {
      return Integer.MAX_VALUE / 2;
    }
    return caps.countSince(userId, campaignId, sinceMillis);
  }

  @Override
  public void recordUserServes(String userId, String campaignId, long atMillis, int times) {
    caps.add(userId, campaignId, atMillis, times);
  }

  /** Reads the totals not known yet; blocking, at most a few seconds. */
  @Override
  public void load(Collection<String> campaignIds) {
    if (Context.isOnEventLoopThread() || !link.up()) {
      return;
    }
    List<SharedServed> unknown = new ArrayList<>();
    for (String id : campaignIds) {
      SharedServed counter = served(id);
      if (counter.known() < 0) {
        unknown.add(counter);
      }
    }
    for (int from = 0; from < unknown.size(); from += MGET_CHUNK) {
      List<SharedServed> chunk = unknown.subList(from, Math.min(unknown.size(), from + MGET_CHUNK));
      Request mget = Request.cmd(Command.MGET);
      chunk.forEach(c -> mget.arg(c.key));
      try {
        Response values = await(link.send(mget, READ_TIMEOUT_MS));
        for (int i = 0; i < chunk.size(); i++) {
          Response v = values.get(i);
          chunk.get(i).refreshed(v == null ? 0 : v.toLong());
        }
      } catch (IOException e) {
        return; // the refresh loop reads them once Redis answers
      }
    }
  }

  void dirty(SharedServed counter) {
    if (!counter.dirty.get() && counter.dirty.compareAndSet(false, true)) {
      dirty.add(counter);
    }
  }

  // ---- frequency caps ----

  /**
   * Checks and counts the capped campaigns of one page for one reader, atomically in Redis.
   * Completes (on a Redis thread) with the campaigns that must be taken off the page: those
   * Redis refused, or all of them when Redis did not answer within {@code timeoutMs}. Their
   * served counts are taken back here.
   */
  public Future<Set<String>> reserve(String userId, List<CapAsk> asks, long nowMillis,
      long timeoutMs) {
    if (!link.up() || timeoutMs < MIN_RESERVATION_MS) {
      unconfirmed.add(link.up() ? asks.size() : 0);
      return Future.succeededFuture(takeBack(asks));
    }
    List<String> args = new ArrayList<>(1 + asks.size() * 4);
    args.add(Long.toString(nowMillis));
    for (CapAsk ask : asks) {
      args.add(ask.campaignId());
      args.add(Integer.toString(ask.times()));
      args.add(Integer.toString(ask.capCount()));
      args.add(Long.toString(ask.windowMillis()));
    }
    return link.eval(Scripts.RESERVE, List.of(PREFIX + "fc:" + userId), args, timeoutMs, false)
        .map(reply -> {
          Set<String> refused = new HashSet<>();
          for (int i = 0; i < asks.size(); i++) {
            CapAsk ask = asks.get(i);
            boolean ok = reply.get(2 * i).toInteger() == 1;
            Response times = reply.get(2 * i + 1);
            caps.replace(userId, ask.campaignId(), times == null ? "" : times.toString());
            if (ok) {
              granted.increment();
            } else {
              denied.increment();
              refused.add(ask.campaignId());
            }
          }
          if (!refused.isEmpty()) {
            List<CapAsk> back = asks.stream().filter(a -> refused.contains(a.campaignId()))
                .toList();
            takeBack(back);
          }
          return refused;
        })
        .otherwise(e -> {
          unconfirmed.add(asks.size());
          return takeBack(asks);
        });
  }

  private Set<String> takeBack(List<CapAsk> asks) {
    Set<String> ids = new HashSet<>();
    for (CapAsk ask : asks) {
      served(ask.campaignId()).add(-ask.times());
      ids.add(ask.campaignId());
    }
    return ids;
  }

  // ---- SharedTracking: report counters and beacons ----

  @Override
  public void served(long epochDay, String campaignId, String creativeId, String section,
      long revenueMicros) {
    cells.compute(new Cell(epochDay, campaignId, creativeId, section), (k, v) -> {
      long[] c = v == null ? new long[4] : v;
      c[0]++;
      c[3] += revenueMicros;
      return c;
    });
  }

  @Override
  public void beacon(BeaconKind kind, long epochDay, TrackingToken token) {
    if (beaconCount.get() >= config.maxBufferedBeacons()) {
      beaconsDropped.increment();
      if (beaconsDropped.sum() == 1) {
        warnings.accept("the beacon buffer is full (" + config.maxBufferedBeacons()
            + " waiting for Redis): further impressions and clicks are not counted until Redis "
            + "answers (iklan_shared_beacons_dropped_total)");
      }
      return;
    }
    beaconCount.incrementAndGet();
    beacons.add(new PendingBeacon(kind, epochDay, token));
  }

  @Override
  public void forEach(LocalDate from, LocalDate to, Reports.CellVisitor visitor)
      throws IOException {
    for (long day = from.toEpochDay(); day <= to.toEpochDay(); day++) {
      Response all = await(link.send(Request.cmd(Command.HGETALL).arg(reportKey(day)),
          READ_TIMEOUT_MS));
      Map<Cell, long[]> sums = new HashMap<>();
      for (int i = 0; i + 1 < all.size(); i += 2) {
        String[] field = all.get(i).toString().split("\\|", 4);
        if (field.length != 4) {
          continue;
        }
        long[] sum = sums.computeIfAbsent(new Cell(day, field[1], field[2], field[3]),
            c -> new long[4]);
        int metric = switch (field[0]) {
          case "s" -> 0;
          case "i" -> 1;
          case "c" -> 2;
          default -> 3;
        };
        sum[metric] += all.get(i + 1).toLong();
      }
      for (Map.Entry<Cell, long[]> e : sums.entrySet()) {
        Cell c = e.getKey();
        long[] s = e.getValue();
        visitor.visit(day, c.campaignId(), c.creativeId(), c.section(), s[0], s[1], s[2], s[3]);
      }
    }
  }

  private static String reportKey(long day) {
    return PREFIX + "report:" + day;
  }

  private static String field(char metric, String campaign, String creative, String section) {
    return metric + "|" + campaign + "|" + creative + "|" + section;
  }

  // ---- flushing and refreshing ----

  /** Sends the next batch, unless one is on its way. */
  void flush() {
    if (!flushing.compareAndSet(false, true)) {
      return;
    }
    Batch batch = retry != null ? retry : nextBatch();
    if (batch == null) {
      flushing.set(false);
      return;
    }
    link.eval(Scripts.FLUSH, List.of(batch.marker()), batch.args(), FLUSH_TIMEOUT_MS)
        .onComplete(result -> {
          if (result.succeeded()) {
            retry = null;
            for (int i = 0; i < batch.counters().size(); i++) {
              batch.counters().get(i).acknowledged(result.result().get(i).toLong(),
                  batch.upTo()[i]);
            }
            beaconCount.addAndGet(-batch.beacons());
            flushing.set(false);
            if (!beacons.isEmpty() || !dirty.isEmpty()) {
              flush(); // catching up after an outage: do not wait for the next tick
            }
          } else {
            retry = batch;
            flushing.set(false);
          }
        });
  }

  private Batch nextBatch() {
    List<String> args = new ArrayList<>();
    args.add(Long.toString(BATCH_MARKER_MS));
    args.add(Long.toString(keepMillis));
    int countAt = args.size();
    args.add("0");
    List<SharedServed> counters = new ArrayList<>();
    List<Long> upTo = new ArrayList<>();
    SharedServed counter;
    while ((counter = dirty.poll()) != null) {
      counter.dirty.set(false);
      long local = counter.local();
      long delta = local - counter.sent;
      if (delta == 0) {
        continue;
      }
      counter.sent = local;
      counters.add(counter);
      upTo.add(local);
      args.add(counter.key);
      args.add(Long.toString(delta));
    }
    args.set(countAt, Integer.toString(counters.size()));

    countAt = args.size();
    args.add("0");
    int cellOps = 0;
    for (Cell cell : cells.keySet()) {
      long[] v = cells.remove(cell);
      if (v == null) {
        continue;
      }
      String key = reportKey(cell.day());
      char[] metrics = {'s', 'i', 'c', 'r'};
      for (int m = 0; m < 4; m++) {
        if (v[m] != 0) {
          args.add(key);
          args.add(field(metrics[m], cell.campaignId(), cell.creativeId(), cell.section()));
          args.add(Long.toString(v[m]));
          cellOps++;
        }
      }
    }
    args.set(countAt, Integer.toString(cellOps));

    countAt = args.size();
    args.add("0");
    int beaconOps = 0;
    long now = clock.millis();
    PendingBeacon b;
    while (beaconOps < MAX_BEACONS_PER_BATCH && (b = beacons.poll()) != null) {
      TrackingToken t = b.token();
      boolean impression = b.kind() == BeaconKind.IMPRESSION;
      args.add(PREFIX + "beacon:" + (impression ? "i:" : "c:") + t.requestId() + ":"
          + t.slotId());
      args.add(Long.toString(Math.max(1_000, t.expiresAt() * 1000 - now)));
      args.add(reportKey(b.day()));
      args.add(field(impression ? 'i' : 'c', t.campaignId(), t.creativeId(), t.section()));
      beaconOps++;
    }
    args.set(countAt, Integer.toString(beaconOps));

    if (counters.isEmpty() && cellOps == 0 && beaconOps == 0) {
      return null;
    }
    long[] upToArray = upTo.stream().mapToLong(Long::longValue).toArray();
    return new Batch(PREFIX + "batch:" + node + ":" + (++batchNumber), args, counters,
        upToArray, beaconOps);
  }

  /** Reads the totals of the goal campaigns being served, and beats this server's heart. */
  void refresh() {
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    List<SharedServed> goals = goalCounters();
    long now = clock.millis();
    long silent = Math.max(2_000, 5L * config.refreshIntervalMs());
    List<String> args = new ArrayList<>(4 + goals.size() * 2);
    args.add(node);
    args.add(Long.toString(now));
    args.add(Long.toString(silent));
    args.add(Long.toString(keepMillis));
    for (SharedServed c : goals) {
      args.add(c.key);
      args.add(Long.toString(c.known()));
    }
    link.eval(Scripts.REFRESH, List.of(PREFIX + "nodes", PREFIX + "alive"), args,
            READ_TIMEOUT_MS)
        .onComplete(result -> {
          refreshing.set(false);
          if (result.failed()) {
            return;
          }
          Response reply = result.result();
          servers = Math.max(1, reply.get(0).toInteger());
          if (reply.get(1).toInteger() == 1 && goals.stream().anyMatch(c -> c.known() > 0)) {
            warnings.accept("Redis had lost its data (restarted without persistence, or "
                + "flushed): served totals were written back from this server's memory; caps, "
                + "beacon dedupe and report counters from before are gone");
          }
          for (int i = 0; i < goals.size(); i++) {
            goals.get(i).refreshed(reply.get(2 + i).toLong());
          }
          if (!link.up()) {
            return;
          }
          flush(); // Redis is back: send what waited, without waiting for the next tick
        });
  }

  /** Counters of campaigns with a goal that can serve now (active, in flight). */
  private List<SharedServed> goalCounters() {
    LiveRules rules = live;
    if (rules == null) {
      return List.of();
    }
    CompiledRules current = rules.current();
    Instant now = clock.instant();
    List<SharedServed> out = new ArrayList<>();
    for (Campaign c : current.ruleSet().campaigns()) {
      if (c.goal() != null && c.status() == Status.ACTIVE
          && (c.end() == null || now.isBefore(c.end()))) {
        out.add(served(c.id()));
      }
    }
    return out;
  }

  // ---- operations ----

  /** Prometheus text of the shared counters. */
  public String metricsText() {
    StringBuilder out = new StringBuilder(512);
    out.append("# HELP iklan_cap_reservations_total Capped campaigns checked in Redis, by result\n")
        .append("# TYPE iklan_cap_reservations_total counter\n")
        .append("iklan_cap_reservations_total{result=\"granted\"} ").append(granted.sum())
        .append('\n')
        .append("iklan_cap_reservations_total{result=\"denied\"} ").append(denied.sum())
        .append('\n')
        .append("iklan_cap_reservations_total{result=\"unconfirmed\"} ")
        .append(unconfirmed.sum()).append('\n');
    out.append("# HELP iklan_shared_beacons_buffered Beacons waiting to be sent to Redis\n")
        .append("# TYPE iklan_shared_beacons_buffered gauge\n")
        .append("iklan_shared_beacons_buffered ").append(beaconCount.get()).append('\n');
    out.append("# HELP iklan_shared_beacons_dropped_total Beacons not counted: buffer full\n")
        .append("# TYPE iklan_shared_beacons_dropped_total counter\n")
        .append("iklan_shared_beacons_dropped_total ").append(beaconsDropped.sum()).append('\n');
    out.append("# HELP iklan_shared_servers Servers of the deployment seen in Redis\n")
        .append("# TYPE iklan_shared_servers gauge\n")
        .append("iklan_shared_servers ").append(servers).append('\n');
    return out.toString();
  }

  /** Whether everything counted so far has reached Redis (tests, shutdown). */
  public boolean drained() {
    return !flushing.get() && retry == null && dirty.isEmpty() && cells.isEmpty()
        && beacons.isEmpty();
  }

  /**
   * Stops the loops and sends what is left, waiting up to three seconds (call it after the
   * HTTP server stopped, before Vert.x closes).
   */
  @Override
  public void close() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(refreshTimer);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (!drained() && link.up() && System.nanoTime() < deadline) {
      flush();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!drained()) {
      warnings.accept("stopping with counts Redis has not acknowledged (Redis unreachable)");
    }
    link.close();
  }

  private <T> T await(Future<T> future) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(READ_TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("Redis: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("Redis did not answer in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
