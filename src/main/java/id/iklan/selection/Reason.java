package id.iklan.selection;

/**
 * Why a campaign did not win a slot: the first rule it failed, in the order of the spec. The
 * order of the constants is that order.
 */
public enum Reason {
  INACTIVE("inactive"),
  FLIGHT("flight"),
  SECTION("section"),
  KEYWORDS("keywords"),
  GEO("geo"),
  DEVICE("device"),
  SCHEDULE("schedule"),
  NO_FITTING_CREATIVE("no-fitting-creative"),
  FREQUENCY_CAP("frequency-cap"),
  GOAL_REACHED("goal-reached"),
  PACING("pacing"),
  PAGE_EXCLUSION("page-exclusion"),
  OUTRANKED("outranked");

  private final String wireName;

  Reason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
