package id.iklan.delivery;

/**
 * The delivery state that selection reads (goals, pacing, frequency caps) and that serving
 * updates. The embedded implementation is {@link InMemoryDeliveryCounters}; durable and shared
 * implementations sit behind the same interface.
 */
public interface DeliveryCounters {
  /** The served counter of a campaign; the same handle for the same id for the server's life. */
  ServedCounter served(String campaignId);

  /**
   * How many times {@code userId} was served {@code campaignId} at or after {@code sinceMillis}
   * (epoch milliseconds). Implementations may forget serves older than the longest window asked.
   */
  int servedToUser(String userId, String campaignId, long sinceMillis);

  /** Records that {@code userId} was served {@code campaignId} {@code times} times at {@code atMillis}. */
  void recordUserServes(String userId, String campaignId, long atMillis, int times);

  /**
   * Makes the counts of these campaigns ready before rules that name them are published: a
   * shared implementation reads their served totals (blocking, bounded in time; call it off
   * the event loop). The embedded implementation has nothing to load.
   */
  default void load(java.util.Collection<String> campaignIds) {
  }
}
