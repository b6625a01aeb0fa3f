package id.iklan.tracking;

import static java.util.Objects.requireNonNull;

/**
 * What the event log holds. Segments hold {@link Served} and {@link Beacon} events as they
 * happen; snapshots hold the aggregated state ({@link Counts}, {@link UserServes},
 * {@link Seen}) between a {@link SnapshotStart} and a {@link SnapshotEnd}.
 */
sealed interface LogRecord {

  /**
   * {@code count} ads of one campaign served at decision time.
   *
   * @param section the serving page's section, empty when it had none
   * @param userId the reader, kept only for campaigns with a frequency cap; empty otherwise
   * @param revenueMicros what one serve earns, in millionths of the currency (cpm × 1000)
   */
  record Served(long atMillis, String campaignId, String creativeId, String section,
      String userId, long revenueMicros, int count) implements LogRecord {
    public Served {
      requireNonNull(campaignId, "campaignId");
      requireNonNull(creativeId, "creativeId");
      requireNonNull(section, "section");
      requireNonNull(userId, "userId");
    }
  }

  /** One counted impression or click; {@code expiresAt} (epoch seconds) is its token's. */
  record Beacon(BeaconKind kind, long atMillis, String campaignId, String creativeId,
      String section, String requestId, String slotId, long expiresAt) implements LogRecord {
    public Beacon {
      requireNonNull(kind, "kind");
      requireNonNull(campaignId, "campaignId");
      requireNonNull(creativeId, "creativeId");
      requireNonNull(section, "section");
      requireNonNull(requestId, "requestId");
      requireNonNull(slotId, "slotId");
    }
  }

  /** Snapshot: the totals of one report cell on one publisher-time-zone day. */
  record Counts(long epochDay, String campaignId, String creativeId, String section,
      long served, long impressions, long clicks, long revenueMicros) implements LogRecord {}

  /** Snapshot: when one reader was served one capped campaign (epoch ms, oldest first). */
  record UserServes(String userId, String campaignId, long[] times) implements LogRecord {}

  /** Snapshot: a beacon already counted, remembered until its token expires. */
  record Seen(Fingerprint key, long expiresAt) implements LogRecord {}

  /** Snapshot header: it holds everything of the segments numbered below {@code covers}. */
  record SnapshotStart(int format, long createdAtMillis, long covers) implements LogRecord {}

  /** Snapshot trailer: a snapshot without it (or with another count) is incomplete. */
  record SnapshotEnd(long records) implements LogRecord {}
}
