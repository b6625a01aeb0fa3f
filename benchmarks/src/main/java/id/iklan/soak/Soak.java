package id.iklan.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The soak and overload runs of the reliability issue (see benchmarks/README.md#soak-and-overload).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar id.iklan.soak.Soak [--minutes 10] [--rate N]
 * java -cp benchmarks/target/benchmarks.jar id.iklan.soak.Soak --overload [--rate N]
 * taskset -c 0 java -cp benchmarks/target/benchmarks.jar id.iklan.soak.Soak --overload \
 *     --server-cpus 1
 * </pre>
 *
 * With {@code --server-cpus} the server runs under {@code taskset -c LIST}; run the soak itself
 * under {@code taskset} on the other CPUs, so that the load generator never takes the server's
 * CPU and an overload is the server's alone.
 *
 * It starts the server from this jar in a child JVM (G1, 512 MiB heap, GC log) on a fresh data
 * directory with {@code --campaigns} generated campaigns, and drives it with its own open-loop
 * client: requests leave at a fixed rate whatever the answers do, and each one's latency counts
 * from the moment it was due to leave (so a stalled server is not hidden by a stalled client).
 *
 * <ul>
 *   <li><b>Max.</b> Without {@code --rate}, steps of 5 s at doubling, then halving-in rates find
 *       the sustainable rate: the highest where p99 stays within half of tmax, under 1% are shed
 *       and nothing fails.
 *   <li><b>Soak</b> (default): 70% of that for {@code --minutes}, a full rule upload every 10 s,
 *       an impression beacon for {@code --beacon-share} of the ads; every 10 s a line with p50,
 *       p99 and max latency, shed requests (from the server's /metrics), errors, and the heap
 *       after the last full GC. A full GC is requested every 30 s with {@code jcmd GC.run} and
 *       read from the child's GC log: the live heap, exact, without touching the server's code.
 *       It fails (exit 1) on any error, or when the live heap keeps growing (least-squares slope
 *       over the run above {@code --max-heap-growth-mb-per-hour}, default 30, and the last third
 *       of samples higher than the first third).
 *   <li><b>Overload</b> ({@code --overload}): 20 s at twice the sustainable rate, then 20 s at
 *       half of it; reports the shed share and p99 under overload, and p99 in each second after
 *       the load drops.
 * </ul>
 *
 * The tracking-token lifetime is set to 1 minute and frequency caps to 1-minute windows, so the
 * state the server must hold by design (the beacon replay guard, cap histories) reaches its
 * steady size within the run; growth beyond it would be a leak. The trend is judged on the
 * samples from 90 s on.
 */
public final class Soak {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("Iklan listening on port (\\d+)");
  private static final Pattern FULL_GC =
      Pattern.compile("Pause Full \\((?:System\\.gc\\(\\)|Diagnostic Command)\\) "
          + "(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final String[] SECTIONS = {"nasional", "internasional", "ekonomi", "olahraga",
      "otomotif", "teknologi", "hiburan", "gaya-hidup", "kesehatan", "pendidikan", "politik",
      "hukum", "megapolitan", "daerah", "sains", "wisata", "kuliner", "properti", "karier",
      "opini"};
  private static final int SENDERS = 2;
  /** Tracking tokens live 60 s and caps look back 60 s: by then the state they keep is full. */
  private static final int SETTLE_SECONDS = 90;
  private static final String TOKEN = "soak-admin-token-" + Long.toHexString(System.nanoTime());

  private final Options options;
  private final Random random = new Random(42);
  private final String[] vocabulary = new String[400];
  private Process server;
  private Path work;
  private int port;
  private Vertx vertx;
  private HttpClient client;
  private List<Buffer> bodies;
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong beaconsSent = new AtomicLong();
  private final List<String> errorSamples = new ArrayList<>();

  private Soak(Options options) {
    this.options = options;
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "kata" + i;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Soak soak = new Soak(options);
    int status;
    try {
      status = soak.run();
    } finally {
      soak.close();
    }
    System.exit(status);
  }

  private int run() throws Exception {
    startServer();
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setConnectTimeout(2_000).setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(256));
    bodies = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      bodies.add(Buffer.buffer(JSON.writeValueAsBytes(request())));
    }
    System.out.printf(Locale.ROOT, "server pid %d on port %d; %d campaigns; tmax %d ms; "
        + "cores %d; load average %s%n", server.pid(), port, options.campaigns, options.tmaxMs,
        Runtime.getRuntime().availableProcessors(), loadAverage());
    phase("warm-up", 200, 10, false, false);
    phase("warm-up", 1_000, 10, false, false);
    errors.set(0);
    errorSamples.clear();
    int rate = options.rate > 0 ? options.rate : findMax();
    return options.overload ? overload(rate) : soak(rate);
  }

  // ---- phases ----

  /** Doubling steps until one fails, then halving in between the last pass and the failure. */
  private int findMax() throws Exception {
    int pass = 0;
    int fail = 0;
    for (int rate = 250; rate <= 64_000; rate *= 2) {
      if (!phase("max " + rate + "/s", rate, 10, false, true).sustainable(options.tmaxMs)) {
        fail = rate;
        break;
      }
      pass = rate;
      errors.set(0);
    }
    for (int i = 0; i < 3 && fail > 0 && pass > 0; i++) {
      int mid = (pass + fail) / 2;
      if (phase("max " + mid + "/s", mid, 10, false, true).sustainable(options.tmaxMs)) {
        pass = mid;
      } else {
        fail = mid;
      }
      errors.set(0);
    }
    if (pass == 0) {
      throw new IllegalStateException("not even 250 requests/s are sustainable");
    }
    System.out.printf(Locale.ROOT, "sustainable: %d requests/s%n", pass);
    Thread.sleep(2_000);
    return pass;
  }

  private int soak(int max) throws Exception {
    int rate = max * 70 / 100;
    System.out.printf(Locale.ROOT, "soak: %d requests/s (70%% of %d) for %d min, a rule upload "
        + "every 10 s, beacons for %.0f%% of the ads%n", rate, max, options.minutes,
        options.beaconShare * 100);
    errors.set(0);
    Result result = phase("soak", rate, options.minutes * 60, true, true);
    List<double[]> all = result.heap;
    List<double[]> heap = all.stream().filter(h -> h[0] >= SETTLE_SECONDS).toList();
    System.out.printf(Locale.ROOT, "%nSOAK SUMMARY: %d s at %d/s; %d requests, %d errors, %d shed "
        + "(%.3f%%), %d beacons, %d rule uploads (max %d ms); p99 %.2f ms, max %.2f ms%n",
        options.minutes * 60, rate, result.total.getTotalCount(), errors.get(), result.shed,
        100.0 * result.shed / Math.max(1, result.total.getTotalCount()), beaconsSent.get(),
        result.uploads, result.slowestUploadMs, ms(result.total.getValueAtPercentile(99)),
        ms(result.total.getMaxValue()));
    System.out.print("heap after each full GC (s: MiB):");
    all.forEach(h -> System.out.printf(Locale.ROOT, " %.0f: %.0f", h[0], h[1]));
    System.out.printf(Locale.ROOT, "%n(the trend is judged from %d s on, once the beacon replay "
        + "guard and cap histories have reached their steady size)%n", SETTLE_SECONDS);
    boolean growing = false;
    if (heap.size() >= 3) {
      double slope = slope(heap) * 3600;
      int third = Math.max(1, heap.size() / 3);
      double first = heap.subList(0, third).stream().mapToDouble(h -> h[1]).average().orElse(0);
      double last = heap.subList(heap.size() - third, heap.size()).stream()
          .mapToDouble(h -> h[1]).average().orElse(0);
      growing = slope > options.maxHeapGrowthPerHour && last > first;
      System.out.printf(Locale.ROOT, "heap trend: %+.1f MiB/hour (least squares over %d samples); "
          + "first third %.1f MiB, last third %.1f MiB: %s%n", slope, heap.size(), first, last,
          growing ? "GROWING" : "flat");
    } else {
      System.out.println("heap trend: too few full GCs to judge (run longer)");
    }
    boolean ok = errors.get() == 0 && !growing;
    if (!errorSamples.isEmpty()) {
      System.out.println("first errors: " + errorSamples);
    }
    System.out.println("server: " + serverCounters());
    System.out.println("load average at the end: " + loadAverage());
    System.out.println(ok ? "SOAK PASSED" : "SOAK FAILED");
    return ok ? 0 : 1;
  }

  private int overload(int max) throws Exception {
    errors.set(0);
    Result over = phase("2x load", max * 2, 20, false, false);
    long overloadErrors = errors.get();
    Result after = phase("back to 0.5x", max / 2, 20, false, false);
    System.out.printf(Locale.ROOT, "%nOVERLOAD SUMMARY: sustainable %d/s; at 2x (%d/s offered, "
        + "%.0f/s answered): shed %.1f%%, p50 %.2f ms, p99 %.2f ms, max %.2f ms, errors %d%n",
        max, max * 2, over.total.getTotalCount() / 20.0,
        100.0 * over.shed / Math.max(1, over.total.getTotalCount()),
        ms(over.total.getValueAtPercentile(50)), ms(over.total.getValueAtPercentile(99)),
        ms(over.total.getMaxValue()), overloadErrors);
    System.out.print("after the drop to 0.5x, p99 per second (ms):");
    after.perSecondP99.forEach(p -> System.out.printf(Locale.ROOT, " %.1f", p));
    System.out.printf(Locale.ROOT, "%nafter the drop: shed %d, errors %d; load average %s%n",
        after.shed, errors.get() - overloadErrors, loadAverage());
    System.out.println("server: " + serverCounters());
    return 0;
  }

  // ---- one phase at a fixed rate ----

  private Result phase(String name, int rate, int seconds, boolean uploads, boolean beacons)
      throws Exception {
    Recorder interval = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    Recorder second = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    Result result = new Result();
    long shedBefore = shedTotal();
    AtomicLong inFlight = new AtomicLong();
    AtomicLong sentCount = new AtomicLong();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<String> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      Sender sender = new Sender(this, start, end, rate, i, interval, second, beacons, inFlight,
          sentCount);
      senders.add(vertx.deployVerticle(sender).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS));
    }
    long nextReport = start + TimeUnit.SECONDS.toNanos(Math.min(10, seconds));
    long nextSecond = start + TimeUnit.SECONDS.toNanos(1);
    long nextUpload = start + TimeUnit.SECONDS.toNanos(10);
    long nextGc = start + TimeUnit.SECONDS.toNanos(30);
    long shedMark = shedBefore;
    Histogram scratch = null;
    Histogram secondScratch = null;
    CompletableFuture<Long> upload = null;
    int k = 0;
    while (true) {
      long now = System.nanoTime();
      if (now - end >= 0) {
        break;
      }
      if (now - nextSecond >= 0) {
        secondScratch = second.getIntervalHistogram(secondScratch);
        result.perSecondP99.add(ms(secondScratch.getValueAtPercentile(99)));
        nextSecond += TimeUnit.SECONDS.toNanos(1);
      }
      if (uploads && now - nextUpload >= 0) {
        if (upload != null && !upload.isDone()) {
          error("a rule upload took over 10 s");
        }
        upload = upload(++k);
        upload.thenAccept(ms -> result.noteUpload(ms));
        nextUpload += TimeUnit.SECONDS.toNanos(10);
      }
      if (uploads && now - nextGc >= 0) {
        fullGc();
        nextGc += TimeUnit.SECONDS.toNanos(30);
      }
      if (now - nextReport >= 0) {
        scratch = interval.getIntervalHistogram(scratch);
        result.total.add(scratch);
        long shedNow = shedTotal();
        List<double[]> heap = heapAfterFullGc(start);
        result.heap = heap;
        System.out.printf(Locale.ROOT, "%-12s t=%4ds %6d/s p50 %7.2f ms p99 %7.2f ms max %8.2f ms"
            + " shed %6d errors %d beacons %d heap-after-full-GC %s%n", name,
            TimeUnit.NANOSECONDS.toSeconds(now - start), scratch.getTotalCount() / Math.max(1,
                Math.min(10, seconds)), ms(scratch.getValueAtPercentile(50)),
            ms(scratch.getValueAtPercentile(99)), ms(scratch.getMaxValue()), shedNow - shedMark,
            errors.get(), beaconsSent.get(),
            heap.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f MiB",
                heap.get(heap.size() - 1)[1]));
        shedMark = shedNow;
        nextReport += TimeUnit.SECONDS.toNanos(10);
      }
      LockSupport.parkNanos(1_000_000);
    }
    // The senders stop sending at the end; what they sent is answered before they (and their
    // HTTP clients, which would cut the last requests off) are undeployed.
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (inFlight.get() > 0 && System.nanoTime() - drainUntil < 0) {
      Thread.sleep(10);
    }
    if (inFlight.get() > 0) {
      error(inFlight.get() + " requests unanswered 5 s after the phase");
    }
    Thread.sleep(100); // the beacons of the last answers
    for (String id : senders) {
      vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    long sent = sentCount.get();
    if (upload != null) {
      upload.get(30, TimeUnit.SECONDS);
    }
    scratch = interval.getIntervalHistogram(scratch);
    result.total.add(scratch);
    result.shed = shedTotal() - shedBefore;
    result.sent = sent;
    result.errors = errors.get();
    result.heap = heapAfterFullGc(start);
    synchronized (errorSamples) {
      if (!errorSamples.isEmpty() && !uploads) {
        System.out.println("  errors in " + name + ": " + errorSamples);
        errorSamples.clear();
      }
    }
    if (seconds <= 10) {
      System.out.printf(Locale.ROOT, "%-12s %6d/s offered, %6d answered: p50 %7.2f ms p99 %7.2f "
          + "ms max %8.2f ms shed %d errors %d%n", name, rate, result.total.getTotalCount(),
          ms(result.total.getValueAtPercentile(50)), ms(result.total.getValueAtPercentile(99)),
          ms(result.total.getMaxValue()), result.shed, errors.get());
    }
    return result;
  }

  private void send(HttpClient client, long intended, Recorder interval, Recorder second,
      boolean beacons, AtomicLong inFlight) {
    Buffer body = bodies.get((int) (intended & (bodies.size() - 1)));
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(port).setURI("/v1/ads").setTimeout(2_000)
            .putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b : null))
        .onComplete(ar -> {
          long latency = System.nanoTime() - intended;
          interval.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
          second.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
          inFlight.decrementAndGet();
          if (ar.failed()) {
            error("ad request: " + ar.cause());
          } else if (ar.result() == null) {
            error("ad request: status not 200");
          } else if (beacons && ThreadLocalRandom.current().nextDouble() < options.beaconShare) {
            beacon(client, ar.result());
          }
        });
  }

  private void beacon(HttpClient client, Buffer answer) {
    String text = answer.toString(StandardCharsets.UTF_8);
    int at = text.indexOf("\"impressionUrl\":\"");
    if (at < 0) {
      return; // no ad in this answer
    }
    int from = text.indexOf("/v1/imp?", at);
    String path = text.substring(from, text.indexOf('"', from));
    beaconsSent.incrementAndGet();
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(port).setURI(path).setTimeout(2_000))
        .compose(req -> req.send().compose(resp -> resp.body().map(resp.statusCode())))
        .onComplete(ar -> {
          if (ar.failed() || ar.result() != 204) {
            error("beacon: " + (ar.failed() ? ar.cause() : "status " + ar.result()));
          }
        });
  }

  /** PUT the whole rule set, one campaign's price changed; completes with the answer's ms. */
  private CompletableFuture<Long> upload(int k) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    long started = System.nanoTime();
    Buffer rules;
    try {
      rules = Buffer.buffer(JSON.writeValueAsBytes(rules(k)));
    } catch (IOException e) {
      done.completeExceptionally(e);
      return done;
    }
    client.request(new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1")
            .setPort(port).setURI("/v1/admin/campaigns").setTimeout(10_000)
            .putHeader("Content-Type", "application/json")
            .putHeader("Authorization", "Bearer " + TOKEN))
        .compose(req -> req.send(rules).compose(resp -> resp.body().map(resp.statusCode())))
        .onComplete(ar -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          if (ar.failed() || ar.result() != 200) {
            error("rule upload: " + (ar.failed() ? ar.cause() : "status " + ar.result()));
          }
          done.complete(ms);
        });
    return done;
  }

  /**
   * Sends its share of a phase's requests from its own event loop and HTTP client: request n of
   * sender i of s is due at {@code start + (n * s + i) / rate}. A 1 ms timer sends whatever is due.
   */
  private static final class Sender extends io.vertx.core.VerticleBase {
    private final Soak soak;
    private final long start;
    private final long end;
    private final int rate;
    private final int index;
    private final Recorder interval;
    private final Recorder second;
    private final boolean beacons;
    private final AtomicLong inFlight;
    private final AtomicLong sentCount;
    private HttpClient client;
    private long n;

    Sender(Soak soak, long start, long end, int rate, int index, Recorder interval,
        Recorder second, boolean beacons, AtomicLong inFlight, AtomicLong sentCount) {
      this.soak = soak;
      this.start = start;
      this.end = end;
      this.rate = rate;
      this.index = index;
      this.interval = interval;
      this.second = second;
      this.beacons = beacons;
      this.inFlight = inFlight;
      this.sentCount = sentCount;
    }

    @Override
    public Future<?> start() {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
          .setConnectTimeout(2_000).setIdleTimeout(30),
          new PoolOptions().setHttp1MaxSize(512 / SENDERS));
      vertx.setPeriodic(1, id -> tick());
      return Future.succeededFuture();
    }

    private void tick() {
      long now = Math.min(System.nanoTime(), end);
      while (true) {
        long intended = start + (n * SENDERS + index) * 1_000_000_000L / rate;
        if (intended - now > 0) {
          return;
        }
        n++;
        sentCount.incrementAndGet();
        if (inFlight.get() > 50_000) {
          soak.error("client saturated: over 50,000 requests in flight");
          continue;
        }
        inFlight.incrementAndGet();
        soak.send(client, intended, interval, second, beacons, inFlight);
      }
    }
  }

  // ---- the child server ----

  private void startServer() throws Exception {
    work = Files.createTempDirectory("iklan-soak-");
    Path rules = work.resolve("rules.json");
    Files.write(rules, JSON.writeValueAsBytes(rules(0)));
    Path config = work.resolve("iklan.json");
    Files.writeString(config, """
        {"port": 0, "host": "127.0.0.1", "rules": "rules.json", "tmaxDefaultMs": %d,
         "tmaxMaxMs": %d, "trackingTokenTtl": "PT1M", "eventLoops": 0}
        """.formatted(options.tmaxMs, options.tmaxMs));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    if (options.serverCpus != null) {
      // the server on CPUs of its own (and the soak client, run under taskset, on the others):
      // the overload is then the server's, not the whole machine's
      command.addAll(List.of("taskset", "-c", options.serverCpus));
    }
    command.addAll(List.of(java, "-Xms512m", "-Xmx512m", "-XX:+UseG1GC",
        "-Xlog:gc:file=" + work.resolve("gc.log"),
        "-cp", System.getProperty("java.class.path"), "id.iklan.Main",
        "--config", config.toString(), "--port", "0",
        "--data-dir", work.resolve("data").toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("server.log").toFile());
    builder.environment().put("IKLAN_ADMIN_TOKEN", TOKEN);
    server = builder.start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() - until < 0) {
      Matcher m = LISTENING.matcher(Files.readString(work.resolve("server.log")));
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return;
      }
      if (!server.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the server did not start:\n"
        + Files.readString(work.resolve("server.log")));
  }

  /** The server's own counters of refusals and failures, from /metrics. */
  private String serverCounters() {
    try {
      String metrics = client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
          .compose(req -> req.send().compose(resp -> resp.body()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
      StringBuilder out = new StringBuilder();
      Matcher m = Pattern.compile("(?m)^(iklan_(?:ad_requests|ad_requests_shed|connections_"
          + "refused|connections_timed_out|internal_errors)_total) (\\S+)").matcher(metrics);
      while (m.find()) {
        out.append(m.group(1)).append('=').append(m.group(2)).append(' ');
      }
      return out.toString().trim();
    } catch (Exception e) {
      return "unavailable: " + e;
    }
  }

  private long shedTotal() {
    try {
      String metrics = client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
          .compose(req -> req.send().compose(resp -> resp.body()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
      Matcher m = Pattern.compile("(?m)^iklan_ad_requests_shed_total (\\d+)").matcher(metrics);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (Exception e) {
      error("/metrics: " + e);
      return 0;
    }
  }

  /** Asks the server's JVM for a full GC (jcmd GC.run); the GC log records what is left. */
  private void fullGc() {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      new ProcessBuilder(jcmd, Long.toString(server.pid()), "GC.run")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      error("jcmd: " + e);
    }
  }

  /** (seconds since {@code start}, MiB after) of each full GC in the GC log so far. */
  private List<double[]> heapAfterFullGc(long start) {
    List<double[]> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Files.newInputStream(work.resolve("gc.log")), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Matcher m = FULL_GC.matcher(line);
        if (m.find()) {
          out.add(new double[] {(out.size() + 1) * 30.0, Double.parseDouble(m.group(2))});
        }
      }
    } catch (IOException e) {
      // no GC log yet
    }
    return out;
  }

  private void close() {
    if (vertx != null) {
      vertx.close();
    }
    if (server != null) {
      server.destroy();
      try {
        server.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.destroyForcibly();
      System.out.println("server log and GC log: " + work);
    }
  }

  // ---- generated rules and requests ----

  /** {@code --campaigns} campaigns over the sections and vocabulary; rule set {@code k}. */
  private ObjectNode rules(int k) {
    Random r = new Random(7);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode campaigns = root.putArray("campaigns");
    String[] tiers = {"sponsorship", "standard", "standard", "remnant", "house"};
    for (int i = 0; i < options.campaigns; i++) {
      ObjectNode c = campaigns.addObject();
      c.put("id", "c" + i).put("advertiser", "Pengiklan " + (i / 5))
          .put("tier", tiers[r.nextInt(tiers.length)])
          .put("cpm", 500 * (1 + r.nextInt(100)) + (i == k % options.campaigns ? k : 0))
          .put("start", "2020-01-01T00:00:00+07:00");
      if (r.nextInt(10) == 0) {
        c.putObject("frequencyCap").put("count", 3).put("window", "PT1M");
      }
      ObjectNode targeting = c.putObject("targeting");
      int kind = r.nextInt(10);
      if (kind < 5) {
        targeting.putObject("sections").putArray("include")
            .add(SECTIONS[r.nextInt(SECTIONS.length)]).add(SECTIONS[r.nextInt(SECTIONS.length)]);
      } else if (kind < 9) {
        ArrayNode any = targeting.putObject("keywords").putArray("any");
        for (int w = 0; w < 1 + r.nextInt(5); w++) {
          any.add(vocabulary[r.nextInt(vocabulary.length)]);
        }
      }
      ArrayNode creatives = c.putArray("creatives");
      int[][] sizes = {{300, 250}, {728, 90}, {320, 50}, {970, 250}, {300, 600}};
      int[] size = sizes[r.nextInt(sizes.length)];
      creatives.addObject().put("id", "cr" + i).put("format", "image")
          .put("imageUrl", "https://cdn.contoh.id/" + i + ".png")
          .put("clickUrl", "https://pengiklan" + (i / 5) + ".contoh.id/promo")
          .putArray("size").add(size[0]).add(size[1]);
      if (r.nextInt(6) == 0) {
        creatives.addObject().put("id", "crn" + i).put("format", "native")
            .put("title", "Judul iklan " + i).put("imageUrl", "https://cdn.contoh.id/n.png")
            .put("sponsor", "Pengiklan " + (i / 5)).put("clickUrl", "https://contoh.id/" + i);
      }
    }
    return root;
  }

  private ObjectNode request() {
    ObjectNode root = JSON.createObjectNode();
    String section = SECTIONS[random.nextInt(SECTIONS.length)];
    ObjectNode page = root.putObject("page")
        .put("url", "https://kabarnusantara.example/" + section + "/" + random.nextInt(100_000))
        .put("section", section);
    ArrayNode keywords = page.putArray("keywords");
    for (int i = 0; i < 3 + random.nextInt(6); i++) {
      keywords.add(vocabulary[random.nextInt(vocabulary.length)]);
    }
    ArrayNode slots = root.putArray("slots");
    boolean mobile = random.nextInt(10) < 6;
    int[][] sizes = mobile ? new int[][] {{320, 50}, {300, 250}, {300, 250}}
        : new int[][] {{728, 90}, {300, 250}, {300, 600}, {970, 250}};
    for (int i = 0; i < sizes.length; i++) {
      slots.addObject().put("id", "s" + i).putArray("sizes").addArray()
          .add(sizes[i][0]).add(sizes[i][1]);
    }
    slots.addObject().put("id", "baca").putArray("formats").add("native");
    root.putObject("user").put("id", "u" + random.nextInt(100_000));
    root.putObject("device").put("type", mobile ? "mobile" : "desktop");
    return root;
  }

  // ---- bookkeeping ----

  private void error(String what) {
    errors.incrementAndGet();
    synchronized (errorSamples) {
      if (errorSamples.size() < 10) {
        errorSamples.add(what);
      }
    }
  }

  /** The machine's load average (1, 5, 15 min): other work competing for the same cores. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Least-squares slope of (seconds, MiB) points, in MiB per second. */
  static double slope(List<double[]> points) {
    double n = points.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
  }

  private static final class Result {
    final Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    final List<Double> perSecondP99 = new ArrayList<>();
    List<double[]> heap = List.of();
    long shed;
    long sent;
    long errors;
    int uploads;
    long slowestUploadMs;

    synchronized void noteUpload(long ms) {
      uploads++;
      slowestUploadMs = Math.max(slowestUploadMs, ms);
    }

    /**
     * p99 within half of tmax in at least 4 of every 5 seconds (one GC pause or a noisy
     * neighbour does not decide), under 1% shed, under 0.1% errors, nearly all answered.
     */
    boolean sustainable(int tmaxMs) {
      long good = perSecondP99.stream().filter(p -> p <= tmaxMs / 2.0).count();
      return errors * 1000 < Math.max(1, total.getTotalCount())
          && shed * 100 < Math.max(1, total.getTotalCount())
          && good * 5 >= perSecondP99.size() * 4L
          && total.getTotalCount() >= sent * 97 / 100;
    }
  }

  private record Options(int minutes, int rate, int campaigns, int tmaxMs, double beaconShare,
      double maxHeapGrowthPerHour, boolean overload, String serverCpus) {
    static Options parse(String[] args) {
      int minutes = 10;
      int rate = 0;
      int campaigns = 2_000;
      int tmax = 100;
      double share = 0.3;
      double growth = 30;
      boolean overload = false;
      String serverCpus = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--minutes" -> minutes = Integer.parseInt(args[++i]);
          case "--rate" -> rate = Integer.parseInt(args[++i]);
          case "--campaigns" -> campaigns = Integer.parseInt(args[++i]);
          case "--tmax-ms" -> tmax = Integer.parseInt(args[++i]);
          case "--beacon-share" -> share = Double.parseDouble(args[++i]);
          case "--max-heap-growth-mb-per-hour" -> growth = Double.parseDouble(args[++i]);
          case "--overload" -> overload = true;
          case "--server-cpus" -> serverCpus = args[++i];
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see "
              + "the class comment of id.iklan.soak.Soak");
        }
      }
      return new Options(minutes, rate, campaigns, tmax, share, growth, overload, serverCpus);
    }
  }
}
