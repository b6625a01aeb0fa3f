package id.iklan.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * This server's view of readers' recent serves of capped campaigns, which selection reads
 * without waiting for Redis. It is a cache of Redis, not the authority: every cap reservation
 * answers with the reader's serve times kept in Redis, which replace the view's, so a reader
 * served elsewhere is known here after the first reservation that meets the cap (that slot is
 * then left empty; docs/deployment.md). Bounded in readers and idle time like the embedded
 * history.
 */
final class CapView {
  private static final long[] NONE = new long[0];

  private final Cache<String, Map<String, long[]>> readers;

  CapView(long maxReaders, Duration idle) {
    this.readers = Caffeine.newBuilder()
        .executor(Runnable::run) // maintenance on the caller: see docs/design.md, "Caches"
        .maximumSize(maxReaders).expireAfterAccess(idle).build();
  }

  int countSince(String userId, String campaignId, long sinceMillis) {
    Map<String, long[]> reader = readers.getIfPresent(userId);
    if (reader == null) {
      return 0;
    }
    long[] times;
    synchronized (reader) {
      times = reader.getOrDefault(campaignId, NONE);
    }
    int count = 0;
    for (long t : times) {
      if (t >= sinceMillis) {
        count++;
      }
    }
    return count;
  }

  /** Serves counted here before Redis confirms them (seen by this server's next requests). */
  void add(String userId, String campaignId, long atMillis, int times) {
    Map<String, long[]> reader = readers.get(userId, id -> new HashMap<>(4));
    synchronized (reader) {
      long[] old = reader.getOrDefault(campaignId, NONE);
      long[] next = Arrays.copyOf(old, old.length + times);
      Arrays.fill(next, old.length, next.length, atMillis);
      reader.put(campaignId, next);
    }
  }

  /** The serve times Redis holds for the reader and campaign, as a reservation answered. */
  void replace(String userId, String campaignId, String packedTimes) {
    long[] times = unpack(packedTimes);
    Map<String, long[]> reader = readers.get(userId, id -> new HashMap<>(4));
    synchronized (reader) {
      if (times.length == 0) {
        reader.remove(campaignId);
      } else {
        reader.put(campaignId, times);
      }
    }
  }

  static long[] unpack(String packed) {
    if (packed == null || packed.isEmpty()) {
      return NONE;
    }
    String[] parts = packed.split(",");
    long[] times = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      times[i] = Long.parseLong(parts[i]);
    }
    return times;
  }
}
