package id.iklan.rules;

/** Priority tiers, strongest first: a campaign of an earlier tier always outranks a later one. */
public enum Tier {
  SPONSORSHIP, STANDARD, REMNANT, HOUSE;

  /** The name as written in rules and responses. */
  public String wireName() {
    return Enums.wireName(this);
  }
}
