package id.iklan.rules;

import static java.util.Objects.requireNonNull;

/** A delivery goal: never serve more than {@code impressions}, paced as asked. */
public record Goal(long impressions, Pacing pacing) {
  public Goal {
    requireNonNull(pacing, "pacing");
    if (impressions < 1) {
      throw new IllegalArgumentException("impressions must be at least 1");
    }
  }
}
