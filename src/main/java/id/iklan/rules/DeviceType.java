package id.iklan.rules;

/** Device classes a page can report and a campaign can target. */
public enum DeviceType {
  DESKTOP, MOBILE, TABLET;

  public String wireName() {
    return Enums.wireName(this);
  }
}
