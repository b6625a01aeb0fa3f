package id.iklan.selection;

import static java.util.Objects.requireNonNull;

/**
 * The rules being served. Swapped whole, atomically: a request reads {@link #current()} once and
 * uses that snapshot from start to end, so a rule change never mixes two versions in one page.
 */
public final class LiveRules {
  private volatile CompiledRules current;

  public LiveRules(CompiledRules initial) {
    this.current = requireNonNull(initial, "initial");
  }

  public CompiledRules current() {
    return current;
  }

  public void publish(CompiledRules next) {
    current = requireNonNull(next, "next");
  }

  /**
   * Publishes {@code next} unless the rules being served are already of a newer version: when
   * versions arrive from several places (this server's writes, other servers' notifications),
   * a late one never replaces a newer one.
   *
   * @return whether {@code next} was published
   */
  public synchronized boolean publishIfNewer(CompiledRules next) {
    requireNonNull(next, "next");
    if (next.version() < current.version()) {
      return false;
    }
    current = next;
    return true;
  }
}
