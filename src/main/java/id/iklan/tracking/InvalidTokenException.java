package id.iklan.tracking;

/** A tracking token that must not be counted: malformed, forged, altered or expired. */
public final class InvalidTokenException extends Exception {
  public InvalidTokenException(String message) {
    super(message, null, false, false);
  }
}
