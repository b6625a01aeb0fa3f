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
}
