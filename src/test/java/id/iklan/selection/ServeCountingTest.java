package id.iklan.selection;

import static id.iklan.testing.CampaignBuilder.campaign;
import static id.iklan.testing.PageBuilder.page;
import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.Pacing;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Selector#serve} counts what it serves (SPEC §4: served counts count ads returned, at
 * decision time, a roadblock once per slot), so that goals and caps bite on the very next request;
 * {@link Selector#decide} counts nothing.
 */
class ServeCountingTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Jakarta");
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  private final InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();
  private final Selector selector = new Selector(ZONE);
  private final Random random = new Random(7);

  private CompiledRules compile(Campaign... campaigns) {
    return CompiledRules.compile(new RuleSet(List.of(campaigns)), 1, counters);
  }

  private List<String> serve(CompiledRules rules, PageRequest request, Instant now) {
    PageDecision decision = selector.serve(request, rules, now, random, false).decision();
    List<String> ids = new ArrayList<>();
    for (SlotDecision slot : decision.slots()) {
      ids.add(slot.filled() ? slot.campaign().id() : null);
    }
    return ids;
  }

  private long served(String campaignId) {
    return counters.served(campaignId).get();
  }

  @Test
  void goal_stopsAfterExactlyGoalServesAcrossManyRequests() {
    CompiledRules rules = compile(campaign("c-goal").goal(7, Pacing.ASAP).build());
    int filled = 0;
    for (int i = 0; i < 50; i++) {
      PageRequest request = page("news").user(i % 3 == 0 ? null : "u" + i)
          .slot("top", 300, 250).slot("mid", 300, 250).toRequest();
      List<String> ids = serve(rules, request, NOW.plusSeconds(i));
      filled += (int) ids.stream().filter(id -> id != null).count();
      assertThat(served("c-goal")).isEqualTo(Math.min(i + 1, 7));
    }
    assertThat(filled).isEqualTo(7);
    assertThat(served("c-goal")).isEqualTo(7);
  }

  @Test
  void goal_servedCountsSurviveRecompiling() {
    Campaign c = campaign("c-goal").goal(3, Pacing.ASAP).build();
    CompiledRules first = compile(c);
    serve(first, page("news").toRequest(), NOW);
    serve(first, page("news").toRequest(), NOW);
    CompiledRules second = compile(c); // a new rule version: counts belong to the campaign id
    assertThat(serve(second, page("news").toRequest(), NOW)).containsExactly("c-goal");
    assertThat(serve(second, page("news").toRequest(), NOW)).containsOnlyNulls();
    assertThat(served("c-goal")).isEqualTo(3);
  }

  @Test
  void decide_countsNothing() {
    CompiledRules rules = compile(
        campaign("c-goal").goal(1, Pacing.ASAP).cap(1, Duration.ofHours(24)).build());
    PageRequest request = page("news").user("u1").toRequest();
    for (int i = 0; i < 5; i++) {
      assertThat(selector.decide(request, rules, NOW, random).filledCount()).isEqualTo(1);
    }
    assertThat(served("c-goal")).isZero();
    assertThat(counters.servedToUser("u1", "c-goal", 0)).isZero();
  }

  @Test
  void frequencyCapOfTwo_stopsTheThirdServeForTheSameUserButNotForAnother() {
    CompiledRules rules = compile(campaign("c-cap").cap(2, Duration.ofHours(24)).build());
    PageRequest u1 = page("news").user("u1").toRequest();
    PageRequest u2 = page("news").user("u2").toRequest();

    assertThat(serve(rules, u1, NOW)).containsExactly("c-cap");
    assertThat(serve(rules, u1, NOW.plusSeconds(60))).containsExactly("c-cap");
    assertThat(serve(rules, u1, NOW.plusSeconds(120))).containsOnlyNulls();
    assertThat(serve(rules, u2, NOW.plusSeconds(180))).containsExactly("c-cap");
    assertThat(serve(rules, page("news").toRequest(), NOW)).as("no user id, capped campaign")
        .containsOnlyNulls();

    assertThat(served("c-cap")).isEqualTo(3);
    assertThat(counters.servedToUser("u1", "c-cap", NOW.toEpochMilli())).isEqualTo(2);
    assertThat(counters.servedToUser("u2", "c-cap", NOW.toEpochMilli())).isEqualTo(1);
  }

  @Test
  void frequencyCap_windowSlides() {
    CompiledRules rules = compile(campaign("c-cap").cap(2, Duration.ofHours(24)).build());
    PageRequest u1 = page("news").user("u1").toRequest();
    serve(rules, u1, NOW);
    serve(rules, u1, NOW.plus(Duration.ofHours(1)));
    assertThat(serve(rules, u1, NOW.plus(Duration.ofHours(24)).minusMillis(1)))
        .as("both serves still in the window").containsOnlyNulls();
    assertThat(serve(rules, u1, NOW.plus(Duration.ofHours(24)).plusMillis(1)))
        .as("the first serve has left the window").containsExactly("c-cap");
    assertThat(serve(rules, u1, NOW.plus(Duration.ofHours(24)).plusMillis(2)))
        .as("the second serve and the new one are in the window").containsOnlyNulls();
  }

  @Test
  void roadblockTakingThreeSlots_countsThree() {
    CompiledRules rules = compile(
        campaign("c-road").roadblock().cap(5, Duration.ofHours(24)).build(),
        campaign("c-other").tier(Tier.HOUSE).build());
    PageRequest request = page("news").user("u1")
        .slot("top", 300, 250).slot("mid", 300, 250).slot("bottom", 300, 250).toRequest();

    assertThat(serve(rules, request, NOW)).containsExactly("c-road", "c-road", "c-road");
    assertThat(served("c-road")).isEqualTo(3);
    assertThat(served("c-other")).isZero();
    assertThat(counters.servedToUser("u1", "c-road", NOW.toEpochMilli())).isEqualTo(3);

    // Cap 5 with 3 served: the next page gets two more slots, then the cap stops it.
    assertThat(serve(rules, request, NOW)).containsExactly("c-road", "c-road", "c-other");
    assertThat(served("c-road")).isEqualTo(5);
    assertThat(served("c-other")).isEqualTo(1);
    assertThat(serve(rules, request, NOW)).containsExactly("c-other", null, null);
  }

  @Test
  void roadblockWithGoal_takesOnlyTheSlotsItsGoalAllows() {
    CompiledRules rules = compile(
        campaign("c-road").roadblock().goal(5, Pacing.ASAP).build(),
        campaign("c-other").tier(Tier.HOUSE).build());
    PageRequest request = page("news")
        .slot("top", 300, 250).slot("mid", 300, 250).slot("bottom", 300, 250).toRequest();

    assertThat(serve(rules, request, NOW)).containsExactly("c-road", "c-road", "c-road");
    assertThat(serve(rules, request, NOW)).containsExactly("c-road", "c-road", "c-other");
    assertThat(served("c-road")).isEqualTo(5);
    assertThat(serve(rules, request, NOW)).containsExactly("c-other", null, null);
    assertThat(served("c-road")).isEqualTo(5);
    assertThat(served("c-other")).isEqualTo(2);
  }

  @Test
  void evenPacing_servesAtMostTheShareOfTheGoalElapsed() {
    Instant start = NOW.minus(Duration.ofHours(25));
    Instant end = start.plus(Duration.ofDays(100));
    CompiledRules rules = compile(campaign("c-even").flight(start, end)
        .goal(1000, Pacing.EVEN).build());
    // 25 hours of a 100-day flight elapsed: 1000 × 25 / 2400 = 10.4 impressions allowed by now,
    // so serves number 0 to 10 pass (served < 10.4) and the twelfth is throttled.
    int filled = 0;
    for (int i = 0; i < 40; i++) {
      filled += serve(rules, page("news").toRequest(), NOW).get(0) == null ? 0 : 1;
    }
    assertThat(filled).isEqualTo(11);
    assertThat(served("c-even")).isEqualTo(11);
  }

  /**
   * When shared counters refuse a capped campaign after the decision, its slot goes to the next
   * best campaign the page rules allow, the others stay as decided and are not counted again.
   */
  @Test
  void refill_slotOfARefusedCampaign_goesToTheNextBestThePageAllows_countingOnlyIt() {
    CompiledRules rules = compile(
        campaign("c-cap").advertiser("Parfum").tier(Tier.SPONSORSHIP).cpm(90_000)
            .cap(1, Duration.ofHours(24)).build(),
        campaign("c-bank").advertiser("Bank").cpm(50_000).build(),
        campaign("c-kopi").advertiser("Kopi").cpm(40_000).build(),
        campaign("c-bank-lain").advertiser("Bank").cpm(30_000).build(),
        campaign("c-teh").advertiser("Teh").cpm(20_000).build());
    PageRequest request = page("news").user("u1")
        .slot("atas", 300, 250).slot("tengah", 300, 250).slot("bawah", 300, 250).toRequest();
    PageDecision first = selector.serve(request, rules, NOW, random, false).decision();
    assertThat(ids(first)).containsExactly("c-cap", "c-bank", "c-kopi");
    // the shared counters refused c-cap (the reader's cap is reached: here by this serve)
    PageDecision kept = new PageDecision(List.of(SlotDecision.noFill(first.slots().get(0).slot()),
        first.slots().get(1), first.slots().get(2)));

    Selector.Outcome late = selector.refill(request, kept, rules, NOW, random, true,
        System.nanoTime() - 1);
    assertThat(late.decision()).as("past the deadline: as kept, nothing counted").isSameAs(kept);
    assertThat(late.explanation()).isNull();
    assertThat(served("c-teh")).isZero();

    Selector.Outcome again = selector.refill(request, kept, rules, NOW, random, true,
        System.nanoTime() + 1_000_000_000L);
    PageDecision refilled = again.decision();

    assertThat(ids(refilled)).as("c-bank-lain: its advertiser is on the page already")
        .containsExactly("c-teh", "c-bank", "c-kopi");
    assertThat(refilled.slots().get(1)).isEqualTo(kept.slots().get(1));
    assertThat(served("c-teh")).isEqualTo(1);
    assertThat(served("c-bank")).as("kept, counted once").isEqualTo(1);
    assertThat(served("c-kopi")).isEqualTo(1);
    assertThat(served("c-bank-lain")).isZero();
    Explanation.SlotExplanation top = again.explanation().slots().get("atas");
    assertThat(top.winner()).isEqualTo("c-teh");
    assertThat(top.lost().get("c-cap")).isEqualTo(Reason.FREQUENCY_CAP);
    assertThat(top.lost().get("c-bank-lain")).isEqualTo(Reason.PAGE_EXCLUSION);
  }

  private static List<String> ids(PageDecision decision) {
    List<String> ids = new ArrayList<>();
    for (SlotDecision slot : decision.slots()) {
      ids.add(slot.filled() ? slot.campaign().id() : null);
    }
    return ids;
  }
}
