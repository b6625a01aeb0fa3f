package id.iklan.rules;

import java.util.Locale;

/**
 * Geo targets and locations share one canonical spelling, so that "a target matches a location
 * inside it" becomes "the target's key is one of the location's keys": {@code ID},
 * {@code ID-JB} and {@code ID-JB/bandung} for a page in Bandung.
 */
public final class Geo {
  private Geo() {}

  /**
   * The canonical key of a target written as {@code ID}, {@code ID-JB} or {@code ID-JB/Bandung}
   * (any case), or {@code null} when it is not one of those shapes.
   */
  public static String canonicalTarget(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    int slash = s.indexOf('/');
    String codes = slash < 0 ? s : s.substring(0, slash);
    String country;
    String subdivision = null;
    int dash = codes.indexOf('-');
    if (dash < 0) {
      country = codes;
    } else {
      country = codes.substring(0, dash);
      subdivision = codes.substring(dash + 1);
    }
    if (!isCountry(country) || (subdivision != null && !isSubdivision(subdivision))) {
      return null;
    }
    if (slash >= 0) {
      if (subdivision == null) {
        return null;
      }
      String city = cityKey(s.substring(slash + 1));
      if (city.isEmpty() || city.indexOf('/') >= 0) {
        return null;
      }
      return key(country, subdivision, city);
    }
    return key(country, subdivision, null);
  }

  /** How a target must be written, for messages to ad ops. */
  public static final String TARGET_FORMAT =
      "a country code (ID), a subdivision (ID-JB) or a city in a subdivision (ID-JB/Bandung)";

  /**
   * Canonical keys of a location, widest first: {@code [ID, ID-JB, ID-JB/bandung]}. A location is
   * known only down to its first missing level; an unknown or malformed country gives no keys.
   * A region may be given as {@code ID-JB} or just {@code JB}.
   */
  public static String[] locationKeys(String country, String region, String city) {
    String c = country == null ? null : country.trim();
    String sub = null;
    if (region != null && !region.isBlank()) {
      String r = region.trim();
      int dash = r.indexOf('-');
      if (dash > 0) {
        String regionCountry = r.substring(0, dash);
        if (c == null || c.isEmpty()) {
          c = regionCountry;
        }
        if (regionCountry.equalsIgnoreCase(c)) {
          sub = r.substring(dash + 1);
        }
      } else {
        sub = r;
      }
    }
    if (c == null || !isCountry(c)) {
      return new String[0];
    }
    if (sub == null || !isSubdivision(sub)) {
      return new String[] {key(c, null, null)};
    }
    String cityKey = city == null ? "" : cityKey(city);
    if (cityKey.isEmpty() || cityKey.indexOf('/') >= 0) {
      return new String[] {key(c, null, null), key(c, sub, null)};
    }
    return new String[] {key(c, null, null), key(c, sub, null), key(c, sub, cityKey)};
  }

  private static String key(String country, String subdivision, String city) {
    String c = country.toUpperCase(Locale.ROOT);
    if (subdivision == null) {
      return c;
    }
    String s = c + "-" + subdivision.toUpperCase(Locale.ROOT);
    return city == null ? s : s + "/" + city;
  }

  private static String cityKey(String city) {
    return Keywords.normalize(city);
  }

  private static boolean isCountry(String s) {
    return s.length() == 2 && isAsciiLetter(s.charAt(0)) && isAsciiLetter(s.charAt(1));
  }

  private static boolean isSubdivision(String s) {
    if (s.isEmpty() || s.length() > 3) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!isAsciiLetter(ch) && !(ch >= '0' && ch <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
  }
}
