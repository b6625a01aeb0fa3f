package id.iklan.load;

import id.iklan.selection.PageRequest;
import id.iklan.workload.RequestBodies;
import id.iklan.workload.Workload;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop HTTP load generator for {@code POST /v1/ads}, in the manner of wrk2: requests are
 * due at a fixed rate whatever the server does, and each latency is measured from the request's
 * <em>intended</em> send time, so a stalled server is charged for every request it delayed
 * (coordinated omission corrected).
 *
 * <h2>How it works</h2>
 * Request {@code i} of a run is due at {@code start + i / rate}. A scheduler thread parks until
 * the next due time and then wakes the <em>lanes</em>: each lane is a verticle on its own event
 * loop with its own Vert.x {@link HttpClient} (HTTP/1.1 keep-alive, {@code connections / lanes}
 * connections, a bounded wait queue), and sends every one of its requests ({@code i mod lanes})
 * that is due. A request keeps its intended time from the start: time spent waiting for the
 * scheduler, the event loop or a free connection in the client's queue is all counted. Latencies
 * go into an HdrHistogram {@link Recorder} (microseconds, 3 significant digits). Errors,
 * non-2xx answers, time-outs and wait-queue rejections are counted separately.
 *
 * <p>The request stream is the workload generator's publisher: 2^14 pre-built bodies and CDN geo
 * headers ({@link RequestBodies}), cycled; it continues across runs rather than restarting.
 *
 * <h2>Modes</h2>
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar id.iklan.load.LoadGenerator --port 8080 \
 *     --rate 2000 --duration 30 [--warmup 5] [--out run.hgrm]
 * java -cp benchmarks/target/benchmarks.jar id.iklan.load.LoadGenerator --port 8080 \
 *     --find-max [--start-rate 500] [--step 5] [--out best.hgrm]
 * java -cp benchmarks/target/benchmarks.jar id.iklan.load.LoadGenerator --ports 8081,8082 ...
 * </pre>
 * Find-max steps the rate up ×1.25 per step (each a fresh open-loop run after the previous one
 * drained) until a step fails twice in a row — achieved throughput below 95% of the rate, more
 * than 0.1% of requests failed, or p99 above 20 ms — then refines ×1.05 from the last pass, and
 * reports the highest rate that passed. A failure is repeated once before it counts, so that one
 * passing disturbance (a GC pause, another process) does not end the search early. Every loop is bounded in count and time; only loopback addresses are
 * accepted as targets.
 */
public final class LoadGenerator implements AutoCloseable {
  /** Largest latency the histograms track; slower answers are recorded as this. */
  static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);
  static final int STREAM_SIZE = 1 << 14;

  /**
   * Where and how to connect. With several ports (servers behind an imagined round-robin load
   * balancer), request {@code n} of a run goes to port {@code n mod ports}, shifted by one each
   * time the request stream wraps, so that every reader's pages reach every server in turn.
   */
  public record Settings(String host, List<Integer> ports, String path, int connections,
      int lanes, int queue, long timeoutMs) {
    public Settings {
      ports = List.copyOf(ports);
      if (ports.isEmpty()) {
        throw new IllegalArgumentException("need at least one port");
      }
      if (connections < lanes || lanes < 1) {
        throw new IllegalArgumentException("need at least one connection per lane");
      }
    }

    public Settings(String host, int port, String path, int connections, int lanes, int queue,
        long timeoutMs) {
      this(host, List.of(port), path, connections, lanes, queue, timeoutMs);
    }

    static Settings of(Args a) {
      List<Integer> ports = a.has("--ports")
          ? java.util.Arrays.stream(a.required("--ports").split(",")).map(String::trim)
              .map(Integer::valueOf).toList()
          : List.of(a.integer("--port", 8080));
      return new Settings(a.text("--host", "127.0.0.1"), ports,
          a.text("--path", "/v1/ads"), a.integer("--connections", 32), a.integer("--lanes", 2),
          a.integer("--queue", 10_000), a.integer("--timeout-ms", 5_000));
    }

    /** The ports as a text, e.g. {@code 8080} or {@code 8081,8082}. */
    String portList() {
      return String.join(",", ports.stream().map(String::valueOf).toList());
    }
  }

  /** When a find-max step passes. */
  public record Limits(double minAchievedShare, double maxFailedShare, double maxP99Ms) {
    public static final Limits DEFAULT = new Limits(0.95, 0.001, 20.0);
  }

  private final Settings settings;
  private final Vertx vertx;
  private final List<Lane> lanes = new ArrayList<>();
  private final Buffer[] bodies;
  /** Per port, per request of the stream. */
  private final RequestOptions[][] options;
  private long streamPosition;

  private LoadGenerator(Settings settings, Vertx vertx, Buffer[] bodies,
      RequestOptions[][] options) {
    this.settings = settings;
    this.vertx = vertx;
    this.bodies = bodies;
    this.options = options;
  }

  /** Prepares the request stream and deploys the lanes. */
  public static LoadGenerator open(Settings settings) throws Exception {
    InetAddress address = InetAddress.getByName(settings.host());
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("only loopback targets are allowed, not " + address);
    }
    PageRequest[] requests = Workload.standard(42).requests(STREAM_SIZE);
    Buffer[] bodies = new Buffer[STREAM_SIZE];
    RequestOptions[][] options = new RequestOptions[settings.ports().size()][STREAM_SIZE];
    for (int i = 0; i < STREAM_SIZE; i++) {
      bodies[i] = Buffer.buffer(RequestBodies.json(requests[i]));
      MultiMap headers = MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "application/json");
      for (Map.Entry<String, String> h : RequestBodies.geoHeaders(requests[i]).entrySet()) {
        headers.add(h.getKey(), h.getValue());
      }
      // Built once and only read by the client, so one instance serves every send of request i.
      for (int p = 0; p < options.length; p++) {
        options[p][i] = new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(settings.host())
            .setPort(settings.ports().get(p))
            .setURI(settings.path())
            .setHeaders(headers)
            .setConnectTimeout(settings.timeoutMs())
            .setIdleTimeout(settings.timeoutMs());
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.lanes()));
    LoadGenerator generator = new LoadGenerator(settings, vertx, bodies, options);
    for (int l = 0; l < settings.lanes(); l++) {
      Lane lane = generator.new Lane(l);
      generator.lanes.add(lane);
      vertx.deployVerticle(lane, new DeploymentOptions())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return generator;
  }

  // ---------------------------------------------------------------------------------------------
  // One run

  /**
   * Runs at {@code rate} requests per second for {@code seconds}, then waits (boundedly) for the
   * answers of every request sent.
   */
  public Outcome run(double rate, double seconds) throws InterruptedException {
    if (!(rate > 0) || !(seconds > 0)) {
      throw new IllegalArgumentException("rate and duration must be positive");
    }
    long total = Math.max(1, Math.round(rate * seconds));
    if (total > 100_000_000L) {
      throw new IllegalArgumentException("more than 10^8 requests in one run");
    }
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    Run run = new Run(rate, seconds, total, start, streamPosition, lanes.size());
    streamPosition += total;
    for (Lane lane : lanes) {
      lane.run = run;
    }
    schedule(run);
    long windowEnd = run.windowEnd;
    long drainDeadline = Math.max(System.nanoTime(), windowEnd)
        + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMs() + 2_000);
    while (run.finished.sum() < total && System.nanoTime() - drainDeadline < 0) {
      Thread.sleep(5);
    }
    for (Lane lane : lanes) {
      lane.run = null;
    }
    long finished = run.finished.sum();
    long unanswered = total - finished; // still open after the drain: counted as time-outs
    Histogram histogram = run.recorder.getIntervalHistogram();
    return new Outcome(rate, seconds, total, run.responses.sum(), run.ok.sum(), run.non2xx.sum(),
        run.errors.sum(), run.timeouts.sum() + unanswered, run.queueFull.sum(),
        run.bytes.sum(), run.inWindow.sum(), histogram, run.lastError);
  }

  /** The scheduler: wakes the lanes at each due time until every request has been due. */
  private void schedule(Run run) {
    long next = 0;
    while (next < run.total) {
      long due = run.intended(next);
      long now = System.nanoTime();
      if (due - now > 0) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      for (Lane lane : lanes) {
        lane.wake();
      }
      long dueNow = (long) Math.floor((now - run.start) / run.periodNanos) + 1;
      next = Math.max(next + 1, dueNow);
    }
    // A last wake: a lane that was busy when its final requests fell due sends them now.
    for (Lane lane : lanes) {
      lane.wake();
    }
  }

  /** Shared state of one run: written by the lanes, read by the run's caller. */
  static final class Run {
    final double rate;
    final long total;
    final long start;
    final long windowEnd;
    final double periodNanos;
    final long streamOffset;
    final long[] nextOfLane;
    final Recorder recorder = new Recorder(1, HIGHEST_MICROS, 3);
    final LongAdder finished = new LongAdder();
    final LongAdder responses = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder non2xx = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder queueFull = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder inWindow = new LongAdder();
    volatile String lastError;

    Run(double rate, double seconds, long total, long start, long streamOffset, int lanes) {
      this.rate = rate;
      this.total = total;
      this.start = start;
      this.windowEnd = start + (long) (seconds * 1e9);
      this.periodNanos = 1e9 / rate;
      this.streamOffset = streamOffset;
      this.nextOfLane = new long[lanes];
    }

    long intended(long i) {
      return start + (long) (i * periodNanos);
    }

    void answered(long intended, int status, int bodyBytes) {
      long now = System.nanoTime();
      recorder.recordValue(Math.min(Math.max((now - intended) / 1_000, 0), HIGHEST_MICROS));
      responses.increment();
      bytes.add(bodyBytes);
      if (status >= 200 && status < 300) {
        ok.increment();
        if (now - windowEnd <= 0) {
          inWindow.increment();
        }
      } else {
        non2xx.increment();
      }
      finished.increment();
    }

    void failed(Throwable cause) {
      if (cause instanceof ConnectionPoolTooBusyException) {
        queueFull.increment();
      } else if (isTimeout(cause)) {
        timeouts.increment();
      } else {
        errors.increment();
        lastError = String.valueOf(cause);
      }
      finished.increment();
    }

    private static boolean isTimeout(Throwable cause) {
      if (cause instanceof TimeoutException
          || cause.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
      String message = cause.getMessage();
      return message != null && message.toLowerCase(Locale.ROOT).contains("timeout");
    }
  }

  /** One event loop, one client, its share of the requests. */
  private final class Lane extends VerticleBase {
    private final int index;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private HttpClient client;
    volatile Run run;

    Lane(int index) {
      this.index = index;
    }

    @Override
    public Future<?> start() {
      int lanesCount = settings.lanes();
      int connections = settings.connections() / lanesCount
          + (index < settings.connections() % lanesCount ? 1 : 0);
      client = vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true)
              .setDecompressionSupported(false),
          new PoolOptions().setHttp1MaxSize(connections)
              .setMaxWaitQueueSize(Math.max(1, settings.queue() / lanesCount)));
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      return client.close();
    }

    void wake() {
      if (wakePending.compareAndSet(false, true)) {
        context.runOnContext(v -> dispatchDue());
      }
    }

    /** On this lane's event loop: sends every request of this lane that is due by now. */
    private void dispatchDue() {
      wakePending.set(false);
      Run r = run;
      if (r == null) {
        return;
      }
      int lanesCount = lanes.size();
      long now = System.nanoTime();
      long j = r.nextOfLane[index];
      for (long i = index + j * lanesCount; i < r.total; i += lanesCount, j++) {
        long intended = r.intended(i);
        if (intended - now > 0) {
          break;
        }
        send(r, i, intended);
      }
      r.nextOfLane[index] = j;
    }

    private void send(Run r, long i, long intended) {
      long n = r.streamOffset + i;
      int k = (int) (n & (STREAM_SIZE - 1));
      int port = (int) ((n + n / STREAM_SIZE) % options.length);
      Buffer body = bodies[k];
      client.request(options[port][k])
          .compose(request -> request.send(body))
          .compose(LoadGenerator::readAll)
          .onComplete(ar -> completed(r, intended, ar));
    }

    private void completed(Run r, long intended, AsyncResult<long[]> ar) {
      if (ar.succeeded()) {
        long[] statusAndBytes = ar.result();
        r.answered(intended, (int) statusAndBytes[0], (int) statusAndBytes[1]);
      } else {
        r.failed(ar.cause());
      }
    }
  }

  private static Future<long[]> readAll(HttpClientResponse response) {
    int status = response.statusCode();
    return response.body().map(b -> new long[] {status, b.length()});
  }

  /** One run's numbers. Latencies in the histogram are microseconds from intended send time. */
  public record Outcome(double rate, double seconds, long sent, long responses, long ok,
      long non2xx, long errors, long timeouts, long queueFull, long responseBytes, long inWindow,
      Histogram histogram, String lastError) {

    /** 2xx answers per second that completed inside the run's window. */
    public double achieved() {
      return inWindow / seconds;
    }

    public long failed() {
      return non2xx + errors + timeouts + queueFull;
    }

    public double ms(double percentile) {
      return histogram.getTotalCount() == 0 ? Double.NaN
          : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMs() {
      return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    public double meanResponseBytes() {
      return responses == 0 ? 0 : (double) responseBytes / responses;
    }

    /** Null when the run passes {@code limits}, else why not. */
    public String failure(Limits limits) {
      if (achieved() < limits.minAchievedShare() * rate) {
        return String.format(Locale.ROOT, "achieved %.0f/s < %.0f%% of %.0f/s", achieved(),
            limits.minAchievedShare() * 100, rate);
      }
      if (failed() > limits.maxFailedShare() * sent) {
        return String.format(Locale.ROOT, "%d of %d requests failed", failed(), sent);
      }
      if (ms(99) > limits.maxP99Ms()) {
        return String.format(Locale.ROOT, "p99 %.2f ms > %.0f ms", ms(99), limits.maxP99Ms());
      }
      return null;
    }

    public String summary() {
      return String.format(Locale.ROOT,
          "rate %.0f/s for %.0f s: achieved %.1f/s; sent %d, 2xx %d, non-2xx %d, errors %d,"
              + " timeouts %d, queue-full %d; mean response %.0f B%n"
              + "  latency ms from intended send: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f"
              + "  max %.3f",
          rate, seconds, achieved(), sent, ok, non2xx, errors, timeouts, queueFull,
          meanResponseBytes(), ms(50), ms(90), ms(99), ms(99.9), maxMs())
          + (lastError == null ? "" : "\n  last error: " + lastError);
    }

    /** Writes HdrHistogram's percentile distribution in milliseconds (the plotter's format). */
    public void writeHgrm(Path file) throws IOException {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (PrintStream out = new PrintStream(new FileOutputStream(file.toFile()), false,
          "UTF-8")) {
        histogram.outputPercentileDistribution(out, 1000.0);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Find-max

  /** The steps of a find-max search and the best one that passed (null when none did). */
  public record Search(List<Outcome> steps, Outcome best) {
    public double maxRate() {
      return best == null ? 0 : best.rate();
    }
  }

  /**
   * Warms up at {@code startRate}, then steps the rate up by {@code coarse} per step until one
   * fails, then by {@code fine} from the last pass. Each step is a separate run of
   * {@code stepSeconds}. At most {@code maxSteps} steps in all.
   */
  public Search findMax(double startRate, double stepSeconds, double warmupSeconds,
      double coarse, double fine, int maxSteps, Limits limits, PrintStream log)
      throws InterruptedException {
    if (warmupSeconds > 0) {
      Outcome warm = run(startRate, warmupSeconds);
      log.printf(Locale.ROOT, "warm-up  %8.0f/s  achieved %8.1f/s  p99 %7.3f ms (not used)%n",
          startRate, warm.achieved(), warm.ms(99));
    }
    List<Outcome> steps = new ArrayList<>();
    Outcome best = null;
    double failedRate = Double.POSITIVE_INFINITY;
    double rate = startRate;
    double factor = coarse;
    boolean confirming = false;
    while (steps.size() < maxSteps) {
      Outcome step = run(rate, stepSeconds);
      steps.add(step);
      String failure = step.failure(limits);
      log.printf(Locale.ROOT,
          "step %2d  %8.0f/s  achieved %8.1f/s  p50 %7.3f  p99 %7.3f  p99.9 %7.3f  max %8.3f ms"
              + "  failed %d  %s%n",
          steps.size(), rate, step.achieved(), step.ms(50), step.ms(99), step.ms(99.9),
          step.maxMs(), step.failed(), failure == null ? "pass"
              : "FAIL: " + failure + (confirming ? "" : " (repeating to confirm)"));
      if (failure != null && !confirming) {
        // A single failure may be a passing disturbance (GC, another process); a limit repeats.
        confirming = true;
        Thread.sleep(1_000);
        continue;
      }
      confirming = false;
      if (failure == null) {
        best = step;
        rate *= factor;
        if (rate >= failedRate) {
          break;
        }
      } else {
        if (factor == fine || best == null) {
          break;
        }
        failedRate = rate;
        factor = fine;
        rate = best.rate() * fine;
        if (rate >= failedRate) {
          break;
        }
        // Let the server recover from the overload before the finer steps.
        Thread.sleep(2_000);
      }
    }
    return new Search(steps, best);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("load generator: close did not complete: " + e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  public static void main(String[] args) throws Exception {
    Args a;
    try {
      a = Args.parse(args, Set.of("--host", "--port", "--ports", "--path", "--connections", "--lanes",
          "--queue", "--timeout-ms", "--rate", "--duration", "--warmup", "--start-rate", "--step",
          "--max-steps", "--max-p99-ms", "--out"), Set.of("--find-max"));
    } catch (IllegalArgumentException e) {
      System.err.println("LoadGenerator: " + e.getMessage());
      System.err.println("usage: LoadGenerator [--host 127.0.0.1] [--port 8080 | --ports 8081,8082]"
          + " [--path /v1/ads]"
          + " [--connections 32] [--lanes 2] [--queue 10000] [--timeout-ms 5000]"
          + " (--rate R --duration S [--warmup 5] | --find-max [--start-rate 500] [--step 5]"
          + " [--warmup 5] [--max-steps 40] [--max-p99-ms 20]) [--out FILE.hgrm]");
      System.exit(2);
      return;
    }
    Settings settings = Settings.of(a);
    Path out = a.has("--out") ? Path.of(a.required("--out")) : null;
    try (LoadGenerator generator = open(settings)) {
      System.out.printf(Locale.ROOT, "target http://%s:%s%s, %d connections on %d lanes,"
              + " wait queue %d, timeout %d ms%n", settings.host(), settings.portList(),
          settings.path(), settings.connections(), settings.lanes(), settings.queue(),
          settings.timeoutMs());
      if (a.has("--find-max")) {
        Search search = generator.findMax(a.number("--start-rate", 500), a.number("--step", 5),
            a.number("--warmup", 5), 1.25, 1.05, a.integer("--max-steps", 40),
            new Limits(0.95, 0.001, a.number("--max-p99-ms", 20)), System.out);
        if (search.best() == null) {
          System.out.println("no step passed; lower --start-rate");
          System.exit(1);
        }
        System.out.printf(Locale.ROOT, "max rate that passed: %.0f/s%n", search.maxRate());
        System.out.println(search.best().summary());
        if (out != null) {
          search.best().writeHgrm(out);
        }
      } else {
        double rate = a.number("--rate", 1000);
        double warmup = a.number("--warmup", 5);
        if (warmup > 0) {
          generator.run(rate, warmup);
        }
        Outcome outcome = generator.run(rate, a.number("--duration", 30));
        System.out.println(outcome.summary());
        if (out != null) {
          outcome.writeHgrm(out);
        }
      }
    }
  }
}
