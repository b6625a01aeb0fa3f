package id.iklan.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Case-insensitive reading of the enum values that rules and requests carry as strings. */
public final class Enums {
  private Enums() {}

  /**
   * The constant whose name equals {@code value} ignoring case, or {@code null} when none does.
   * The spec matches enum values case-insensitively, so "Mobile" and "MOBILE" are both "mobile".
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String value) {
    if (value == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) {
        return constant;
      }
    }
    return null;
  }

  /** "one of a, b, c", for messages that must tell a person what to write instead. */
  public static String choices(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Enums::wireName)
        .collect(Collectors.joining(", "));
  }

  static String wireName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
