package id.iklan.rules;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** At most {@code count} serves of one campaign to one user in any sliding {@code window}. */
public record FrequencyCap(int count, Duration window) {
  public FrequencyCap {
    requireNonNull(window, "window");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive");
    }
  }
}
