package id.iklan.store;

/** A conditional write found the rules at another version than the writer last saw. */
public final class VersionConflictException extends Exception {
  private final long current;

  public VersionConflictException(long expected, long current) {
    super("the rules are at version " + current + ", not " + expected
        + "; reload them and apply your change again", null, false, false);
    this.current = current;
  }

  public long current() {
    return current;
  }
}
