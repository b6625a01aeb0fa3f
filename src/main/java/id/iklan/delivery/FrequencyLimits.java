package id.iklan.delivery;

import id.iklan.rules.RuleSetReader;

/** Bounds that keep per-user cap history small. */
final class FrequencyLimits {
  /** Rules never carry a larger cap count, so history never needs more entries per campaign. */
  static final int MAX_CAP_COUNT = RuleSetReader.MAX_CAP_COUNT;

  private FrequencyLimits() {}
}
