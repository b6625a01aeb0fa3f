package id.iklan.bench;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.RuleSet;
import id.iklan.selection.CompiledRules;
import id.iklan.workload.Workload;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap held by the rules and by the compiled index, after full collections, for 10k / 100k / 1M
 * campaigns of the workload generator:
 *
 * <pre>java -Xmx6g -cp benchmarks/target/benchmarks.jar id.iklan.bench.IndexFootprint</pre>
 */
public final class IndexFootprint {
  private IndexFootprint() {}

  public static void main(String[] args) {
    int[] sizes = args.length == 0 ? new int[] {10_000, 100_000, 1_000_000}
        : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.printf("%12s %14s %14s %14s %12s%n", "campaigns", "rules MiB", "index MiB",
        "total MiB", "compile ms");
    for (int size : sizes) {
      long base = usedAfterGc();
      RuleSet rules = Workload.standard(42).campaigns(size);
      long withRules = usedAfterGc();
      long started = System.nanoTime();
      CompiledRules compiled = CompiledRules.compile(rules, 1, new InMemoryDeliveryCounters());
      long compileMs = (System.nanoTime() - started) / 1_000_000;
      long withIndex = usedAfterGc();
      System.out.printf("%12d %14.1f %14.1f %14.1f %12d%n", size, mib(withRules - base),
          mib(withIndex - withRules), mib(withIndex - base), compileMs);
      if (compiled.size() != rules.campaigns().size()) {
        throw new IllegalStateException("compiled a different rule set");
      }
    }
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
