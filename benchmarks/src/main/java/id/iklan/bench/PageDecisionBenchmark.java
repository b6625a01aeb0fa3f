package id.iklan.bench;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.RuleSet;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Selector;
import id.iklan.testing.ReferenceSelector;
import id.iklan.workload.Workload;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full page decision (all slots of a page) on the workload generator's publisher, for the
 * compiled index and for the brute-force reference in the same run, so the ratio is measured.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PageDecisionBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class PageDecisionBenchmark {
  /** Requests are cycled from a power-of-two array with a mask, as in Caffeine's benchmarks. */
  static final int REQUESTS = 1 << 13;
  static final ZoneId ZONE = ZoneId.of("Asia/Jakarta");

  @Param({"1000", "10000", "100000", "1000000"})
  int campaigns;

  @Param({"INDEX", "BRUTE_FORCE"})
  String engine;

  PageRequest[] requests;
  Instant now;
  CompiledRules compiled;
  RuleSet rules;
  InMemoryDeliveryCounters counters;
  Selector selector;
  ReferenceSelector reference;
  SplittableRandom random;

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup
  public void setUp() {
    Workload workload = Workload.standard(42);
    rules = workload.campaigns(campaigns);
    requests = workload.requests(REQUESTS);
    counters = new InMemoryDeliveryCounters();
    compiled = CompiledRules.compile(rules, 1, counters);
    selector = new Selector(ZONE);
    reference = new ReferenceSelector(ZONE);
    now = Workload.NOW;
    random = new SplittableRandom(7);
  }

  @Benchmark
  public PageDecision decidePage(Cursor cursor) {
    PageRequest request = requests[cursor.next++ & (REQUESTS - 1)];
    if (engine.equals("INDEX")) {
      return selector.decide(request, compiled, now, random);
    }
    return reference.decide(rules, counters, request, now, new java.util.Random(random.nextLong()));
  }
}
