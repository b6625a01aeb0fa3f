package id.iklan.rules;

/** How a goal is spread over the flight: as fast as possible, or evenly up to the end. */
public enum Pacing {
  ASAP, EVEN;

  public String wireName() {
    return Enums.wireName(this);
  }
}
