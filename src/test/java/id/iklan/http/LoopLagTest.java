package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop's lag that shedding reads (docs/API.md, "Deadline"), on a real Vert.x event
 * loop: a stall shows while it lasts and right after, a prompt loop shows little, and the probe
 * timer stops when requests stop.
 */
final class LoopLagTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final LoopLag lag = new LoopLag(vertx);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Runs {@code task} on the loop and returns its result. */
  private <T> T onLoop(Supplier<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        result.complete(task.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  private static void busy(long millis) {
    try {
      Thread.sleep(millis); // the loop does nothing else meanwhile, as under a long batch
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void lag_loopStalledAfterARequest_isTheOverdueTimeWhileItLasts() throws Exception {
    long seen = onLoop(() -> {
      lag.requestSeen(System.nanoTime());
      busy(80);
      return lag.lagNanos(System.nanoTime()); // the probe is overdue behind this task
    });
    assertThat(seen).isGreaterThanOrEqualTo(80 * MS - LoopLag.PERIOD_NANOS);
  }

  @Test
  void lag_afterAStall_isHowLateTheProbeFiredThenSmallAgain() throws Exception {
    onLoop(() -> {
      lag.requestSeen(System.nanoTime());
      busy(80);
      return null;
    });
    Thread.sleep(2); // the late probe fires as soon as the loop is free
    assertThat(onLoop(() -> lag.lagNanos(System.nanoTime())))
        .as("the next request sees the stall")
        .isGreaterThanOrEqualTo(80 * MS - LoopLag.PERIOD_NANOS);
    Thread.sleep(100);
    assertThat(onLoop(() -> lag.lagNanos(System.nanoTime())))
        .as("the probes that followed fired on time").isLessThan(40 * MS);
  }

  @Test
  void probe_stopsWhenRequestsStop_andAnIdleLoopHasNoLag() throws Exception {
    onLoop(() -> {
      lag.requestSeen(System.nanoTime());
      return null;
    });
    assertThat(onLoop(lag::probing)).isTrue();
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(LoopLag.IDLE_NANOS) + 300);
    assertThat(onLoop(lag::probing)).as("no timer on an idle loop").isFalse();
    assertThat(onLoop(() -> lag.lagNanos(System.nanoTime()))).isZero();
    onLoop(() -> {
      lag.requestSeen(System.nanoTime());
      return null;
    });
    assertThat(onLoop(lag::probing)).as("the next request starts it again").isTrue();
  }

  @Test
  void lag_requestsSeenOffAnyEventLoop_measureNothing() {
    lag.requestSeen(System.nanoTime());
    assertThat(lag.probing()).isFalse();
    assertThat(lag.lagNanos(System.nanoTime() + 500 * MS)).isZero();
  }
}
