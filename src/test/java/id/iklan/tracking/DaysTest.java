package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class DaysTest {
  @Test
  void of_anyInstantInOrderOrNot_isTheLocalDateOfThatZone() {
    for (String zoneId : new String[] {"Asia/Jakarta", "Asia/Jayapura", "Europe/Berlin",
        "America/St_Johns", "UTC"}) {
      ZoneId zone = ZoneId.of(zoneId);
      Days days = new Days(zone.getRules());
      Random random = new Random(zoneId.hashCode());
      long t = Instant.parse("2026-03-27T00:00:00Z").toEpochMilli(); // Berlin changes on the 29th
      for (int i = 0; i < 20_000; i++) {
        t += random.nextInt(600_000);
        long probe = random.nextInt(10) == 0 ? t - random.nextInt(200_000_000) : t;
        assertThat(days.of(probe)).as("%s at %s", zoneId, Instant.ofEpochMilli(probe))
            .isEqualTo(LocalDate.ofInstant(Instant.ofEpochMilli(probe), zone).toEpochDay());
      }
    }
  }

  @Test
  void of_jakartaMidnight_isTheNextDay() {
    Days days = new Days(ZoneId.of("Asia/Jakarta").getRules());

    long before = Instant.parse("2026-11-18T16:59:59.999Z").toEpochMilli();
    long midnight = Instant.parse("2026-11-18T17:00:00Z").toEpochMilli();

    assertThat(LocalDate.ofEpochDay(days.of(before))).isEqualTo(LocalDate.of(2026, 11, 18));
    assertThat(LocalDate.ofEpochDay(days.of(midnight))).isEqualTo(LocalDate.of(2026, 11, 19));
  }
}
