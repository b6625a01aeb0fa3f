package id.iklan.bench;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.RuleSet;
import id.iklan.selection.CompiledRules;
import id.iklan.workload.Workload;
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
 * Time to compile a rule set into the index (what a rule upload costs before it goes live).
 * Single-shot: each call compiles from scratch with fresh counters, as a server does.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CompileBenchmark</pre>
 * Retained heap is measured by {@link IndexFootprint}, not here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class CompileBenchmark {
  @Param({"10000", "100000", "1000000"})
  int campaigns;

  RuleSet rules;

  @Setup
  public void setUp() {
    rules = Workload.standard(42).campaigns(campaigns);
  }

  @Benchmark
  public CompiledRules compile() {
    return CompiledRules.compile(rules, 1, new InMemoryDeliveryCounters());
  }
}
