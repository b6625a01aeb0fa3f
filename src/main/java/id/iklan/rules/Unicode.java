package id.iklan.rules;

/** Checks on text that came from outside. */
public final class Unicode {
  private Unicode() {}

  /**
   * Whether {@code text} is well-formed UTF-16: no half of a surrogate pair on its own. JSON can
   * carry one as an escape ({@code "\ud800"}), but no UTF-8 can encode it, so such text, once
   * stored or echoed, would make every answer that holds it invalid.
   */
  public static boolean wellFormed(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
