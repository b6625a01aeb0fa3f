package id.iklan.http;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * How far behind one event loop runs: about how long a request now arriving waits before the
 * loop reads it (docs/API.md, "Deadline"). {@link AdsHandler} sheds on it. It is used on the one
 * event loop that owns it, so its state needs no locks; a request seen off any event loop (a
 * router driven by hand) measures nothing.
 *
 * <p><b>Design note: a 5 ms probe timer, only while requests come.</b> The probe is a timer
 * re-armed every {@link #PERIOD_NANOS}: how late it fires is how long the loop was kept from
 * its queued work, and while the next firing is overdue, the overdue time is the lag (so a
 * stall shows at once, even one between two reads). A timer also wakes a sleeping loop 200
 * times a second, which on this project's 2-core VM cost an idle server about 3% of a core
 * (770–920 ms of CPU in 30 s, against 90 ms with the timer stopped). So the timer runs only
 * while requests come: the first request after a quiet spell starts it, and it stops when it
 * fires on time (less than a period late) after {@link #IDLE_NANOS} without a request. A late
 * firing never stops it: after a stall longer than that, the requests that waited in the socket
 * meanwhile still see it. A loop that has been idle has no lag (a pause that begins while it is
 * idle is not seen). A probe posted by the requests themselves, with no timer at all, was tried
 * and dropped: no CPU gain under load that this VM could measure, and it missed a stall between
 * two reads.
 */
final class LoopLag {
  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** How long without a request before the probe stops. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Vertx vertx;
  private boolean probing;
  private long lastProbe;
  private long lastRequest;
  private long measured;

  LoopLag(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A request is being read on this loop at {@code now} ({@link System#nanoTime()}). */
  void requestSeen(long now) {
    lastRequest = now;
    if (probing || Vertx.currentContext() == null) {
      return; // already probing, or not on an event loop (a router driven by hand)
    }
    probing = true;
    measured = 0;
    lastProbe = now;
    arm();
  }

  private void arm() {
    vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(PERIOD_NANOS), id -> fired());
  }

  private void fired() {
    long now = System.nanoTime();
    measured = Math.max(0, now - lastProbe - PERIOD_NANOS);
    lastProbe = now;
    if (measured < PERIOD_NANOS && now - lastRequest > IDLE_NANOS) { // on time, and quiet
      probing = false;
      return;
    }
    arm();
  }

  /** Whether the probe timer runs now (it stops when requests stop). */
  boolean probing() {
    return probing;
  }

  /**
   * The loop's lag at {@code now}, in nanoseconds: how late the last probe fired, or, when the
   * next one is overdue, how overdue it is; 0 while the probe is stopped.
   */
  long lagNanos(long now) {
    if (!probing) {
      return 0;
    }
    return Math.max(measured, now - lastProbe - PERIOD_NANOS);
  }
}
