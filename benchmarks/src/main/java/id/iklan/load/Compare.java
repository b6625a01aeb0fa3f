package id.iklan.load;

import id.iklan.load.LoadGenerator.Limits;
import id.iklan.load.LoadGenerator.Outcome;
import id.iklan.load.LoadGenerator.Search;
import id.iklan.load.LoadGenerator.Settings;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Iklan against the bare Vert.x server on this machine, in one run:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar id.iklan.load.Compare \
 *     --iklan-jar target/iklan.jar --rules /tmp/rules-10k.json --label 10k
 * </pre>
 *
 * <ol>
 *   <li>starts Iklan (child process; fresh temporary data dir; a config with the rules file,
 *       one event loop per core, {@code tmaxDefaultMs} 100) and waits for {@code /health};</li>
 *   <li>probes it briefly and takes the mean size of its {@code /v1/ads} responses;</li>
 *   <li>starts {@link BareServer} (child process) answering with a body of that size;</li>
 *   <li>warms each server up at a fixed rate (2,000/s, at least 60 s) until its CPU time per
 *       request is steady, so that its JIT has compiled the request path before anything is
 *       measured;</li>
 *   <li>finds the maximum rate of each ({@link LoadGenerator#findMax}), Iklan and the bare server
 *       taking turns, three rounds each, and takes each server's median round;</li>
 *   <li>runs each at half of Iklan's (median) maximum for 30 s;</li>
 *   <li>prints one table and writes it, and the {@code .hgrm} files, to the results folder.</li>
 * </ol>
 * It builds nothing; the children are always killed at the end. Because this machine may be
 * shared, it waits (boundedly) for other processes to quiet down before each measurement and
 * reports the CPU share they took during it.
 *
 * <p><b>Why warm-up, pre-touch and rounds.</b> A find-max ends at the first rate whose p99 stays
 * over the limit twice, so one stall ends it. On a small virtual machine the stalls that end it
 * early are start-up effects and scheduling noise, not capacity: the JIT compiling on the same
 * two cores as the load (Iklan has more code to compile than the bare server, so a short
 * warm-up penalises it more), and the first touch of each heap page, which a virtual machine can
 * make cost microseconds per page (the servers run with {@code -XX:+AlwaysPreTouch}, and with
 * {@code -XX:MaxTenuringThreshold=1} against long young-collection pauses, as
 * docs/deployment-systemd.md advises for production). What remains is noise, so each server is searched
 * several times, alternately, and the median round is reported with every round's figure.
 */
public final class Compare {
  private final Args args;
  private final Path results;
  private final String label;
  private final List<Process> children = new ArrayList<>();
  private final PrintStream out = System.out;
  private final double quietWait;

  private Compare(Args args) {
    this.args = args;
    this.results = Path.of(args.text("--results", "benchmarks/results"));
    this.label = args.text("--label", labelOf(Path.of(args.required("--rules"))));
    this.quietWait = args.number("--quiet-wait", 60);
  }

  public static void main(String[] argv) throws Exception {
    Args a;
    try {
      a = Args.parse(argv, Set.of("--iklan-jar", "--rules", "--label", "--results",
          "--server-heap", "--half-seconds", "--step", "--warmup", "--start-rate", "--connections",
          "--lanes", "--jfr", "--quiet-wait", "--max-others", "--retries", "--max-p99-ms",
          "--server-cpus", "--server-java-options", "--server-warmup", "--warmup-rate",
          "--rounds"),
          Set.of());
      a.required("--iklan-jar");
      a.required("--rules");
      if (a.integer("--rounds", 3) < 1) {
        throw new IllegalArgumentException("--rounds must be 1 or more");
      }
      if (!(a.number("--warmup-rate", 2000) > 0)) {
        throw new IllegalArgumentException("--warmup-rate must be above 0 requests a second");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("Compare: " + e.getMessage());
      System.err.println("usage: Compare --iklan-jar target/iklan.jar --rules FILE [--label 10k]"
          + " [--results benchmarks/results] [--server-heap 2g] [--half-seconds 30] [--step 5]"
          + " [--warmup 5] [--start-rate 500] [--connections 32] [--lanes 2] [--jfr FILE]"
          + " [--quiet-wait 60] [--max-others 0.25] [--retries 0] [--max-p99-ms 20]"
          + " [--server-cpus LIST]"
          + " [--server-java-options \"-XX:+AlwaysPreTouch -XX:MaxTenuringThreshold=1\"]"
          + " [--server-warmup 60] [--warmup-rate 2000] [--rounds 3]");
      System.exit(2);
      return;
    }
    Compare compare = new Compare(a);
    Thread killer = new Thread(compare::killChildren, "compare-kill-children");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      compare.run();
    } finally {
      compare.killChildren();
    }
  }

  private void run() throws Exception {
    Files.createDirectories(results);
    Path rules = Path.of(args.required("--rules")).toAbsolutePath();
    Path jar = Path.of(args.required("--iklan-jar")).toAbsolutePath();
    if (!Files.isRegularFile(rules) || !Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no such file: " + (Files.isRegularFile(jar) ? rules : jar));
    }
    String heap = args.text("--server-heap", "2g");
    int iklanPort = freePort();
    int barePort = freePort();
    Path dataDir = Files.createTempDirectory("iklan-load-");
    try {
      Path config = dataDir.resolve("iklan-load.json");
      Files.writeString(config, """
          {"port": %d, "host": "127.0.0.1", "dataDir": "%s", "rules": "%s",
           "publisherTimeZone": "Asia/Jakarta", "tmaxDefaultMs": 100, "eventLoops": 0,
           "geo": {"trustEdgeHeaders": true, "countryHeader": "X-Geo-Country",
                   "regionHeader": "X-Geo-Region", "cityHeader": "X-Geo-City"}}
          """.formatted(iklanPort, json(dataDir.resolve("data")), json(rules)));
      out.printf("Iklan %s, rules %s, label %s%n", jar, rules, label);
      out.printf("machine: %d CPUs, %s %s; servers -Xms%s -Xmx%s %s%s%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"), heap, heap, String.join(" ", javaOptions()),
          args.has("--server-cpus") ? "; servers on CPUs " + args.required("--server-cpus")
              + ", load generator on the CPUs it was started on" : "");

      long t0 = System.nanoTime();
      Process iklan = start(javaCommand(heap, "-jar", jar.toString(),
          "--config", config.toString(), "--port", Integer.toString(iklanPort),
          "--data-dir", dataDir.resolve("data").toString()), results.resolve(label + "-iklan.log"));
      awaitHealth(iklan, iklanPort, 600);
      out.printf("Iklan up on port %d after %.1f s (pid %d)%n", iklanPort,
          (System.nanoTime() - t0) / 1e9, iklan.pid());

      Settings iklanSettings = settings(iklanPort);
      double meanBytes;
      try (LoadGenerator probe = LoadGenerator.open(iklanSettings)) {
        Outcome o = probe.run(200, 5);
        if (o.ok() != o.sent()) {
          throw new IllegalStateException("Iklan probe: not every request answered 2xx:\n"
              + o.summary());
        }
        meanBytes = o.meanResponseBytes();
      }
      int bareBytes = (int) Math.round(meanBytes);
      out.printf("probe: 1000 requests, all 2xx, mean response %.1f bytes%n", meanBytes);

      Process bare = start(javaCommand(heap, "-cp",
          System.getProperty("java.class.path"), BareServer.class.getName(),
          "--port", Integer.toString(barePort), "--response-bytes", Integer.toString(bareBytes)),
          results.resolve(label + "-bare.log"));
      awaitHealth(bare, barePort, 60);
      out.printf("bare server up on port %d, %d-byte responses (pid %d)%n", barePort, bareBytes,
          bare.pid());

      CpuMeter meter = new CpuMeter(List.of(iklan.toHandle(), bare.toHandle()));
      Path jfr = args.has("--jfr") ? Path.of(args.required("--jfr")).toAbsolutePath() : null;

      warm("Iklan", iklanSettings, iklan.toHandle());
      warm("bare Vert.x", settings(barePort), bare.toHandle());
      int rounds = args.integer("--rounds", 3);
      List<Measured<Search>> iklanRounds = new ArrayList<>();
      List<Measured<Search>> bareRounds = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        boolean profile = jfr != null && round == 1;
        out.printf("%n== find-max: Iklan, round %d of %d%n", round, rounds);
        iklanRounds.add(measure(meter, () -> {
          if (profile) {
            jcmd(iklan, "JFR.start", "name=load", "settings=profile", "filename=" + jfr);
          }
          try {
            return findMax(iklanSettings);
          } finally {
            if (profile) {
              jcmd(iklan, "JFR.stop", "name=load");
            }
          }
        }));
        out.printf("%n== find-max: bare Vert.x, round %d of %d%n", round, rounds);
        bareRounds.add(measure(meter, () -> findMax(settings(barePort))));
      }
      Measured<Search> iklanMax = median(iklanRounds);
      Measured<Search> bareMax = median(bareRounds);
      if (iklanMax.value().best() == null || bareMax.value().best() == null) {
        throw new IllegalStateException("a find-max passed no step; lower --start-rate");
      }
      double half = Math.floor(iklanMax.value().maxRate() / 2);
      double halfSeconds = args.number("--half-seconds", 30);
      out.printf(Locale.ROOT, "%n== half of Iklan's max: %.0f/s for %.0f s: Iklan%n", half,
          halfSeconds);
      Measured<Fixed> iklanHalf = measure(meter, () -> fixed(iklanSettings, half, halfSeconds,
          iklan.toHandle()));
      out.println(iklanHalf.value().summary());
      out.printf(Locale.ROOT, "%n== half of Iklan's max: %.0f/s for %.0f s: bare Vert.x%n", half,
          halfSeconds);
      Measured<Fixed> bareHalf = measure(meter, () -> fixed(settings(barePort), half,
          halfSeconds, bare.toHandle()));
      out.println(bareHalf.value().summary());

      iklanMax.value().best().writeHgrm(results.resolve(label + "-iklan-max.hgrm"));
      bareMax.value().best().writeHgrm(results.resolve(label + "-bare-max.hgrm"));
      iklanHalf.value().outcome().writeHgrm(results.resolve(label + "-iklan-half.hgrm"));
      bareHalf.value().outcome().writeHgrm(results.resolve(label + "-bare-half.hgrm"));
      String table = table(meanBytes, bareBytes, iklanRounds, bareRounds, iklanMax, bareMax, half,
          halfSeconds, iklanHalf, bareHalf);
      out.println();
      out.print(table);
      Files.writeString(results.resolve(label + "-compare.txt"), table);
      out.printf("%nwrote %s/%s-{compare.txt,iklan-max,bare-max,iklan-half,bare-half.hgrm}%n",
          results, label);
    } finally {
      killChildren();
      deleteTree(dataDir);
    }
  }

  private Settings settings(int port) {
    return new Settings("127.0.0.1", port, "/v1/ads", args.integer("--connections", 32),
        args.integer("--lanes", 2), 10_000, 5_000);
  }

  private Search findMax(Settings settings) throws Exception {
    try (LoadGenerator generator = LoadGenerator.open(settings)) {
      Search search = generator.findMax(args.number("--start-rate", 500),
          args.number("--step", 5), args.number("--warmup", 5), 1.25, 1.05, 40,
          new Limits(0.95, 0.001, args.number("--max-p99-ms", 20)), out);
      if (search.best() != null) {
        out.printf(Locale.ROOT, "max rate that passed: %.0f/s%n", search.maxRate());
      }
      return search;
    }
  }

  /**
   * Runs the request stream at {@code --warmup-rate} for at least {@code --server-warmup}
   * seconds, then on in 10-second windows until the server's CPU time per request is steady
   * (within 5% of the window before; at most five minutes in all). The JIT compiles in the
   * server's own process, so its CPU per request falls until the request path is compiled: a
   * fixed time is too short for one machine and wasted on another. Nothing here is used in a
   * figure; the windows are printed.
   */
  private void warm(String name, Settings settings, ProcessHandle server) throws Exception {
    double seconds = args.number("--server-warmup", 60);
    if (!(seconds > 0)) {
      return;
    }
    double rate = args.number("--warmup-rate", 2000);
    out.printf(Locale.ROOT, "%n== warm-up: %s at %.0f/s, at least %.0f s, until its CPU per"
        + " request is steady (not used)%n", name, rate, seconds);
    try (LoadGenerator generator = LoadGenerator.open(settings)) {
      double elapsed = 0;
      double previous = Double.NaN;
      double limit = Math.max(300, seconds + 60); // room for a few windows after the minimum
      while (elapsed < limit) {
        double window = elapsed + 10 < seconds ? seconds - elapsed - 10 : 10;
        double cpu0 = cpuSeconds(server);
        Outcome o = generator.run(rate, window);
        if (o.responses() == 0) {
          throw new IllegalStateException(name + " answered nothing while warming up:\n"
              + o.summary());
        }
        double perRequest = (cpuSeconds(server) - cpu0) / Math.max(1, o.responses()) * 1e6;
        elapsed += window;
        out.printf(Locale.ROOT, "  %3.0f s: achieved %.0f/s, p99 %.3f ms, server CPU per"
            + " request %.1f us%n", elapsed, o.achieved(), o.ms(99), perRequest);
        if (elapsed >= seconds && Math.abs(perRequest - previous) <= 0.05 * previous) {
          return;
        }
        previous = perRequest;
      }
      out.printf(Locale.ROOT, "  still not steady after %.0f s: measuring anyway%n", limit);
    }
  }

  /** The round with the median maximum rate (the lower middle one of an even count). */
  static <T extends Measured<Search>> T median(List<T> rounds) {
    List<T> sorted = new ArrayList<>(rounds);
    sorted.sort(Comparator.comparingDouble(m -> m.value().maxRate()));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /**
   * A fixed-rate run and the CPU time it cost: the server's, per answered request, and the load
   * generator's. CPU per request hardly depends on other processes competing for the CPUs, so
   * the ratio of the two servers' costs estimates their throughput ratio even on a busy machine.
   */
  record Fixed(Outcome outcome, double serverCpuMicros, double clientCpuMicros) {
    String summary() {
      return outcome.summary() + String.format(Locale.ROOT,
          "%n  CPU per request: server %.1f us, load generator %.1f us", serverCpuMicros,
          clientCpuMicros);
    }
  }

  private Fixed fixed(Settings settings, double rate, double seconds, ProcessHandle server)
      throws Exception {
    try (LoadGenerator generator = LoadGenerator.open(settings)) {
      double warmup = args.number("--warmup", 5);
      if (warmup > 0) {
        generator.run(rate, warmup);
      }
      double server0 = cpuSeconds(server);
      double client0 = cpuSeconds(ProcessHandle.current());
      Outcome outcome = generator.run(rate, seconds);
      double n = Math.max(1, outcome.responses());
      return new Fixed(outcome, (cpuSeconds(server) - server0) / n * 1e6,
          (cpuSeconds(ProcessHandle.current()) - client0) / n * 1e6);
    }
  }

  private static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
  }

  // ---- measuring, with the machine's other load ----

  interface Phase<T> {
    T run() throws Exception;
  }

  record Measured<T>(T value, CpuMeter.Use cpu, double othersBefore) {}

  /**
   * Runs a phase when the machine is quiet and repeats it (up to {@code --retries} times) when
   * other processes took more than {@code --max-others} of the CPUs while it ran.
   */
  private <T> Measured<T> measure(CpuMeter meter, Phase<T> phase) throws Exception {
    double maxOthers = args.number("--max-others", 0.25);
    int retries = args.integer("--retries", 0);
    for (int attempt = 0; ; attempt++) {
      double before = meter.awaitQuiet(maxOthers, quietWait);
      CpuMeter.Reading a = meter.read();
      T value = phase.run();
      CpuMeter.Use use = CpuMeter.between(a, meter.read());
      out.printf(Locale.ROOT, "CPU during this phase: %.0f%% of the machine busy, %.0f%% by other"
          + " processes than the servers and the load generator%n", use.total() * 100,
          use.others() * 100);
      if (!(use.others() > maxOthers) || attempt >= retries) {
        return new Measured<>(value, use, before);
      }
      out.printf(Locale.ROOT, "other processes took more than %.0f%%: measuring again (%d of %d)%n",
          maxOthers * 100, attempt + 1, retries);
    }
  }

  // ---- the table ----

  private String table(double meanBytes, int bareBytes, List<Measured<Search>> iklanRounds,
      List<Measured<Search>> bareRounds, Measured<Search> iklanMax, Measured<Search> bareMax,
      double half, double halfSeconds, Measured<Fixed> iklanHalf, Measured<Fixed> bareHalf) {
    StringBuilder t = new StringBuilder();
    Outcome im = iklanMax.value().best();
    Outcome bm = bareMax.value().best();
    Outcome ih = iklanHalf.value().outcome();
    Outcome bh = bareHalf.value().outcome();
    t.append(String.format(Locale.ROOT, "Iklan vs bare Vert.x — %s — %s, %d CPUs, %s%n", label,
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version")));
    t.append(String.format(Locale.ROOT, "responses: Iklan mean %.0f B, bare fixed %d B; %s%n%n",
        meanBytes, bareBytes, args.has("--server-cpus")
            ? "servers on CPUs " + args.required("--server-cpus")
                + ", load generator on the others"
            : "load generator on the same CPUs as the server"));
    t.append(String.format(Locale.ROOT, "| %-38s | %10s | %10s | %10s |%n", "", "Iklan",
        "bare", "Iklan/bare"));
    t.append("|----------------------------------------|-----------:|-----------:|-----------:|\n");
    row(t, "max rate passed, median round (req/s)", im.rate(), bm.rate(), "%.0f", true);
    t.append(String.format(Locale.ROOT, "| %-38s | %10s | %10s | %10s |%n",
        "  each round, in order (req/s)", rates(iklanRounds), rates(bareRounds), ""));
    row(t, "  achieved at that rate (req/s)", im.achieved(), bm.achieved(), "%.0f", true);
    row(t, "  p99 at that rate (ms)", im.ms(99), bm.ms(99), "%.2f", false);
    t.append(String.format(Locale.ROOT, "| %-38s | %10s | %10s | %10s |%n",
        String.format(Locale.ROOT, "at %.0f req/s for %.0f s (half max):", half, halfSeconds),
        "", "", ""));
    row(t, "  achieved (req/s)", ih.achieved(), bh.achieved(), "%.0f", false);
    row(t, "  p50 (ms)", ih.ms(50), bh.ms(50), "%.3f", false);
    row(t, "  p90 (ms)", ih.ms(90), bh.ms(90), "%.3f", false);
    row(t, "  p99 (ms)", ih.ms(99), bh.ms(99), "%.3f", false);
    row(t, "  p99.9 (ms)", ih.ms(99.9), bh.ms(99.9), "%.3f", false);
    row(t, "  max (ms)", ih.maxMs(), bh.maxMs(), "%.3f", false);
    t.append(String.format(Locale.ROOT, "| %-38s | %10s | %10s | %10s |%n",
        "  errors / non-2xx / timeouts", errors(ih), errors(bh), ""));
    double ic = iklanHalf.value().serverCpuMicros();
    double bc = bareHalf.value().serverCpuMicros();
    t.append(String.format(Locale.ROOT, "| %-38s | %10.1f | %10.1f | %10.2f |%n",
        "  server CPU per request (us)", ic, bc, ic / bc));
    t.append(String.format(Locale.ROOT, "| %-38s | %10.0f | %10.0f | %10.2f |%n",
        "  -> CPUs / CPU per request (req/s)", cpus() * 1e6 / ic, cpus() * 1e6 / bc, bc / ic));
    t.append(String.format(Locale.ROOT, "| %-38s | %10.1f | %10.1f | %10s |%n",
        "  load generator CPU per request (us)", iklanHalf.value().clientCpuMicros(),
        bareHalf.value().clientCpuMicros(), ""));
    t.append(String.format(Locale.ROOT, "| %-38s | %10s | %10s | %10s |%n",
        "other processes' CPU, max / half phase",
        percent(iklanMax.cpu().others()) + " / " + percent(iklanHalf.cpu().others()),
        percent(bareMax.cpu().others()) + " / " + percent(bareHalf.cpu().others()), ""));
    t.append(String.format(Locale.ROOT, "%nservers: %s; warm-up at least %s s at %s/s each"
            + " (until steady) before the first round; %d rounds, Iklan and bare taking turns%n",
        String.join(" ", javaOptions()), args.text("--server-warmup", "60"),
        args.text("--warmup-rate", "2000"), iklanRounds.size()));
    double ratio = im.rate() / bm.rate();
    t.append(String.format(Locale.ROOT, "%ngoal: throughput >= 0.7 of bare: %.2f -> %s%n", ratio,
        ratio >= 0.7 ? "MET" : "NOT MET"));
    t.append(String.format(Locale.ROOT, "      by server CPU per request at the same rate: %.2f%n",
        bc / ic));
    t.append(String.format(Locale.ROOT, "goal: at half max, p99 <= 2 ms: %.3f ms -> %s;"
            + " p99.9 <= 10 ms: %.3f ms -> %s%n", ih.ms(99), ih.ms(99) <= 2 ? "MET" : "NOT MET",
        ih.ms(99.9), ih.ms(99.9) <= 10 ? "MET" : "NOT MET"));
    return t.toString();
  }

  private static String rates(List<Measured<Search>> rounds) {
    List<String> rates = new ArrayList<>();
    for (Measured<Search> round : rounds) {
      rates.add(String.format(Locale.ROOT, "%.0f", round.value().maxRate()));
    }
    return String.join(" ", rates);
  }

  private static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static void row(StringBuilder t, String name, double iklan, double bare, String format,
      boolean ratio) {
    t.append(String.format(Locale.ROOT, "| %-38s | %10s | %10s | %10s |%n", name,
        String.format(Locale.ROOT, format, iklan), String.format(Locale.ROOT, format, bare),
        ratio ? String.format(Locale.ROOT, "%.2f", iklan / bare) : ""));
  }

  private static String errors(Outcome o) {
    return (o.errors() + o.queueFull()) + " / " + o.non2xx() + " / " + o.timeouts();
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  // ---- child processes ----

  private Process start(List<String> command, Path log) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    if (args.has("--server-cpus")) {
      // the servers on CPUs of their own; Compare (the load generator) is run under taskset on
      // the others, so neither takes the other's CPU. taskset execs the JVM: same pid.
      List<String> pinned = new ArrayList<>(List.of("taskset", "-c", args.required("--server-cpus")));
      pinned.addAll(command);
      command = pinned;
    }
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    synchronized (children) {
      children.add(p);
    }
    return p;
  }

  private void killChildren() {
    List<Process> all;
    synchronized (children) {
      all = new ArrayList<>(children);
      children.clear();
    }
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void awaitHealth(Process p, int port, int seconds) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() - deadline < 0) {
      if (!p.isAlive()) {
        throw new IllegalStateException("server on port " + port + " exited with "
            + p.exitValue() + " before it was healthy; see its log in the results folder");
      }
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("server on port " + port + " not healthy after " + seconds
        + " s");
  }

  private void jcmd(Process p, String... command) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(java()).resolveSibling("jcmd").toString());
    line.add(Long.toString(p.pid()));
    line.addAll(List.of(command));
    try {
      Process j = new ProcessBuilder(line).redirectErrorStream(true).start();
      String text = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
        out.println("jcmd failed: " + text.trim());
      } else {
        out.println("jcmd " + String.join(" ", command) + ": " + text.trim().replace('\n', ' '));
      }
    } catch (IOException | InterruptedException e) {
      out.println("jcmd failed: " + e);
    }
  }

  /** Extra options of both servers' JVMs: docs/deployment-systemd.md's unless given. */
  private List<String> javaOptions() {
    String options = args.text("--server-java-options",
        "-XX:+AlwaysPreTouch -XX:MaxTenuringThreshold=1").trim();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  private List<String> javaCommand(String heap, String... rest) {
    List<String> command = new ArrayList<>(List.of(java(), "-Xms" + heap, "-Xmx" + heap));
    command.addAll(javaOptions());
    command.addAll(List.of(rest));
    return command;
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static String labelOf(Path rules) {
    String name = rules.getFileName().toString();
    return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
  }

  private static String json(Path path) {
    return path.toString().replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + root + ": " + e.getMessage());
    }
  }
}
