package id.iklan.rules;

/** Creative formats. {@code image} and {@code html} are display formats and have a size. */
public enum Format {
  IMAGE, HTML, NATIVE;

  public boolean isDisplay() {
    return this != NATIVE;
  }

  public String wireName() {
    return Enums.wireName(this);
  }
}
