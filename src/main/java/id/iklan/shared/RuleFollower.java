package id.iklan.shared;

import id.iklan.admin.RuleAdmin;
import id.iklan.store.PgRuleStore;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this server on the newest rule version that any server of the deployment wrote to
 * PostgreSQL. Each save sends {@code NOTIFY iklan_rules}; this server LISTENs and, on a
 * notification, loads the version, compiles it on a worker thread and swaps it in atomically
 * ({@link RuleAdmin#catchUp}). A notification can be lost (the LISTEN connection drops, or the
 * server was not listening yet), so the head version is also polled every
 * {@code pollIntervalMs}, and once again each time the LISTEN connection is re-established.
 *
 * <p>Catch-ups never overlap: one that is asked for while another runs is run once more right
 * after it, so the last notification is never missed and a burst of them costs two loads.
 */
public final class RuleFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleFollower.class);
  private static final long RECONNECT_MS = 500;

  private final Vertx vertx;
  private final RuleAdmin admin;
  private final PgSubscriber subscriber;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final long timer;
  private volatile boolean closed;

  private RuleFollower(Vertx vertx, RuleAdmin admin, PgConnectOptions options, int pollMs) {
    this.vertx = vertx;
    this.admin = admin;
    this.subscriber = PgSubscriber.subscriber(vertx, options)
        .reconnectPolicy(retries -> RECONNECT_MS);
    subscriber.channel(PgRuleStore.CHANNEL)
        .subscribeHandler(v -> catchUp())
        .handler(payload -> catchUp());
    this.timer = vertx.setPeriodic(pollMs, id -> {
      if (subscriber.closed() && !closed) {
        connect();
      }
      catchUp();
    });
  }

  /** Starts following; does not wait for the LISTEN connection (polling covers the gap). */
  public static RuleFollower start(Vertx vertx, RuleAdmin admin, String postgresUrl,
      int pollIntervalMs) {
    RuleFollower follower =
        new RuleFollower(vertx, admin, PgRuleStore.options(postgresUrl), pollIntervalMs);
    follower.connect();
    return follower;
  }

  /**
   * Connects the LISTEN connection. Once connected, the subscriber reconnects by itself after a
   * drop; a failed first connection is closed, so that the next poll tries again.
   */
  private void connect() {
    subscriber.connect().onFailure(e -> {
      LOG.debug("LISTEN {} not connected: {}", PgRuleStore.CHANNEL, e.getMessage());
      subscriber.close();
    });
  }

  /** Loads and publishes a newer version, if there is one; never overlapping. */
  void catchUp() {
    if (closed) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    again.set(false);
    vertx.executeBlocking(admin::catchUp, false).onComplete(result -> {
      if (result.succeeded() && result.result()) {
        LOG.info("rules version {} loaded from PostgreSQL", admin.current().version());
      } else if (result.failed()) {
        LOG.debug("rule catch-up failed: {}", result.cause().getMessage());
      }
      running.set(false);
      if (again.get()) {
        catchUp();
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
    subscriber.close();
  }
}
