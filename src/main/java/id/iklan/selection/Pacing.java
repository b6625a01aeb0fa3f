package id.iklan.selection;

/** Even pacing: the share of the goal that may have been served by now. */
final class Pacing {
  private Pacing() {}

  /**
   * Whether a campaign that has served {@code served} may serve again: {@code served < goal ×
   * elapsed / flight duration}.
   */
  static boolean allows(long served, long goal, long startMillis, long endMillis, long now) {
    double elapsed = (double) (now - startMillis) / (double) (endMillis - startMillis);
    return served < goal * elapsed;
  }
}
