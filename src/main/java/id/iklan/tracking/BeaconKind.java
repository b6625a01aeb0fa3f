package id.iklan.tracking;

/** What a tracking URL counts: an impression ({@code /v1/imp}) or a click ({@code /v1/click}). */
public enum BeaconKind {
  IMPRESSION,
  CLICK
}
