package id.iklan.shared;

import id.iklan.delivery.ServedCounter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A campaign's served count as this server sees it: the total last read from Redis plus this
 * server's own serves not yet acknowledged by Redis. Selection reads and counts it without
 * waiting for Redis; {@link RedisCounters} sends the local serves in batches and reads the
 * total back.
 *
 * <p>Invariant: {@code view = shared + (local - acked)}, where {@code shared} is a total that
 * already holds the first {@code acked} of this server's {@code local} serves. An answer to a
 * flush sets {@code shared} before {@code acked}, so the view is briefly too high, never too
 * low: a goal check errs on the side of not serving. Other servers' serves appear in
 * {@code shared} within one flush plus one refresh interval: that lag is what bounds a goal's
 * overshoot (docs/deployment.md).
 *
 * <p>While Redis is unreachable the servers cannot see each other's serves. A goal campaign
 * then gets a share: from the view it had when the outage began, this server serves at most
 * (goal − view) ÷ servers, the number of servers last seen in Redis, so that together they
 * stay within the goal. A count never read from Redis is unknown: a campaign with a goal is
 * not served until it is known.
 */
final class SharedServed implements ServedCounter {
  /** What {@link #get} answers while the total is unknown: more than any goal. */
  static final long UNKNOWN_VIEW = Long.MAX_VALUE / 4;

  final String campaignId;
  final String key;
  private final RedisCounters owner;
  /** The total last read from Redis (never decreases), or -1 while unknown. */
  private volatile long shared = -1;
  /** Every serve this server counted since it started (less those taken back). */
  private final AtomicLong local = new AtomicLong();
  /** How much of {@link #local} {@link #shared} already holds. */
  private volatile long acked;
  /** How much of {@link #local} has been put in a batch (flusher thread only). */
  long sent;
  /** Whether the counter waits in the flusher's queue. */
  final AtomicBoolean dirty = new AtomicBoolean();
  private int outageEpoch;
  private long outageBase;
  private long outageLocal;

  SharedServed(String campaignId, String key, RedisCounters owner) {
    this.campaignId = campaignId;
    this.key = key;
    this.owner = owner;
  }

  @Override
  public long get() {
    long s = shared;
    return s < 0 ? UNKNOWN_VIEW : s + local.get() - acked;
  }

  @Override
  public void add(int n) {
    local.addAndGet(n);
    owner.dirty(this);
  }

  @Override
  public boolean tryAdd(int n, long limit) {
    while (true) {
      long s = shared;
      if (s < 0) {
        return false;
      }
      long l = local.get();
      long view = s + l - acked;
      if (view + n > limit) {
        return false;
      }
      RedisCounters.Outage outage = owner.outage();
      if (outage != null && !withinShare(outage, view, l, n, limit)) {
        return false;
      }
      if (local.compareAndSet(l, l + n)) {
        owner.dirty(this);
        return true;
      }
    }
  }

  private synchronized boolean withinShare(RedisCounters.Outage outage, long view, long l, int n,
      long limit) {
    if (outageEpoch != outage.epoch()) {
      outageEpoch = outage.epoch();
      outageBase = view;
      outageLocal = l;
    }
    long share = (limit - outageBase) / Math.max(1, outage.servers());
    return l - outageLocal + n <= share;
  }

  /** The local serves to send in the next batch: everything since the last batch. */
  long unsent() {
    return local.get() - sent;
  }

  long local() {
    return local.get();
  }

  long known() {
    return shared;
  }

  /** Redis answered a flush: it holds {@code total}, which includes our first {@code upTo}. */
  void acknowledged(long total, long upTo) {
    raise(total);
    acked = upTo;
  }

  /** Redis answered a refresh or a load with {@code total}. */
  void refreshed(long total) {
    raise(total);
  }

  private synchronized void raise(long total) {
    if (total > shared) {
      shared = total;
    }
  }
}
