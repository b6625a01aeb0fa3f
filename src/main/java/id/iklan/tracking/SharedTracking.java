package id.iklan.tracking;

import java.io.IOException;
import java.time.LocalDate;

/**
 * Where counted events go when several servers share their counts (Redis, see
 * {@code id.iklan.shared.RedisCounters}): served ads and beacons are sent there instead of the
 * local event log, and reports are read from there. Implementations never block in
 * {@link #served} and {@link #beacon} (they batch), and dedupe beacons across servers.
 */
public interface SharedTracking {
  /** One served ad, on the publisher-time-zone day {@code epochDay}. */
  void served(long epochDay, String campaignId, String creativeId, String section,
      long revenueMicros);

  /**
   * A beacon that this server has not seen before; it is counted unless another server
   * counted the same token first.
   */
  void beacon(BeaconKind kind, long epochDay, TrackingToken token);

  /** The report cells of the days {@code from} to {@code to}; blocking, off the event loop. */
  void forEach(LocalDate from, LocalDate to, Reports.CellVisitor visitor) throws IOException;
}
