package id.iklan.rules;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Set;

/**
 * Days and hours of the week, in the publisher's time zone, when a campaign may serve. An empty
 * day set means every day. Hours run from {@code startHour} inclusive to {@code endHour}
 * exclusive; {@code endHour} may be 24 (to midnight), and a start after the end wraps past
 * midnight ({@code [22, 6]} is 22:00 to 05:59). Without hours the whole day is allowed.
 */
public record Schedule(Set<DayOfWeek> days, boolean hasHours, int startHour, int endHour) {
  public Schedule {
    days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
    if (hasHours) {
      if (startHour < 0 || startHour > 23 || endHour < 0 || endHour > 24 || startHour == endHour) {
        throw new IllegalArgumentException("hours must be [start, end] with 0 <= start <= 23, "
            + "0 <= end <= 24 and start != end");
      }
    }
  }

  /** Bit {@code d} set for each allowed ISO day (1 = Monday), all set when days are not limited. */
  public int dayMask() {
    if (days.isEmpty()) {
      return 0b1111_1110;
    }
    int mask = 0;
    for (DayOfWeek day : days) {
      mask |= 1 << day.getValue();
    }
    return mask;
  }

  /** Bit {@code h} set for each allowed hour of the day 0..23. */
  public int hourMask() {
    if (!hasHours) {
      return (1 << 24) - 1;
    }
    int mask = 0;
    for (int h = 0; h < 24; h++) {
      boolean inside = startHour < endHour
          ? h >= startHour && h < endHour
          : h >= startHour || h < endHour;
      if (inside) {
        mask |= 1 << h;
      }
    }
    return mask;
  }
}
