package id.iklan.bench;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.http.GateCodec;
import id.iklan.rules.RuleSet;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Selector;
import id.iklan.testing.ReferenceSelector;
import id.iklan.workload.RequestBodies;
import id.iklan.workload.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The benchmark gate that CI runs after the tests: measures, in one JVM on the workload
 * generator's corpus (10k campaigns, realistic pages), what cannot drift unnoticed, and fails
 * when a budget is broken.
 *
 * <ul>
 *   <li>bytes allocated per page decision (the current thread's allocation counter, exact and
 *       independent of machine speed);
 *   <li>speed of the index relative to the brute-force reference, measured in the same run,
 *       alternating the two (a ratio is robust to a slow or busy machine);
 *   <li>the same two for request parsing plus response writing of 5-slot pages, relative to
 *       plain Jackson work on the same bytes.
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar id.iklan.bench.Gate benchmarks/gate.properties</pre>
 */
public final class Gate {
  private static final int CAMPAIGNS = 10_000;
  private static final int REQUESTS = 1 << 12;
  private static final ZoneId ZONE = ZoneId.of("Asia/Jakarta");

  private Gate() {}

  public static void main(String[] args) throws IOException {
    Properties budgets = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args.length > 0 ? args[0]
        : "benchmarks/gate.properties"))) {
      budgets.load(in);
    }
    Measured m = measure();
    System.out.println(m.report());
    List<String> failures = new ArrayList<>();
    atMost(failures, "decision.alloc.bytes", m.decisionBytes, budgets);
    atLeast(failures, "decision.speedup", m.decisionSpeedup, budgets);
    atMost(failures, "codec.alloc.bytes", m.codecBytes, budgets);
    atMost(failures, "codec.time.ratio", m.codecRatio, budgets);
    if (!failures.isEmpty()) {
      failures.forEach(System.out::println);
      System.exit(1);
    }
    System.out.println("gate: ok");
  }

  /** Everything the gate checks, from one run. */
  record Measured(double decisionBytes, double decisionSpeedup, double indexMicros,
      double bruteMicros, double codecBytes, double codecRatio, double codecMicros,
      double baselineMicros) {
    String report() {
      return String.format(Locale.ROOT, "gate: decision %.0f B/op, index %.2f us vs brute force "
              + "%.1f us (%.0fx); parse+write %.0f B/op, %.2f us vs plain Jackson %.2f us "
              + "(ratio %.2f)", decisionBytes, indexMicros, bruteMicros, decisionSpeedup,
          codecBytes, codecMicros, baselineMicros, codecRatio);
    }
  }

  static Measured measure() {
    Workload workload = Workload.standard(42);
    RuleSet rules = workload.campaigns(CAMPAIGNS);
    PageRequest[] requests = workload.requests(REQUESTS);
    InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();
    CompiledRules compiled = CompiledRules.compile(rules, 1, counters);
    Selector selector = new Selector(ZONE);
    ReferenceSelector reference = new ReferenceSelector(ZONE);
    SplittableRandom random = new SplittableRandom(11);

    List<byte[]> bodies = new ArrayList<>();
    List<PageDecision> decisions = new ArrayList<>();
    for (PageRequest request : requests) {
      if (request.slots().size() == 5) {
        bodies.add(RequestBodies.json(request));
        decisions.add(selector.decide(request, compiled, Workload.NOW, random));
      }
    }
    GateCodec codec = new GateCodec(Workload.NOW.getEpochSecond());

    Runnable index = () -> {
      for (int i = 0; i < REQUESTS; i++) {
        sink(selector.decide(requests[i], compiled, Workload.NOW, random));
      }
    };
    Runnable brute = () -> {
      for (int i = 0; i < 64; i++) {
        sink(reference.decide(rules, counters, requests[i * 61 & (REQUESTS - 1)], Workload.NOW,
            new Random(i)));
      }
    };
    Runnable ours = () -> {
      for (int i = 0; i < bodies.size(); i++) {
        sink(codec.parseAndWrite(bodies.get(i), decisions.get(i)));
      }
    };
    Runnable plain = () -> {
      for (byte[] body : bodies) {
        sink(codec.baseline(body));
      }
    };

    warm(index, 2_000);
    warm(brute, 1_000);
    warm(ours, 1_500);
    warm(plain, 1_000);

    double decisionBytes = allocatedPerCall(index) / REQUESTS;
    double codecBytes = allocatedPerCall(ours) / bodies.size();
    double[] indexTimes = new double[7];
    double[] bruteTimes = new double[7];
    double[] ourTimes = new double[7];
    double[] plainTimes = new double[7];
    for (int round = 0; round < 7; round++) {
      indexTimes[round] = nanos(index) / 1e3 / REQUESTS;
      bruteTimes[round] = nanos(brute) / 1e3 / 64;
      ourTimes[round] = nanos(ours) / 1e3 / bodies.size();
      plainTimes[round] = nanos(plain) / 1e3 / bodies.size();
    }
    double indexMicros = median(indexTimes);
    double bruteMicros = median(bruteTimes);
    double ourMicros = median(ourTimes);
    double plainMicros = median(plainTimes);
    return new Measured(decisionBytes, bruteMicros / indexMicros, indexMicros, bruteMicros,
        codecBytes, ourMicros / plainMicros, ourMicros, plainMicros);
  }

  private static volatile Object blackhole;

  private static void sink(Object value) {
    blackhole = value;
  }

  private static void warm(Runnable work, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      work.run();
    }
  }

  private static long nanos(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return System.nanoTime() - start;
  }

  private static double allocatedPerCall(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    double best = Double.MAX_VALUE;
    // the minimum of a few runs: a stray allocation of the runtime itself is not ours
    for (int i = 0; i < 5; i++) {
      long before = threads.getThreadAllocatedBytes(thread);
      work.run();
      best = Math.min(best, threads.getThreadAllocatedBytes(thread) - before);
    }
    return best;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void atMost(List<String> failures, String metric, double measured,
      Properties budgets) {
    double budget = Double.parseDouble(budgets.getProperty(metric + ".max"));
    if (measured > budget) {
      failures.add(String.format(Locale.ROOT, "GATE FAILED: %s = %.2f, budget at most %.2f "
          + "(benchmarks/gate.properties; see benchmarks/RESULTS.md)", metric, measured, budget));
    }
  }

  private static void atLeast(List<String> failures, String metric, double measured,
      Properties budgets) {
    double floor = Double.parseDouble(budgets.getProperty(metric + ".min"));
    if (measured < floor) {
      failures.add(String.format(Locale.ROOT, "GATE FAILED: %s = %.2f, floor at least %.2f "
          + "(benchmarks/gate.properties; see benchmarks/RESULTS.md)", metric, measured, floor));
    }
  }
}
