package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReportsTest {
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  /** 23:30 on 2026-11-18 in Jakarta; half an hour later it is the 19th there. */
  private static final long LATE_18TH = Instant.parse("2026-11-18T16:30:00Z").toEpochMilli();
  private static final long EARLY_19TH = Instant.parse("2026-11-18T17:30:00Z").toEpochMilli();
  private static final LocalDate D18 = LocalDate.of(2026, 11, 18);
  private static final LocalDate D19 = LocalDate.of(2026, 11, 19);

  private final DeliveryLedger ledger = new DeliveryLedger(JAKARTA.getRules());
  private final Reports reports = new Reports(ledger, new TestClock(Instant.ofEpochMilli(
      EARLY_19TH)), JAKARTA);

  @Test
  void rows_byDay_servedOnItsDayAndBeaconsOnTheirs() throws Exception {
    ledger.served(LATE_18TH, "c-a", "cr-a", "bola", 1, 35_000_000L);
    ledger.beacon(BeaconKind.IMPRESSION, EARLY_19TH, "c-a", "cr-a", "bola");
    ledger.beacon(BeaconKind.CLICK, EARLY_19TH, "c-a", "cr-a", "bola");

    List<Reports.Row> rows = reports.rows(D18, D19, Reports.GroupBy.DAY);

    assertThat(rows).containsExactly(
        new Reports.Row("2026-11-18", 1, 0, 0, 0.0, new BigDecimal("35")),
        new Reports.Row("2026-11-19", 0, 1, 1, 1.0, BigDecimal.ZERO));
    assertThat(reports.rows(D19, D19, Reports.GroupBy.CAMPAIGN)).containsExactly(
        new Reports.Row("c-a", 0, 1, 1, 1.0, BigDecimal.ZERO));
  }

  @Test
  void rows_byDay_eventsGoingBackAndForthAcrossMidnight_eachCountOnTheirDay() throws Exception {
    // around midnight one event loop may count a page begun before it while another is past
    // it (and a start replays many days in turn): each count lands on its own day
    ledger.served(LATE_18TH, "c-a", "cr-a", "bola", 1, 1_000_000L);
    ledger.served(EARLY_19TH, "c-a", "cr-a", "bola", 2, 1_000_000L);
    ledger.served(LATE_18TH, "c-a", "cr-a", "bola", 4, 1_000_000L);
    ledger.beacon(BeaconKind.IMPRESSION, LATE_18TH, "c-a", "cr-a", "bola");
    ledger.served(EARLY_19TH, "c-a", "cr-a", "bola", 8, 1_000_000L);

    assertThat(reports.rows(D18, D19, Reports.GroupBy.DAY)).containsExactly(
        new Reports.Row("2026-11-18", 5, 1, 0, 0.0, new BigDecimal("5")),
        new Reports.Row("2026-11-19", 10, 0, 0, 0.0, new BigDecimal("10")));
  }

  @Test
  void rows_revenue_usesTheCpmOfEachServe() throws Exception {
    ledger.served(LATE_18TH, "c-a", "cr-a", "bola", 3, Tracking.revenueMicros(35_000));
    ledger.served(LATE_18TH, "c-a", "cr-a", "bola", 2, Tracking.revenueMicros(12_500.5));

    Reports.Row row = reports.rows(D18, D18, Reports.GroupBy.CAMPAIGN).get(0);

    assertThat(row.served()).isEqualTo(5);
    assertThat(row.revenue()).isEqualByComparingTo("130.001"); // 3 × 35 + 2 × 12.5005
  }

  @Test
  void rows_bySection_sumsCampaignsAndCreativesAndKeepsPagesWithoutSection() throws Exception {
    ledger.served(LATE_18TH, "c-a", "cr-1", "bola", 2, 1_000_000L);
    ledger.served(LATE_18TH, "c-b", "cr-2", "bola", 1, 1_000_000L);
    ledger.served(LATE_18TH, "c-b", "cr-2", "", 4, 1_000_000L);
    for (int i = 0; i < 4; i++) {
      ledger.beacon(BeaconKind.IMPRESSION, LATE_18TH, "c-b", "cr-2", "bola");
    }
    ledger.beacon(BeaconKind.CLICK, LATE_18TH, "c-b", "cr-2", "bola");

    List<Reports.Row> rows = reports.rows(D18, D18, Reports.GroupBy.SECTION);

    assertThat(rows).containsExactly(
        new Reports.Row("", 4, 0, 0, 0.0, new BigDecimal("4")),
        new Reports.Row("bola", 3, 4, 1, 0.25, new BigDecimal("3")));
  }

  @Test
  void rows_rangeWithoutData_isEmpty_andFromAfterToIsRefused() throws Exception {
    ledger.served(LATE_18TH, "c-a", "cr-a", "bola", 1, 0);

    assertThat(reports.rows(D19, D19, Reports.GroupBy.CAMPAIGN)).isEmpty();
    assertThatThrownBy(() -> reports.rows(D19, D18, Reports.GroupBy.DAY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void today_isThePublisherTimeZonesDay() {
    assertThat(reports.today()).isEqualTo(D19);
  }
}
