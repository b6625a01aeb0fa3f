package id.iklan.tracking;

import static id.iklan.testing.CampaignBuilder.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Size;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.selection.PageDecision;
import id.iklan.selection.Slot;
import id.iklan.selection.SlotDecision;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tracking as a whole, in one process: what a restart must give back. */
final class TrackingTest {
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  /** 2026-11-18 10:00 in Jakarta. */
  private static final Instant NOW = Instant.parse("2026-11-18T03:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 18);
  private static final Campaign CAPPED = campaign("c-capped").cpm(20_000)
      .cap(2, Duration.ofHours(24)).build();
  private static final Campaign PLAIN = campaign("c-plain").cpm(35_000).build();
  private static final RuleSet RULES = new RuleSet(List.of(CAPPED, PLAIN));

  @TempDir Path dir;
  private final TestClock clock = new TestClock(NOW);

  @Test
  void open_afterClose_restoresServedCountsCapHistoryReplayGuardAndReport() throws IOException {
    TrackingToken token = token("r1", "atas", PLAIN);
    try (Tracking tracking = open(new InMemoryDeliveryCounters())) {
      tracking.served(clock.millis(), "olahraga", "u1", page(CAPPED, PLAIN));
      tracking.served(clock.millis(), "olahraga", "u1", page(CAPPED));
      assertThat(tracking.beacons().count(BeaconKind.IMPRESSION, token)).isTrue();
      assertThat(tracking.beacons().count(BeaconKind.CLICK, token)).isTrue();
    }

    InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();
    try (Tracking tracking = open(counters)) {
      assertThat(counters.served("c-capped").get()).isEqualTo(2);
      assertThat(counters.served("c-plain").get()).isEqualTo(1);
      assertThat(counters.servedToUser("u1", "c-capped", NOW.toEpochMilli() - 1)).isEqualTo(2);
      assertThat(counters.servedToUser("u1", "c-plain", 0)).as("uncapped: no history kept")
          .isZero();
      assertThat(tracking.beacons().count(BeaconKind.IMPRESSION, token)).isFalse();
      assertThat(tracking.beacons().count(BeaconKind.CLICK, token)).isFalse();

      List<Reports.Row> rows = tracking.reports().rows(TODAY, TODAY, Reports.GroupBy.CAMPAIGN);
      assertThat(rows).containsExactly(
          new Reports.Row("c-capped", 2, 0, 0, 0.0, new BigDecimal("40")),
          new Reports.Row("c-plain", 1, 1, 1, 1.0, new BigDecimal("35")));
    }
  }

  @Test
  void count_sameTokenManyTimes_countsOncePerKind() throws IOException {
    TrackingToken token = token("r2", "tengah", PLAIN);
    try (Tracking tracking = open(new InMemoryDeliveryCounters())) {
      int counted = 0;
      for (int i = 0; i < 10; i++) {
        counted += tracking.beacons().count(BeaconKind.IMPRESSION, token) ? 1 : 0;
      }
      boolean click = tracking.beacons().count(BeaconKind.CLICK, token);
      boolean otherSlot = tracking.beacons().count(BeaconKind.IMPRESSION,
          token("r2", "bawah", PLAIN));

      assertThat(counted).isEqualTo(1);
      assertThat(click).isTrue();
      assertThat(otherSlot).isTrue();
    }
  }

  @Test
  void replayGuard_forgetsBeaconsOnceTheirTokensExpire() throws IOException {
    try (Tracking tracking = open(new InMemoryDeliveryCounters())) {
      tracking.beacons().count(BeaconKind.IMPRESSION, token("r3", "atas", PLAIN));
      tracking.beacons().cleanUp();
      assertThat(tracking.beacons().remembered()).isEqualTo(1);

      clock.advance(Duration.ofHours(25));

      assertThat(tracking.beacons().count(BeaconKind.IMPRESSION, token("r4", "atas", PLAIN)))
          .isTrue();
      tracking.beacons().cleanUp();
      assertThat(tracking.beacons().remembered()).isEqualTo(1);
    }
  }

  @Test
  void clickTargets_tokenOfOldVersion_usesThatVersionsUrl() throws IOException {
    Campaign moved = campaign("c-plain").cpm(35_000).image("c-plain-cr", 300, 250).build();
    RuleSet v1 = RULES;
    LiveRules live = new LiveRules(CompiledRules.compile(new RuleSet(List.of(moved)), 2,
        new InMemoryDeliveryCounters()));
    ClickTargets targets = new ClickTargets(live::current,
        version -> version == 1 ? Optional.of(v1) : Optional.empty(), 4);
    TrackingToken old = new TrackingToken("r", "s", "c-plain", "c-plain-cr", "", 1,
        NOW.getEpochSecond(), NOW.getEpochSecond() + 60);
    TrackingToken gone = new TrackingToken("r", "s", "c-plain", "c-plain-cr", "", 7,
        NOW.getEpochSecond(), NOW.getEpochSecond() + 60);

    assertThat(targets.cached(old)).as("not loaded yet").isNull();
    assertThat(targets.resolve(old).url()).isEqualTo("https://advertiser.example/c-plain");
    assertThat(targets.cached(old).url()).isEqualTo("https://advertiser.example/c-plain");
    assertThat(targets.resolve(gone).url()).as("version no longer kept: the live one's URL")
        .isEqualTo("https://advertiser.example/c-plain-cr");
  }

  // ---- helpers ----

  private Tracking open(InMemoryDeliveryCounters counters) throws IOException {
    LiveRules live = new LiveRules(CompiledRules.compile(RULES, 1, counters));
    return Tracking.open(dir, JAKARTA, clock, counters, live, v -> Optional.empty(),
        message -> { });
  }

  private static PageDecision page(Campaign... campaigns) {
    List<SlotDecision> slots = new java.util.ArrayList<>();
    for (int i = 0; i < campaigns.length; i++) {
      slots.add(new SlotDecision(new Slot("s" + i, List.of(new Size(300, 250)), false),
          campaigns[i], campaigns[i].creatives().get(0)));
    }
    slots.add(SlotDecision.noFill(new Slot("empty", List.of(new Size(728, 90)), false)));
    return new PageDecision(slots);
  }

  private TrackingToken token(String requestId, String slot, Campaign campaign) {
    long now = clock.instant().getEpochSecond();
    return new TrackingToken(requestId, slot, campaign.id(), campaign.creatives().get(0).id(),
        "olahraga", 1, now, now + 86_400);
  }
}
