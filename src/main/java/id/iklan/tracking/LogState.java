package id.iklan.tracking;

import id.iklan.rules.FrequencyCap;
import java.io.IOException;
import java.time.Duration;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * The fold of an event log: what a snapshot holds and what a restart rebuilds. Replay and
 * compaction both apply a snapshot's records and then each later segment's, in order:
 * <ul>
 *   <li>report totals per (publisher-time-zone day, campaign, creative, section), kept forever;
 *   <li>each reader's serve times per capped campaign, kept while a cap window can still see
 *       them;
 *   <li>the beacons already counted, kept until their tokens expire.
 * </ul>
 * The log only holds beacons that were counted, so applying never needs to deduplicate.
 * Not thread-safe: one thread builds it.
 */
final class LogState {
  /** Campaigns without a cap in the current rules keep this much history (capped again later). */
  static final Duration DEFAULT_CAP_HISTORY = Duration.ofDays(31);
  /** Rules never carry a larger cap count, so more serve times per reader are never needed. */
  static final int MAX_SERVES_PER_READER = id.iklan.rules.RuleSetReader.MAX_CAP_COUNT;

  record Key(long epochDay, String campaignId, String creativeId, String section) {}

  record ReaderCampaign(String userId, String campaignId) {}

  /** served, impressions, clicks, revenue in micros. */
  final Map<Key, long[]> counts = new HashMap<>();
  final Map<ReaderCampaign, long[]> serves = new HashMap<>();
  final Map<Fingerprint, Long> seen = new HashMap<>();
  private final Days days;

  LogState(ZoneRules zone) {
    this.days = new Days(zone);
  }

  void apply(LogRecord record) {
    if (record instanceof LogRecord.Served s) {
      long[] c = cell(new Key(days.of(s.atMillis()), s.campaignId(),
          s.creativeId(), s.section()));
      c[0] += s.count();
      c[3] += s.revenueMicros() * s.count();
      if (!s.userId().isEmpty()) {
        for (int i = 0; i < s.count(); i++) {
          addServe(new ReaderCampaign(s.userId(), s.campaignId()), s.atMillis());
        }
      }
    } else if (record instanceof LogRecord.Beacon b) {
      long[] c = cell(new Key(days.of(b.atMillis()), b.campaignId(),
          b.creativeId(), b.section()));
      c[b.kind() == BeaconKind.IMPRESSION ? 1 : 2]++;
      seen.merge(Fingerprint.of(b.kind(), b.requestId(), b.slotId()), b.expiresAt(), Math::max);
    } else if (record instanceof LogRecord.Counts k) {
      long[] c = cell(new Key(k.epochDay(), k.campaignId(), k.creativeId(), k.section()));
      c[0] += k.served();
      c[1] += k.impressions();
      c[2] += k.clicks();
      c[3] += k.revenueMicros();
    } else if (record instanceof LogRecord.UserServes u) {
      ReaderCampaign key = new ReaderCampaign(u.userId(), u.campaignId());
      for (long t : u.times()) {
        addServe(key, t);
      }
    } else if (record instanceof LogRecord.Seen s) {
      seen.merge(s.key(), s.expiresAt(), Math::max);
    }
    // snapshot start and end records frame the data; they change nothing
  }

  private long[] cell(Key key) {
    return counts.computeIfAbsent(key, k -> new long[4]);
  }

  /** Serve times are kept as {@code [n, t1..tn, spare]}, trimmed to the newest when long. */
  private void addServe(ReaderCampaign key, long atMillis) {
    long[] times = serves.get(key);
    if (times == null) {
      times = new long[4];
    } else if ((int) times[0] + 1 >= times.length) {
      int n = (int) times[0];
      if (n >= 2 * MAX_SERVES_PER_READER) {
        Arrays.sort(times, 1, n + 1);
        int keep = MAX_SERVES_PER_READER;
        System.arraycopy(times, n + 1 - keep, times, 1, keep);
        times[0] = keep;
      } else {
        times = Arrays.copyOf(times, times.length * 2);
      }
    }
    int n = (int) times[0];
    times[n + 1] = atMillis;
    times[0] = n + 1;
    serves.put(key, times);
  }

  /**
   * Forgets what can no longer matter at {@code nowMillis}: beacons whose tokens have expired
   * (a replay would be refused anyway), and serve times that no cap window reaches. A campaign
   * with a cap keeps the newest {@code count} serves inside its window, which is all a cap
   * decision can look at; one without (uncapped or unknown now) keeps up to
   * {@link #DEFAULT_CAP_HISTORY}.
   *
   * @param caps the current cap of a campaign id, or null
   */
  void prune(long nowMillis, Function<String, FrequencyCap> caps) {
    long nowSeconds = Math.floorDiv(nowMillis, 1000L);
    seen.values().removeIf(expiresAt -> expiresAt <= nowSeconds);
    Iterator<Map.Entry<ReaderCampaign, long[]>> it = serves.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<ReaderCampaign, long[]> e = it.next();
      FrequencyCap cap = caps.apply(e.getKey().campaignId());
      long window = cap == null ? DEFAULT_CAP_HISTORY.toMillis() : cap.window().toMillis();
      int keep = cap == null ? MAX_SERVES_PER_READER : cap.count();
      long since = nowMillis - window;
      long[] times = e.getValue();
      int n = (int) times[0];
      long[] sorted = Arrays.copyOfRange(times, 1, n + 1);
      Arrays.sort(sorted);
      int from = n;
      while (from > 0 && sorted[from - 1] >= since && n - from < keep) {
        from--;
      }
      if (from == n) {
        it.remove();
        continue;
      }
      long[] kept = new long[n - from + 1];
      kept[0] = n - from;
      System.arraycopy(sorted, from, kept, 1, n - from);
      e.setValue(kept);
    }
  }

  /** The serve times of one reader and campaign, oldest first. */
  static long[] times(long[] stored) {
    long[] out = Arrays.copyOfRange(stored, 1, (int) stored[0] + 1);
    Arrays.sort(out);
    return out;
  }

  /** Receives records; may fail with an I/O error. */
  @FunctionalInterface
  interface Sink {
    void accept(LogRecord record) throws IOException;
  }

  /** Emits this state as snapshot records (without the start and end frame). */
  void writeTo(Sink sink) throws IOException {
    for (Map.Entry<Key, long[]> e : counts.entrySet()) {
      Key k = e.getKey();
      long[] c = e.getValue();
      sink.accept(new LogRecord.Counts(k.epochDay(), k.campaignId(), k.creativeId(), k.section(),
          c[0], c[1], c[2], c[3]));
    }
    for (Map.Entry<ReaderCampaign, long[]> e : serves.entrySet()) {
      sink.accept(new LogRecord.UserServes(e.getKey().userId(), e.getKey().campaignId(),
          times(e.getValue())));
    }
    for (Map.Entry<Fingerprint, Long> e : seen.entrySet()) {
      sink.accept(new LogRecord.Seen(e.getKey(), e.getValue()));
    }
  }
}
