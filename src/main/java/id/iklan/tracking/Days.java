package id.iklan.tracking;

import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The publisher-time-zone day of an instant, as days since 1970-01-01. Remembers the last day it
 * computed, so that the common case (events of the same day) costs two comparisons instead of a
 * time-zone lookup. Thread-safe: the remembered day is one immutable value.
 */
final class Days {
  private static final long DAY_MILLIS = 86_400_000L;

  private record Range(long startMillis, long endMillis, long epochDay) {}

  private final ZoneRules zone;
  private volatile Range last = new Range(0, 0, 0);

  Days(ZoneRules zone) {
    this.zone = zone;
  }

  long of(long epochMillis) {
    Range range = last;
    if (epochMillis >= range.startMillis() && epochMillis < range.endMillis()) {
      return range.epochDay();
    }
    long offsetMillis = zone.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds()
        * 1000L;
    long local = epochMillis + offsetMillis;
    long day = Math.floorDiv(local, DAY_MILLIS);
    long start = epochMillis - Math.floorMod(local, DAY_MILLIS);
    long end = start + DAY_MILLIS;
    ZoneOffsetTransition next = zone.nextTransition(Instant.ofEpochMilli(start));
    if (next == null || next.toEpochSecond() * 1000L >= end) {
      last = new Range(start, end, day); // no offset change inside this day: safe to reuse
    }
    return day;
  }
}
