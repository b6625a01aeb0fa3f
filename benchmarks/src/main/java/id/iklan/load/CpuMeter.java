package id.iklan.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How busy the machine was, and how much of that was not us: a load test is only as good as the
 * quiet of the machine it runs on, and on a shared machine that is worth measuring, not assuming.
 * Reads {@code /proc/stat} (all CPUs) and the CPU time of this process and of the given child
 * processes; elsewhere than Linux it reports nothing.
 */
final class CpuMeter {
  /** Kernel clock ticks per second in /proc/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  private final List<ProcessHandle> ours;

  CpuMeter(List<ProcessHandle> ours) {
    this.ours = ours;
  }

  /** A reading to subtract from a later one. */
  record Reading(long nanos, double busySeconds, double ourSeconds) {}

  /** CPU use between two readings, as shares of all the machine's cores (0..1). */
  record Use(double total, double ours) {
    double others() {
      return Math.max(0, total - ours);
    }
  }

  Reading read() {
    double ourSeconds = cpuSeconds(ProcessHandle.current());
    for (ProcessHandle p : ours) {
      ourSeconds += cpuSeconds(p);
    }
    return new Reading(System.nanoTime(), busyTicks() / TICKS, ourSeconds);
  }

  static Use between(Reading a, Reading b) {
    double capacity = (b.nanos() - a.nanos()) / 1e9 * CPUS;
    if (capacity <= 0 || a.busySeconds() < 0 || b.busySeconds() < 0) {
      return new Use(Double.NaN, Double.NaN);
    }
    return new Use((b.busySeconds() - a.busySeconds()) / capacity,
        (b.ourSeconds() - a.ourSeconds()) / capacity);
  }

  /**
   * Waits, at most {@code maxSeconds}, until processes other than ours use less than
   * {@code share} of the machine over two seconds. Returns the last share seen.
   */
  double awaitQuiet(double share, double maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    boolean told = false;
    while (true) {
      Reading a = read();
      Thread.sleep(2_000);
      double others = between(a, read()).others();
      if (!(others >= share) || System.nanoTime() - deadline > 0) {
        if (told) {
          System.out.printf("  ... other processes now use %.0f%% of the CPUs%n", others * 100);
        }
        return others;
      }
      if (!told) {
        System.out.printf("  waiting up to %.0f s for other processes to quiet down (they use"
            + " %.0f%% of the CPUs)%n", maxSeconds, others * 100);
        told = true;
      }
      Thread.sleep(3_000);
    }
  }

  private static double cpuSeconds(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
  }

  /** Busy ticks of all CPUs since boot (everything but idle and iowait), or -1. */
  private static long busyTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal guest guest_nice
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
