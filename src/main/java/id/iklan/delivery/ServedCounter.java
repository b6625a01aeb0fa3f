package id.iklan.delivery;

/**
 * How many ads of one campaign have been served, ever. Counts belong to the campaign id, so a
 * handle stays valid across rule versions; compiled rules keep one per campaign so that the hot
 * path reads a field instead of hashing an id.
 */
public interface ServedCounter {
  /** The current count. */
  long get();

  /** Counts {@code n} more serves. */
  void add(int n);

  /**
   * Counts {@code n} more serves only if the total stays at or under {@code limit}; atomically, so
   * that concurrent requests never push a campaign past its goal.
   *
   * @return whether the serves were counted
   */
  boolean tryAdd(int n, long limit);
}
