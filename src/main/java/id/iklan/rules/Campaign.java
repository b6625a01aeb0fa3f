package id.iklan.rules;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One sellable unit of inventory (an ad server's "line item"): who pays, how much, when, for whom,
 * and what is shown. Optional parts ({@code category}, {@code end}, {@code goal},
 * {@code frequencyCap}) are {@code null} when not set.
 */
public record Campaign(
    String id,
    String advertiser,
    String category,
    Status status,
    Tier tier,
    double cpm,
    String currency,
    double weight,
    Instant start,
    Instant end,
    Goal goal,
    FrequencyCap frequencyCap,
    boolean roadblock,
    Targeting targeting,
    List<Creative> creatives) {

  public Campaign {
    requireNonNull(id, "id");
    requireNonNull(advertiser, "advertiser");
    requireNonNull(status, "status");
    requireNonNull(tier, "tier");
    requireNonNull(start, "start");
    requireNonNull(targeting, "targeting");
    creatives = List.copyOf(creatives);
    if (creatives.isEmpty()) {
      throw new IllegalArgumentException("a campaign needs at least one creative");
    }
    cpm = cpm + 0.0; // -0.0 would rank below 0.0
    if (!(cpm >= 0) || Double.isInfinite(cpm)) {
      throw new IllegalArgumentException("cpm must be a non-negative number");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number");
    }
    if (end != null && !end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start");
    }
    if (goal != null && goal.pacing() == Pacing.EVEN && end == null) {
      throw new IllegalArgumentException("even pacing needs an end");
    }
  }
}
