package id.iklan.http;

import id.iklan.config.IklanConfig;
import id.iklan.metrics.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's guard against slow clients and overload (SPEC §7). Every method runs on the
 * event loop that owns the guard, so its state needs no locks; only the count of open
 * connections is shared by all loops (in {@link ServerMetrics}).
 *
 * <ul>
 *   <li><b>Connection limit.</b> A connection beyond {@code limits.maxConnections} open ones is
 *       closed as soon as it is accepted.
 *   <li><b>Request timeout (slowloris).</b> Vert.x has no timeout for reading a request, and a
 *       client that sends one header byte a second never trips an idle timeout. So each
 *       connection carries a deadline: a request head must be complete within
 *       {@code requestTimeoutMs} of its first byte, and the body of a public endpoint within that
 *       time of its head. A connection waiting for a request (new, or kept alive between
 *       requests) owes nothing: the idle timeout ends it (closing it sooner would race with a
 *       client that is just about to use it).
 *       A small Netty handler in front of the HTTP decoder sees the first byte; where Vert.x's
 *       pipeline cannot be reached, the deadline starts at the connection's opening or previous
 *       answer instead. A sweep
 *       every quarter of the timeout (at most 250 ms) closes connections past their deadline.
 *       Admin bodies are exempt: their senders hold the admin token and may upload 64 MiB over a
 *       slow link.
 *   <li><b>Load.</b> It stamps each request with the time its first byte arrived, counts the
 *       requests in flight on this loop, and measures the loop's lag ({@link LoopLag}): a
 *       request read now has waited in the socket about that long before anyone could see it.
 *       {@link AdsHandler} sheds on these.
 * </ul>
 */
final class ConnectionGuard {
  /**
   * Key of the {@link System#nanoTime()} at which a request's head reached its handler, in the
   * request's data: used only by untracked guards (a tracked connection keeps the time itself).
   */
  static final String ARRIVED_NANOS = "iklan.arrivedNanos";

  private final Vertx vertx;
  private final ServerMetrics metrics;
  private final int maxConnections;
  private final long timeoutNanos;
  private final Map<HttpConnection, Tracked> connections = new HashMap<>();
  private int inFlight;
  private final LoopLag lag;

  /**
   * A guard that only stamps requests, counts them and measures the loop's lag: for routers built
   * without a server (one router per event loop, as for a tracked guard).
   */
  static ConnectionGuard untracked(Vertx vertx, ServerMetrics metrics) {
    return new ConnectionGuard(vertx, metrics, Integer.MAX_VALUE, Long.MAX_VALUE / 4);
  }

  ConnectionGuard(Vertx vertx, ServerMetrics metrics, IklanConfig.Limits limits) {
    this(vertx, metrics, limits.maxConnections(),
        TimeUnit.MILLISECONDS.toNanos(limits.requestTimeoutMs()));
  }

  private ConnectionGuard(Vertx vertx, ServerMetrics metrics, int maxConnections,
      long timeoutNanos) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxConnections = maxConnections;
    this.timeoutNanos = timeoutNanos;
    this.lag = new LoopLag(vertx);
  }

  /** Starts the sweep; call once from the verticle's start, on its loop. */
  void start() {
    long sweepMs = Math.max(10, Math.min(250, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
    vertx.setPeriodic(sweepMs, id -> sweep());
  }

  /** How far behind this event loop runs, in nanoseconds ({@link LoopLag}). */
  long lagNanos() {
    return lag.lagNanos(System.nanoTime());
  }

  /**
   * The {@link System#nanoTime()} at which the first byte of {@code ctx}'s request reached the
   * server, or {@code otherwise} when it is not known (its connection closed meanwhile).
   */
  long arrivedNanos(RoutingContext ctx, long otherwise) {
    Tracked tracked = connections.get(ctx.request().connection());
    if (tracked != null) {
      return tracked.arrived;
    }
    Long arrived = ctx.get(ARRIVED_NANOS);
    return arrived == null ? otherwise : arrived;
  }

  /** Requests read by this loop and not yet answered. */
  int inFlight() {
    return inFlight;
  }

  /** The server's connection handler. */
  void onConnection(HttpConnection connection) {
    int open = metrics.connectionOpened();
    Tracked tracked = new Tracked(connection);
    connection.closeHandler(v -> {
      metrics.connectionClosed();
      tracked.closed = true;
      connections.remove(connection);
    });
    if (open > maxConnections) {
      metrics.connectionRefused();
      connection.close();
      return;
    }
    connections.put(connection, tracked);
    VersionCheck.install(connection);
    tracked.watched = VersionCheck.addInFront(connection, "iklanFirstByte", new FirstByte(tracked));
    // A connection that has sent nothing yet owes nothing but the idle timeout: clients open
    // connections ahead of need (pools, browser preconnects), and closing one early would race
    // with its first request. Without the byte watch, the first head is due from the start.
    tracked.deadline = tracked.watched ? 0 : System.nanoTime() + timeoutNanos;
  }

  /** The router's first handler: stamps, counts and re-arms the connection's deadline. */
  void onRequest(RoutingContext ctx) {
    if (!wellFormedEscapes(ctx.request().path())) {
      // Vert.x Web would fail to match any route and answer a bare 400 without a problem.
      Problems.invalidRequest(ctx.request());
      return;
    }
    long now = System.nanoTime();
    lag.requestSeen(now);
    Tracked tracked = connections.get(ctx.request().connection());
    long arrived = tracked != null && tracked.firstByte != 0 ? tracked.firstByte : now;
    if (tracked == null) {
      ctx.put(ARRIVED_NANOS, arrived);
    } else {
      // Kept on the connection, not in the request's data map (a map, a node and a boxed long
      // per request): this server speaks HTTP/1.x only, and Vert.x hands a connection's next
      // request (pipelined or not) to the router only once the previous answer has ended.
      tracked.arrived = arrived;
      tracked.firstByte = 0;
      tracked.answering = true;
      // A public endpoint's body must follow within the timeout; an admin upload may take long.
      tracked.deadline = ctx.request().path().startsWith("/v1/admin/") ? 0 : now + timeoutNanos;
    }
    inFlight++;
    ctx.addEndHandler(done -> {
      inFlight--;
      if (tracked != null && !tracked.closed) {
        tracked.answering = false;
        // Waiting for the next request: the idle timeout applies until its first byte comes.
        tracked.deadline = tracked.watched ? 0 : System.nanoTime() + timeoutNanos;
      }
    });
    ctx.next();
  }

  /** Whether every {@code %} in {@code path} starts an escape of two hex digits. */
  static boolean wellFormedEscapes(String path) {
    if (path == null) {
      return false;
    }
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
          || Character.digit(path.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private void sweep() {
    if (connections.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<HttpConnection> late = null;
    for (Tracked t : connections.values()) {
      if (t.deadline != 0 && now - t.deadline > 0) {
        if (late == null) {
          late = new ArrayList<>();
        }
        late.add(t.connection);
        t.deadline = 0;
      }
    }
    if (late != null) {
      for (HttpConnection c : late) {
        metrics.connectionTimedOut();
        c.close();
      }
    }
  }

  /**
   * Sees the bytes of a connection before the HTTP decoder: the first one after an answer starts
   * the deadline of the next request head and is that request's arrival time. Runs on the
   * connection's event loop, the guard's.
   */
  private final class FirstByte extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final Tracked tracked;

    FirstByte(Tracked tracked) {
      this.tracked = tracked;
    }

    @Override
    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg)
        throws Exception {
      if (!tracked.answering && tracked.firstByte == 0 && msg instanceof io.netty.buffer.ByteBuf b
          && b.isReadable()) {
        long now = System.nanoTime();
        tracked.firstByte = now;
        if (tracked.deadline == 0) {
          tracked.deadline = now + timeoutNanos;
        }
      }
      super.channelRead(ctx, msg);
    }
  }

  /** A connection and the time by which it must have sent what it owes (0: nothing owed). */
  private static final class Tracked {
    final HttpConnection connection;
    long deadline;
    boolean closed;
    /** Whether a {@link FirstByte} handler watches this connection. */
    boolean watched;
    /** Whether a request of it is being answered. */
    boolean answering;
    /** When the first byte of the next request arrived (0: none yet). */
    long firstByte;
    /** When the request being answered began: its first byte, or its head without the watch. */
    long arrived;

    Tracked(HttpConnection connection) {
      this.connection = connection;
    }
  }
}
