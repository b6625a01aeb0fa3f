package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.metrics.ServerMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop's lag that shedding reads (docs/API.md, "Deadline"), on a real Vert.x event
 * loop: a stall shows while it lasts and right after (also one longer than the idle time), a
 * prompt loop shows little, the probe timer stops when requests stop, and requests through the
 * connection guard start it.
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
    assertThat(afterStall(80)).as("what comes after the stall sees it")
        .isGreaterThanOrEqualTo(80 * MS - LoopLag.PERIOD_NANOS);
    Thread.sleep(100);
    assertThat(onLoop(() -> lag.lagNanos(System.nanoTime())))
        .as("the probes that followed fired on time").isLessThan(40 * MS);
  }

  /**
   * Stalls the loop {@code millis} right after a request and returns the lag read just after the
   * late probe has fired: by a timer due after the probe's, as the requests read after the stall
   * would (reading it from the test thread could come a whole period later, on a slow machine).
   */
  private long afterStall(long millis) throws Exception {
    CompletableFuture<Long> after = new CompletableFuture<>();
    loop.runOnContext(v -> {
      lag.requestSeen(System.nanoTime());
      busy(millis);
      vertx.setTimer(1, id -> after.complete(lag.lagNanos(System.nanoTime())));
    });
    return after.get(10, TimeUnit.SECONDS);
  }

  @Test
  void probe_requestsComingSteadily_keepItRunning() throws Exception {
    long until = System.nanoTime() + LoopLag.IDLE_NANOS * 3 / 2;
    while (System.nanoTime() - until < 0) {
      onLoop(() -> {
        lag.requestSeen(System.nanoTime());
        return null;
      });
      Thread.sleep(100); // twenty probe periods, well inside the idle time
      assertThat(onLoop(lag::probing)).as("probing between requests").isTrue();
    }
  }

  @Test
  void lag_stallLongerThanTheIdleTime_stillShowsAfterIt() throws Exception {
    long stallMs = TimeUnit.NANOSECONDS.toMillis(LoopLag.IDLE_NANOS) + 200;
    CompletableFuture<long[]> after = new CompletableFuture<>();
    loop.runOnContext(v -> {
      lag.requestSeen(System.nanoTime()); // a request whose handling stalls the loop
      busy(stallMs);
      // due after the probe (same loop, later deadline), as the requests read after the stall
      vertx.setTimer(1, id -> after.complete(
          new long[] {lag.probing() ? 1 : 0, lag.lagNanos(System.nanoTime())}));
    });
    long[] seen = after.get(10, TimeUnit.SECONDS);
    assertThat(seen[0]).as("a late probe does not stop").isEqualTo(1);
    assertThat(seen[1]).as("what comes after the stall sees it")
        .isGreaterThanOrEqualTo(stallMs * MS - LoopLag.PERIOD_NANOS);
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
  void guard_requestStallingItsLoop_isSeenByTheNextRequestsLag() throws Exception {
    ConnectionGuard guard =
        ConnectionGuard.untracked(vertx, new ServerMetrics(() -> "", () -> 1, () -> 0));
    Router router = Router.router(vertx);
    router.route().handler(guard::onRequest);
    CompletableFuture<Void> stalling = new CompletableFuture<>();
    router.get("/stall").handler(ctx -> {
      stalling.complete(null);
      busy(300);
      ctx.response().end();
    });
    router.get("/lag").handler(ctx -> ctx.response().end(Long.toString(guard.lagNanos())));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
    HttpClient client = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + server.actualPort());

    var stall = client.sendAsync(HttpRequest.newBuilder(base.resolve("/stall")).build(),
        HttpResponse.BodyHandlers.discarding());
    stalling.get(10, TimeUnit.SECONDS); // the loop is inside the stall: /lag waits unread
    String lag = client.send(HttpRequest.newBuilder(base.resolve("/lag")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    stall.get(10, TimeUnit.SECONDS);

    assertThat(Long.parseLong(lag)).isGreaterThanOrEqualTo(200 * MS);
  }

  @Test
  void lag_requestsSeenOffAnyEventLoop_measureNothing() {
    lag.requestSeen(System.nanoTime());
    assertThat(lag.probing()).isFalse();
    assertThat(lag.lagNanos(System.nanoTime() + 500 * MS)).isZero();
  }
}
