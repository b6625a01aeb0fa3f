package id.iklan.rules;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one normalisation of the spec for keywords and sections: Unicode NFKC, lower case, trimmed,
 * inner white space collapsed to one space. Rules are normalised when they are read and pages when
 * they are parsed, so matching is plain string equality.
 */
public final class Keywords {
  private Keywords() {}

  public static String normalize(String raw) {
    if (isAlreadyNormal(raw)) {
      return raw;
    }
    String composed = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(composed.length());
    boolean pendingSpace = false;
    for (int i = 0; i < composed.length(); ) {
      int cp = composed.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  /**
   * Most page keywords are already lower-case ASCII words; recognising that without allocating
   * keeps request parsing cheap.
   */
  private static boolean isAlreadyNormal(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
      return n == 0;
    }
    char previous = 'x';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '\'' || c == '&' || c == '_' || (c == ' ' && previous != ' ');
      if (!ok) {
        return false;
      }
      previous = c;
    }
    return true;
  }
}
