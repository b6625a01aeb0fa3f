package id.iklan.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery state in this process's memory.
 *
 * <p>Frequency-cap history is bounded twice: per user and campaign it keeps only the last
 * {@code n} serve times a cap of {@code n} can need (older ones cannot change a decision), and
 * users are evicted by Caffeine when idle for longer than the longest cap window, or when more
 * than {@code maxUsers} are tracked.
 */
public final class InMemoryDeliveryCounters implements DeliveryCounters {
  private static final int MAX_REMEMBERED_SERVES = FrequencyLimits.MAX_CAP_COUNT;

  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Cache<String, UserHistory> users;

  /**
   * @param maxUsers how many users' cap history to keep at most
   * @param longestWindow how long an idle user's history is kept (the longest cap window in use)
   */
  public InMemoryDeliveryCounters(long maxUsers, Duration longestWindow) {
    this.users = Caffeine.newBuilder()
        .executor(Runnable::run) // maintenance on the caller: see docs/design.md, "Caches"
        .maximumSize(maxUsers)
        .expireAfterAccess(longestWindow)
        .build();
  }

  /** Defaults for a single server: a million users, windows up to 31 days. */
  public InMemoryDeliveryCounters() {
    this(1_000_000, Duration.ofDays(31));
  }

  @Override
  public ServedCounter served(String campaignId) {
    return counters.computeIfAbsent(campaignId, id -> new Counter());
  }

  @Override
  public int servedToUser(String userId, String campaignId, long sinceMillis) {
    UserHistory history = users.getIfPresent(userId);
    return history == null ? 0 : history.countSince(campaignId, sinceMillis);
  }

  @Override
  public void recordUserServes(String userId, String campaignId, long atMillis, int times) {
    users.get(userId, id -> new UserHistory()).record(campaignId, atMillis, times);
  }

  /** Runs pending evictions now (Caffeine otherwise does it in the background). */
  void cleanUp() {
    users.cleanUp();
  }

  private static final class Counter extends AtomicLong implements ServedCounter {
    @Override
    public void add(int n) {
      addAndGet(n);
    }

    @Override
    public boolean tryAdd(int n, long limit) {
      while (true) {
        long current = get();
        if (current + n > limit) {
          return false;
        }
        if (compareAndSet(current, current + n)) {
          return true;
        }
      }
    }
  }

  /** One user's recent serve times per campaign, newest last, at most a few per campaign. */
  private static final class UserHistory {
    private final Map<String, long[]> serves = new HashMap<>(4);

    synchronized int countSince(String campaignId, long sinceMillis) {
      long[] times = serves.get(campaignId);
      if (times == null) {
        return 0;
      }
      int count = 0;
      for (int i = 1; i <= (int) times[0]; i++) {
        if (times[i] >= sinceMillis) {
          count++;
        }
      }
      return count;
    }

    synchronized void record(String campaignId, long atMillis, int times) {
      long[] ring = serves.computeIfAbsent(campaignId, id -> new long[1 + 4]);
      for (int t = 0; t < times; t++) {
        int size = (int) ring[0];
        if (size + 1 >= ring.length) {
          if (ring.length - 1 < MAX_REMEMBERED_SERVES) {
            ring = java.util.Arrays.copyOf(ring, Math.min(ring.length * 2 - 1,
                MAX_REMEMBERED_SERVES + 1));
            serves.put(campaignId, ring);
          } else {
            // drop the oldest: a cap can never need more than MAX_REMEMBERED_SERVES of them
            System.arraycopy(ring, 2, ring, 1, size - 1);
            size--;
          }
        }
        ring[size + 1] = atMillis;
        ring[0] = size + 1;
      }
    }
  }
}
