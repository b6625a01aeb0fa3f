package id.iklan.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Counts impressions and clicks: one of each per tracking token. A beacon's identity is
 * (kind, request id, slot id); the first one of a token is counted (report ledger and event
 * log), every later one within the token's lifetime is a replay and counts nothing.
 *
 * <p>With counts shared by several servers, this guard only spares Redis the replays that come
 * back to the same server; the shared counters dedupe across servers ({@link SharedTracking}).
 *
 * <p>The replay guard remembers each counted beacon until its token expires, measured on the
 * same clock that checks token expiry, so a token that still verifies is always still
 * remembered. An expired token is refused before the guard is asked, so forgetting it is safe,
 * and memory is bounded by the beacons of one token lifetime. As a last safety valve the guard
 * also has a maximum size; if it is ever reached, the least valuable entries are dropped (a
 * replay of one of those would count again) and a warning is logged.
 */
public final class Beacons {
  /** About 120 bytes per remembered beacon: 10 million is roughly 1.2 GB of heap at most. */
  public static final long DEFAULT_MAX_REMEMBERED = 10_000_000;

  /** What counting a beacon does: the ledger and the event log, or the shared counters. */
  @FunctionalInterface
  interface Sink {
    void counted(BeaconKind kind, long atMillis, TrackingToken token);
  }

  private final Clock clock;
  private final Sink sink;
  private final Cache<Fingerprint, Long> seen;
  private final AtomicLong forgottenEarly = new AtomicLong();

  Beacons(Clock clock, DeliveryLedger ledger, EventLog log, long maxRemembered,
      Consumer<String> warnings) {
    this(clock, (kind, now, token) -> {
      ledger.beacon(kind, now, token.campaignId(), token.creativeId(), token.section());
      log.append(new LogRecord.Beacon(kind, now, token.campaignId(), token.creativeId(),
          token.section(), token.requestId(), token.slotId(), token.expiresAt()));
    }, maxRemembered, warnings);
  }

  Beacons(Clock clock, Sink sink, long maxRemembered, Consumer<String> warnings) {
    this.clock = clock;
    this.sink = sink;
    this.seen = Caffeine.newBuilder()
        .ticker(clockTicker(clock))
        .maximumSize(maxRemembered)
        .expireAfter(new Expiry<Fingerprint, Long>() {
          @Override
          public long expireAfterCreate(Fingerprint key, Long expiresAt, long currentTime) {
            return Math.max(0, expiresAt * 1_000_000_000L - currentTime);
          }

          @Override
          public long expireAfterUpdate(Fingerprint key, Long expiresAt, long currentTime,
              long currentDuration) {
            return Math.max(0, expiresAt * 1_000_000_000L - currentTime);
          }

          @Override
          public long expireAfterRead(Fingerprint key, Long expiresAt, long currentTime,
              long currentDuration) {
            return currentDuration;
          }
        })
        .evictionListener((Fingerprint key, Long value, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE && forgottenEarly.getAndIncrement() == 0) {
            warnings.accept("the beacon replay guard is full (" + maxRemembered
                + " beacons): some beacons are forgotten before their tokens expire, and a "
                + "replay of those would be counted again; shorten trackingTokenTtl");
          }
        })
        .build();
  }

  /**
   * Counts the beacon of a verified, unexpired token, unless it was counted before.
   *
   * @return whether this call counted it (false: a replay)
   */
  public boolean count(BeaconKind kind, TrackingToken token) {
    Fingerprint key = Fingerprint.of(kind, token.requestId(), token.slotId());
    if (seen.asMap().putIfAbsent(key, token.expiresAt()) != null) {
      return false;
    }
    sink.counted(kind, clock.millis(), token);
    return true;
  }

  /** Remembers a beacon counted before a restart (replay). */
  void remember(Fingerprint key, long expiresAt) {
    seen.asMap().merge(key, expiresAt, Math::max);
  }

  /** Beacons dropped from the guard for lack of room before their tokens expired. */
  public long forgottenEarly() {
    return forgottenEarly.get();
  }

  /** How many beacons the guard holds now (approximately). */
  public long remembered() {
    return seen.estimatedSize();
  }

  /** Runs pending expiry and eviction now (Caffeine otherwise does it in the background). */
  void cleanUp() {
    seen.cleanUp();
  }

  /** Caffeine's time, read from the clock that checks token expiry. */
  private static Ticker clockTicker(Clock clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
