package id.iklan.context;

import java.util.Locale;

/** The languages whose stemming Iklan knows; an article is analysed in exactly one of them. */
public enum Language {
  INDONESIAN("id"),
  ENGLISH("en");

  private final String tag;

  Language(String tag) {
    this.tag = tag;
  }

  /** The BCP 47 primary language subtag, {@code id} or {@code en}. */
  public String tag() {
    return tag;
  }

  /**
   * The language a page declares ({@code page.language}, an HTML {@code lang} value such as
   * {@code id}, {@code id-ID}, {@code en_GB}), or {@code null} when it names none that Iklan stems.
   * Malay ({@code ms}) and the retired code {@code in} are read as Indonesian: they share its
   * affixes.
   */
  public static Language fromTag(String declared) {
    if (declared == null) {
      return null;
    }
    String t = declared.strip().toLowerCase(Locale.ROOT);
    int end = 0;
    while (end < t.length() && t.charAt(end) >= 'a' && t.charAt(end) <= 'z') {
      end++;
    }
    return switch (t.substring(0, end)) {
      case "id", "in", "ind", "ms", "msa", "may" -> INDONESIAN;
      case "en", "eng" -> ENGLISH;
      default -> null;
    };
  }
}
