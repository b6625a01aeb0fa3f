package id.iklan.rules;

/** Whether ad ops want a campaign to serve at all. */
public enum Status {
  ACTIVE, PAUSED;

  public String wireName() {
    return Enums.wireName(this);
  }
}
