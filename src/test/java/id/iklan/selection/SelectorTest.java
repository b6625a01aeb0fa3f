package id.iklan.selection;

import static id.iklan.testing.CampaignBuilder.campaign;
import static id.iklan.testing.PageBuilder.page;
import static id.iklan.testing.PageBuilder.pageWithoutSection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import id.iklan.delivery.DeliveryCounters;
import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Format;
import id.iklan.rules.Pacing;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Size;
import id.iklan.rules.Tier;
import id.iklan.testing.CampaignBuilder;
import id.iklan.testing.PageBuilder;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of SPEC §4 (and §3 for geography), each stated as what a publisher or an
 * advertiser sees: which campaign gets a slot, or that a slot stays empty.
 */
final class SelectorTest {
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  /** Wednesday 2026-11-18, 10:00 in Jakarta (WIB, UTC+7). */
  private static final Instant NOW = Instant.parse("2026-11-18T03:00:00Z");

  private final Selector selector = new Selector(JAKARTA);
  private final DeliveryCounters counters = new InMemoryDeliveryCounters();
  private final Random random = new Random(20261118);

  // ---- 1. status and flight ----

  @Test void select_pausedCampaign_isNotServed() {
    var rules = rules(
        campaign("paused").cpm(90_000).paused(),
        campaign("running").cpm(1_000));

    assertThat(winner(rules, page("news"))).isEqualTo("running");
  }

  @Test void select_flightNotStartedYet_isNotServed() {
    var rules = rules(
        campaign("tomorrow").cpm(90_000).flight(NOW.plusSeconds(1), null),
        campaign("running").cpm(1_000));

    assertThat(winner(rules, page("news"))).isEqualTo("running");
  }

  @Test void select_flightStartingNow_isServed() {
    var rules = rules(campaign("starts-now").flight(NOW, NOW.plus(Duration.ofDays(1))));

    assertThat(winner(rules, page("news"))).isEqualTo("starts-now");
  }

  @Test void select_flightEndingNow_isNotServedBecauseEndIsExclusive() {
    var rules = rules(
        campaign("ended").cpm(90_000).flight(NOW.minus(Duration.ofDays(7)), NOW),
        campaign("running").cpm(1_000));

    assertThat(winner(rules, page("news"))).isEqualTo("running");
    assertThat(winner(rules, page("news"), NOW.minusMillis(1))).isEqualTo("ended");
  }

  // ---- 2. sections ----

  @Test void select_sectionInIncludeList_isServedOnlyThere() {
    var rules = rules(campaign("intl").sections("internasional", "news"));

    assertThat(winner(rules, page("internasional"))).isEqualTo("intl");
    assertThat(winner(rules, page("otomotif"))).isNull();
  }

  @Test void select_sectionInExcludeList_isNotServed() {
    var rules = rules(
        campaign("no-politics").cpm(90_000).sectionsExclude("politik"),
        campaign("fallback").cpm(1_000));

    assertThat(winner(rules, page("politik"))).isEqualTo("fallback");
    assertThat(winner(rules, page("otomotif"))).isEqualTo("no-politics");
  }

  @Test void select_pageWithoutSection_matchesNoIncludeList() {
    var rules = rules(campaign("intl").sections("internasional"));

    assertThat(winner(rules, pageWithoutSection())).isNull();
  }

  @Test void select_pageWithoutSection_isNotExcludedByExcludeList() {
    var rules = rules(campaign("no-politics").sectionsExclude("politik"));

    assertThat(winner(rules, pageWithoutSection())).isEqualTo("no-politics");
  }

  @Test void select_sectionDifferingOnlyInCase_matches() {
    var rules = rules(
        campaign("intl").sections("Internasional"),
        campaign("no-sport").cpm(500).sectionsExclude("SPORT"));

    assertThat(winner(rules, page("INTERNASIONAL"))).isEqualTo("intl");
    assertThat(winner(rules, page("Sport"))).isNull();
  }

  // ---- 2. keywords ----

  @Test void select_keywordsAny_oneMatchingKeywordIsEnough() {
    var rules = rules(campaign("war").keywordsAny("rusia", "ukraina"));

    assertThat(winner(rules, page("news").keywords("ukraina", "ekonomi"))).isEqualTo("war");
    assertThat(winner(rules, page("news").keywords("ekonomi"))).isNull();
  }

  @Test void select_keywordsAll_needsEveryKeywordOnThePage() {
    var rules = rules(campaign("both").keywordsAll("rusia", "ukraina"));

    assertThat(winner(rules, page("news").keywords("rusia", "ukraina", "perang")))
        .isEqualTo("both");
    assertThat(winner(rules, page("news").keywords("rusia", "perang"))).isNull();
  }

  @Test void select_keywordInNoneList_losesEvenWithHighestCpm() {
    var rules = rules(
        campaign("safe").cpm(90_000).keywordsNone("perang"),
        campaign("fallback").cpm(1_000));
    var page = page("internasional").keywords("perang", "rusia");

    assertThat(winner(rules, page)).isEqualTo("fallback");
  }

  @Test void select_keywordInNoneList_oneHitIsEnoughEvenWhenAnyListMatches() {
    var rules = rules(campaign("brand-safe").keywordsAny("rusia").keywordsNone("bencana", "perang"));

    assertThat(winner(rules, page("news").keywords("rusia", "bencana"))).isNull();
    assertThat(winner(rules, page("news").keywords("rusia"))).isEqualTo("brand-safe");
  }

  @Test void select_pageKeywordWithOtherCaseAndSpacing_matchesNormalisedRuleKeyword() {
    var rules = rules(campaign("korea").keywordsAny("korea utara"));

    assertThat(winner(rules, page("news").keywords("  Korea   UTARA "))).isEqualTo("korea");
    assertThat(winner(rules, page("news").keywords("korea\tutara\n"))).isEqualTo("korea");
  }

  @Test void select_fullWidthPageKeyword_matchesAfterNfkc() {
    var rules = rules(campaign("korea").keywordsAny("korea utara"));

    // full-width Latin letters and an ideographic space, as some Asian IMEs type them
    assertThat(winner(rules, page("news").keywords("ＫＯＲＥＡ\u3000ＵＴＡＲＡ"))).isEqualTo("korea");
  }

  @Test void select_oneWordOfMultiWordKeyword_doesNotMatch() {
    var rules = rules(campaign("north-korea").keywordsAny("korea utara"));

    assertThat(winner(rules, page("news").keywords("korea"))).isNull();
    assertThat(winner(rules, page("news").keywords("korea", "utara"))).isNull();
  }

  @Test void select_multiWordPageKeyword_doesNotMatchOneOfItsWords() {
    var rules = rules(campaign("korea").keywordsAny("korea"));

    assertThat(winner(rules, page("news").keywords("korea utara"))).isNull();
  }

  // ---- 2. geo (SPEC §3) ----

  @Test void select_countryInclude_matchesCityInsideIt() {
    var rules = rules(campaign("indonesia").geo("ID"));

    assertThat(winner(rules, page("news").geo("ID", "JB", "Bandung"))).isEqualTo("indonesia");
    assertThat(winner(rules, page("news").geo("MY", "14", "Kuala Lumpur"))).isNull();
  }

  @Test void select_subdivisionInclude_withOnlyCountryKnown_doesNotMatch() {
    var rules = rules(campaign("west-java").geo("ID-JB"));

    assertThat(winner(rules, page("news").geo("ID", null, null))).isNull();
    assertThat(winner(rules, page("news").geo("ID", "JB", null))).isEqualTo("west-java");
  }

  @Test void select_subdivisionExclude_withOnlyCountryKnown_doesNotExclude() {
    var rules = rules(campaign("not-papua").geoExclude("ID-PA"));

    assertThat(winner(rules, page("news").geo("ID", null, null))).isEqualTo("not-papua");
    assertThat(winner(rules, page("news").geo("ID", "PA", "Jayapura"))).isNull();
  }

  @Test void select_cityInclude_withOnlySubdivisionKnown_doesNotMatch() {
    var rules = rules(campaign("bandung").geo("ID-JB/Bandung"));

    assertThat(winner(rules, page("news").geo("ID", "JB", null))).isNull();
  }

  @Test void select_unknownLocation_matchesNoIncludeList() {
    var rules = rules(campaign("indonesia").geo("ID"));

    assertThat(winner(rules, page("news"))).isNull();
  }

  @Test void select_unknownLocation_isNotExcludedByExcludeList() {
    var rules = rules(campaign("not-papua").geoExclude("ID-PA", "MY"));

    assertThat(winner(rules, page("news"))).isEqualTo("not-papua");
  }

  @Test void select_cityTargetDifferingOnlyInCase_matches() {
    var rules = rules(campaign("bandung").geo("id-jb/BANDUNG"));

    assertThat(winner(rules, page("news").geo("ID", "JB", "Bandung"))).isEqualTo("bandung");
    assertThat(winner(rules, page("news").geo("id", "jb", "bandung"))).isEqualTo("bandung");
    assertThat(winner(rules, page("news").geo("ID", "JB", "Bogor"))).isNull();
  }

  @Test void select_regionHeaderWithOrWithoutCountryPrefix_matchesTheSameSubdivision() {
    var rules = rules(campaign("west-java").geo("ID-JB"));

    assertThat(winner(rules, page("news").geo("ID", "JB", null))).isEqualTo("west-java");
    assertThat(winner(rules, page("news").geo("ID", "ID-JB", null))).isEqualTo("west-java");
  }

  @Test void select_cityExclude_excludesOnlyThatCity() {
    var rules = rules(campaign("not-bandung").geo("ID").geoExclude("ID-JB/Bandung"));

    assertThat(winner(rules, page("news").geo("ID", "JB", "Bandung"))).isNull();
    assertThat(winner(rules, page("news").geo("ID", "JB", "Bogor"))).isEqualTo("not-bandung");
  }

  // ---- 2. devices ----

  @Test void select_devicesList_servesOnlyListedDevices() {
    var rules = rules(campaign("phones").devices(DeviceType.MOBILE, DeviceType.TABLET));

    assertThat(winner(rules, page("news").device(DeviceType.MOBILE))).isEqualTo("phones");
    assertThat(winner(rules, page("news").device(DeviceType.TABLET))).isEqualTo("phones");
    assertThat(winner(rules, page("news").device(DeviceType.DESKTOP))).isNull();
  }

  @Test void select_requestWithoutDevice_matchesNoDevicesList() {
    var rules = rules(
        campaign("phones").cpm(90_000).devices(DeviceType.MOBILE, DeviceType.DESKTOP,
            DeviceType.TABLET),
        campaign("anywhere").cpm(1_000));

    assertThat(winner(rules, page("news"))).isEqualTo("anywhere");
  }

  // ---- 2. schedule ----

  @Test void select_scheduleDays_servesOnlyOnListedDays() {
    var rules = rules(campaign("weekdays").schedule(
        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), null, null));

    assertThat(winner(rules, page("news"), NOW)).isEqualTo("weekdays"); // Wednesday
    assertThat(winner(rules, page("news"), NOW.plus(Duration.ofDays(3)))).isNull(); // Saturday
  }

  @Test void select_scheduleDay_isTheDayInJakartaNotInUtc() {
    var rules = rules(campaign("monday").schedule(Set.of(DayOfWeek.MONDAY), null, null));

    // Sunday 18:00 UTC is already Monday 01:00 in Jakarta
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-15T18:00:00Z")))
        .isEqualTo("monday");
    // Monday 20:00 UTC is Tuesday 03:00 in Jakarta
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-16T20:00:00Z"))).isNull();
  }

  @Test void select_scheduleHours_startInclusiveEndExclusiveInJakartaTime() {
    var rules = rules(campaign("daytime").schedule(Set.of(), 6, 22));

    assertThat(winner(rules, page("news"), Instant.parse("2026-11-17T22:59:59Z"))).isNull(); // 05:59
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-17T23:00:00Z"))) // 06:00
        .isEqualTo("daytime");
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T14:59:00Z"))) // 21:59
        .isEqualTo("daytime");
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T15:00:00Z"))).isNull(); // 22:00
  }

  @Test void select_scheduleHoursWithStartAfterEnd_wrapPastMidnight() {
    var rules = rules(campaign("night").schedule(Set.of(), 22, 6));

    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T15:00:00Z"))) // 22:00
        .isEqualTo("night");
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T19:30:00Z"))) // 02:30
        .isEqualTo("night");
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T22:59:00Z"))) // 05:59
        .isEqualTo("night");
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T23:00:00Z"))).isNull(); // 06:00
    assertThat(winner(rules, page("news"), NOW)).isNull(); // 10:00
  }

  @Test void select_scheduleHoursEndingAt24_runToMidnight() {
    var rules = rules(campaign("evening").schedule(Set.of(), 18, 24));

    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T16:59:59Z"))) // 23:59:59
        .isEqualTo("evening");
    assertThat(winner(rules, page("news"), Instant.parse("2026-11-18T17:00:00Z"))).isNull(); // 00:00
  }

  // ---- 3. goal ----

  @Test void select_goalReached_isNotServed() {
    var rules = rules(
        campaign("capped").cpm(90_000).goal(100, Pacing.ASAP),
        campaign("fallback").cpm(1_000));
    counters.served("capped").add(99);

    assertThat(winner(rules, page("news"))).isEqualTo("capped");

    counters.served("capped").add(1);

    assertThat(winner(rules, page("news"))).isEqualTo("fallback");
  }

  @Test void serve_lastImpressionOfGoal_isServedOnceAndNeverOverDelivered() {
    var rules = rules(campaign("last-one").goal(10, Pacing.ASAP));
    counters.served("last-one").add(9);

    assertThat(serveWinner(rules, page("news"))).isEqualTo("last-one");
    assertThat(serveWinner(rules, page("news"))).isNull();
    assertThat(counters.served("last-one").get()).isEqualTo(10);
  }

  // ---- 4. pacing ----

  @Test void select_evenPacingAheadOfSchedule_isThrottled() {
    // a ten-day flight, half way through: at most half of the goal may have been served
    var rules = rules(
        campaign("even").cpm(90_000).goal(1_000, Pacing.EVEN)
            .flight(NOW.minus(Duration.ofDays(5)), NOW.plus(Duration.ofDays(5))),
        campaign("fallback").cpm(1_000));
    counters.served("even").add(500);

    assertThat(winner(rules, page("news"))).isEqualTo("fallback");
  }

  @Test void select_evenPacingBehindSchedule_isServed() {
    var rules = rules(
        campaign("even").cpm(90_000).goal(1_000, Pacing.EVEN)
            .flight(NOW.minus(Duration.ofDays(5)), NOW.plus(Duration.ofDays(5))),
        campaign("fallback").cpm(1_000));
    counters.served("even").add(499);

    assertThat(winner(rules, page("news"))).isEqualTo("even");
  }

  @Test void select_asapPacing_isNeverThrottled() {
    // one hour into a 100-day flight, 999 of 1,000 served: far ahead of an even pace
    var rules = rules(
        campaign("asap").cpm(90_000).goal(1_000, Pacing.ASAP)
            .flight(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(100))),
        campaign("fallback").cpm(1_000));
    counters.served("asap").add(999);

    assertThat(winner(rules, page("news"))).isEqualTo("asap");
  }

  // ---- 5. frequency cap ----

  @Test void serve_frequencyCapReachedWithinWindow_isNotServedToThatUserAgain() {
    var rules = rules(
        campaign("capped").cpm(90_000).cap(2, Duration.ofHours(24)),
        campaign("fallback").cpm(1_000));
    var user = page("news").user("u-1");

    assertThat(serveWinner(rules, user, NOW)).isEqualTo("capped");
    assertThat(serveWinner(rules, user, NOW.plus(Duration.ofHours(1)))).isEqualTo("capped");
    assertThat(serveWinner(rules, user, NOW.plus(Duration.ofHours(2)))).isEqualTo("fallback");
    assertThat(serveWinner(rules, page("news").user("u-2"), NOW.plus(Duration.ofHours(2))))
        .isEqualTo("capped");
  }

  @Test void serve_frequencyCapWindow_slidesWithTime() {
    var rules = rules(
        campaign("capped").cpm(90_000).cap(2, Duration.ofHours(24)),
        campaign("fallback").cpm(1_000));
    var user = page("news").user("u-1");
    Instant first = NOW;
    Instant second = NOW.plus(Duration.ofHours(12));
    serveWinner(rules, user, first);
    serveWinner(rules, user, second);

    // just before the first serve leaves the window: still two in the last 24 hours
    assertThat(serveWinner(rules, user, first.plus(Duration.ofHours(23)))).isEqualTo("fallback");
    // once it has left, one more is allowed...
    Instant later = first.plus(Duration.ofHours(24)).plusSeconds(1);
    assertThat(serveWinner(rules, user, later)).isEqualTo("capped");
    // ...and then the serves at +12h and +24h fill the window again
    assertThat(serveWinner(rules, user, later.plusSeconds(1))).isEqualTo("fallback");
  }

  @Test void select_requestWithoutUserId_isNotServedCappedCampaign() {
    var rules = rules(
        campaign("capped").cpm(90_000).cap(100, Duration.ofDays(7)),
        campaign("fallback").cpm(1_000));

    assertThat(winner(rules, page("news"))).isEqualTo("fallback");
    assertThat(winner(rules, page("news").user("u-1"))).isEqualTo("capped");
  }

  // ---- ranking ----

  @Test void select_strongerTier_beatsHigherCpm() {
    var rules = rules(
        campaign("standard").tier(Tier.STANDARD).cpm(900_000),
        campaign("sponsor").tier(Tier.SPONSORSHIP).cpm(1));

    assertThat(winner(rules, page("news"))).isEqualTo("sponsor");
  }

  @Test void select_tiers_rankSponsorshipStandardRemnantHouse() {
    var rules = rules(
        campaign("house").tier(Tier.HOUSE).cpm(900_000),
        campaign("remnant").tier(Tier.REMNANT).cpm(90_000),
        campaign("standard").tier(Tier.STANDARD).cpm(9_000),
        campaign("sponsor").tier(Tier.SPONSORSHIP).cpm(0));
    var page = page("news").slot("a", 300, 250).slot("b", 300, 250).slot("c", 300, 250)
        .slot("d", 300, 250);

    assertThat(winners(rules, page)).containsExactly("sponsor", "standard", "remnant", "house");
  }

  @Test void select_withinTier_higherCpmWins() {
    var rules = rules(
        campaign("cheap").cpm(10_000),
        campaign("dear").cpm(35_000),
        campaign("middle").cpm(20_000));

    assertThat(winner(rules, page("news"))).isEqualTo("dear");
  }

  @Test void select_equalTierAndCpm_rotateByWeight() {
    var rules = rules(
        campaign("heavy").cpm(5_000).weight(3),
        campaign("light").cpm(5_000).weight(1));

    Map<String, Double> shares = shares(10_000, () -> winner(rules, page("news")));

    assertThat(shares).containsOnlyKeys("heavy", "light");
    assertThat(shares.get("heavy")).isCloseTo(0.75, within(0.02));
    assertThat(shares.get("light")).isCloseTo(0.25, within(0.02));
  }

  @Test void select_equalTierAndCpmWithDefaultWeights_rotateEvenly() {
    var rules = rules(campaign("a").cpm(5_000), campaign("b").cpm(5_000), campaign("c").cpm(5_000));

    Map<String, Double> shares = shares(9_000, () -> winner(rules, page("news")));

    assertThat(shares).containsOnlyKeys("a", "b", "c");
    shares.values().forEach(share -> assertThat(share).isCloseTo(1 / 3.0, within(0.02)));
  }

  // ---- filling the page ----

  @Test void select_slotsInRequestOrder_firstSlotGetsTheBestCampaign() {
    var rules = rules(campaign("best").cpm(50_000), campaign("second").cpm(10_000));
    var page = page("news").slot("z-last-id", 300, 250).slot("a-first-id", 300, 250);

    assertThat(winners(rules, page)).containsExactly("best", "second");
  }

  @Test void select_creativeSizeNotInSlot_leavesSlotToCampaignThatFits() {
    var rules = rules(
        campaign("leaderboard").cpm(90_000).image("lb", 728, 90),
        campaign("rectangle").cpm(1_000).image("rect", 300, 250));
    var page = page("news").slot("mid", 300, 250).slot("top", 728, 90);

    var decision = decide(rules, page);

    assertThat(ids(decision)).containsExactly("rectangle", "leaderboard");
    assertThat(decision.slots().get(1).creative().size()).isEqualTo(new Size(728, 90));
  }

  @Test void select_slotWithSeveralSizes_getsACreativeOfOneOfThem() {
    var rules = rules(campaign("billboard").image("bb", 970, 250).image("rect", 300, 250));
    var page = page("news").slot(new Slot("top", List.of(new Size(728, 90), new Size(970, 250)),
        false));

    var decision = decide(rules, page);

    assertThat(decision.slots().get(0).creative().id()).isEqualTo("bb");
  }

  @Test void select_nativeSlot_takesOnlyNativeCreatives() {
    var rules = rules(
        campaign("display-only").cpm(90_000).image("big", 300, 250),
        campaign("mixed").cpm(1_000).image("mixed-rect", 300, 250).nativeAd("mixed-native"));
    var page = page("news").nativeSlot("read-next");

    var decision = decide(rules, page);

    assertThat(ids(decision)).containsExactly("mixed");
    assertThat(decision.slots().get(0).creative().format()).isEqualTo(Format.NATIVE);
    assertThat(decision.slots().get(0).creative().id()).isEqualTo("mixed-native");
  }

  @Test void select_displaySlot_neverGetsANativeCreative() {
    var rules = rules(campaign("native-only").nativeAd("story"));

    assertThat(winner(rules, page("news"))).isNull();
  }

  @Test void select_campaign_fillsAtMostOneSlotPerPage() {
    var rules = rules(campaign("only").cpm(90_000), campaign("other").cpm(1_000));
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    assertThat(winners(rules, page)).containsExactly("only", "other", null);
  }

  @Test void select_advertiser_appearsAtMostOncePerPageComparedCaseInsensitively() {
    var rules = rules(
        campaign("telco-a").advertiser("Telco").cpm(90_000),
        campaign("telco-b").advertiser("TELCO ").cpm(80_000),
        campaign("bank").advertiser("Bank").cpm(1_000));
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    assertThat(winners(rules, page)).containsExactly("telco-a", "bank", null);
  }

  @Test void select_competitiveCategory_neverSharesAPage() {
    var rules = rules(
        campaign("telco-1").advertiser("Telco Satu").category("telecom").cpm(90_000),
        campaign("telco-2").advertiser("Telco Dua").category("Telecom").cpm(80_000),
        campaign("bank").advertiser("Bank").category("finance").cpm(1_000));
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    assertThat(winners(rules, page)).containsExactly("telco-1", "bank", null);
  }

  // ---- roadblocks ----

  @Test void select_roadblock_takesEveryLaterSlotItFitsEvenAgainstHigherRankedCampaigns() {
    var rules = rules(
        campaign("roadblock").roadblock().cpm(20_000)
            .image("rb-top", 728, 90).image("rb-rect", 300, 250),
        campaign("rich").cpm(90_000).image("rich-rect", 300, 250));
    var page = page("news").slot("top", 728, 90).slot("mid-1", 300, 250).slot("mid-2", 300, 250);

    var decision = decide(rules, page);

    assertThat(ids(decision)).containsExactly("roadblock", "roadblock", "roadblock");
    assertThat(creativeIds(decision)).containsExactly("rb-top", "rb-rect", "rb-rect");
  }

  @Test void select_roadblock_doesNotTakeSlotsBeforeTheOneItWins() {
    var rules = rules(
        campaign("rich").cpm(90_000).image("rich-rect", 300, 250),
        campaign("roadblock").roadblock().cpm(20_000)
            .image("rb-top", 728, 90).image("rb-rect", 300, 250));
    var page = page("news").slot("mid-1", 300, 250).slot("top", 728, 90).slot("mid-2", 300, 250);

    assertThat(winners(rules, page)).containsExactly("rich", "roadblock", "roadblock");
  }

  @Test void select_roadblockWithoutCreativeForLaterSlot_leavesItToOthers() {
    var rules = rules(
        campaign("roadblock").roadblock().cpm(90_000).image("rb-top", 728, 90),
        campaign("other").cpm(1_000).image("other-rect", 300, 250));
    var page = page("news").slot("top", 728, 90).slot("mid", 300, 250);

    assertThat(winners(rules, page)).containsExactly("roadblock", "other");
  }

  @Test void serve_roadblockNearItsGoal_takesOnlyTheSlotsTheGoalAllows() {
    var rules = rules(
        campaign("roadblock").roadblock().cpm(90_000).goal(5, Pacing.ASAP),
        campaign("other").cpm(1_000));
    counters.served("roadblock").add(3);
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    assertThat(ids(serve(rules, page, NOW).decision()))
        .containsExactly("roadblock", "roadblock", "other");
    assertThat(counters.served("roadblock").get()).isEqualTo(5);
  }

  @Test void serve_roadblockWithFrequencyCap_takesOnlyTheSlotsTheCapAllows() {
    var rules = rules(
        campaign("roadblock").roadblock().cpm(90_000).cap(2, Duration.ofHours(24)),
        campaign("other").cpm(1_000));
    var page = page("news").user("u-1")
        .slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    assertThat(ids(serve(rules, page, NOW).decision()))
        .containsExactly("roadblock", "roadblock", "other");
    assertThat(winner(rules, page("news").user("u-1"))).isEqualTo("other");
  }

  @Test void serve_roadblock_countsOncePerSlotItTakes() {
    var rules = rules(campaign("roadblock").roadblock());
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    serve(rules, page, NOW);

    assertThat(counters.served("roadblock").get()).isEqualTo(3);
  }

  // ---- creatives ----

  @Test void select_severalFittingCreatives_rotateByCreativeWeight() {
    var rules = rules(campaign("two-creatives")
        .image("light", 300, 250, 1)
        .image("heavy", 300, 250, 4)
        .image("wrong-size", 728, 90, 100));

    Map<String, Double> shares = shares(10_000,
        () -> decide(rules, page("news")).slots().get(0).creative().id());

    assertThat(shares).containsOnlyKeys("light", "heavy");
    assertThat(shares.get("heavy")).isCloseTo(0.8, within(0.02));
    assertThat(shares.get("light")).isCloseTo(0.2, within(0.02));
  }

  // ---- counting ----

  @Test void serve_countsEachServedAd() {
    var rules = rules(campaign("a").cpm(2_000), campaign("b").cpm(1_000));
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250);

    serve(rules, page, NOW);
    serve(rules, page, NOW);

    assertThat(counters.served("a").get()).isEqualTo(2);
    assertThat(counters.served("b").get()).isEqualTo(2);
  }

  @Test void decide_countsNothing() {
    var rules = rules(campaign("one-left").goal(1, Pacing.ASAP).cap(1, Duration.ofDays(1)));
    var page = page("news").user("u-1");

    for (int i = 0; i < 5; i++) {
      assertThat(winner(rules, page)).isEqualTo("one-left");
    }
    assertThat(counters.served("one-left").get()).isZero();
    assertThat(counters.servedToUser("u-1", "one-left", 0)).isZero();
  }

  @Test void serve_editedCampaignWithSameId_keepsItsServedCount() {
    var v1 = compile(1, campaign("c-telco").cpm(10_000).goal(2, Pacing.ASAP));
    serveWinner(v1, page("news"));
    serveWinner(v1, page("news"));

    // ad ops raise the price and change the targeting: the goal is still reached
    var v2 = compile(2, campaign("c-telco").cpm(50_000).sections("news").goal(2, Pacing.ASAP),
        campaign("fallback").cpm(1_000));
    assertThat(winner(v2, page("news"))).isEqualTo("fallback");

    // and raising the goal lets it serve exactly the difference
    var v3 = compile(3, campaign("c-telco").cpm(50_000).goal(3, Pacing.ASAP),
        campaign("fallback").cpm(1_000));
    assertThat(serveWinner(v3, page("news"))).isEqualTo("c-telco");
    assertThat(serveWinner(v3, page("news"))).isEqualTo("fallback");
    assertThat(counters.served("c-telco").get()).isEqualTo(3);
  }

  // ---- house ----

  @Test void select_houseTier_fillsWhenNothingElseMatches() {
    var rules = rules(
        campaign("kn-app").tier(Tier.HOUSE).cpm(0),
        campaign("war").keywordsAny("perang"));

    assertThat(winner(rules, page("otomotif").keywords("mobil"))).isEqualTo("kn-app");
    assertThat(winner(rules, page("news").keywords("perang"))).isEqualTo("war");
  }

  // ---- explain (SPEC §2: the first rule failed, in the spec's order) ----

  @Test void explain_reasons_areTheSpecNamesInTheSpecOrder() {
    assertThat(Arrays.stream(Reason.values()).map(Reason::wireName)).containsExactly(
        "inactive", "flight", "section", "keywords", "geo", "device", "schedule",
        "no-fitting-creative", "frequency-cap", "goal-reached", "pacing", "page-exclusion",
        "outranked");
  }

  @Test void explain_pausedCampaign_lostAsInactive() {
    var slot = explain(rules(campaign("paused").paused(), campaign("ok")), page("news"));

    assertThat(reason(slot, "paused")).isEqualTo("inactive");
  }

  @Test void explain_campaignOutsideFlight_lostAsFlight() {
    var slot = explain(rules(
        campaign("ended").flight(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1))),
        campaign("future").flight(NOW.plus(Duration.ofDays(1)), null)), page("news"));

    assertThat(reason(slot, "ended")).isEqualTo("flight");
    assertThat(reason(slot, "future")).isEqualTo("flight");
  }

  @Test void explain_otherSection_lostAsSection() {
    var slot = explain(rules(
        campaign("sport").sections("sport"),
        campaign("no-news").sectionsExclude("news")), page("news"));

    assertThat(reason(slot, "sport")).isEqualTo("section");
    assertThat(reason(slot, "no-news")).isEqualTo("section");
  }

  @Test void explain_keywordMismatch_lostAsKeywords() {
    var slot = explain(rules(
        campaign("any").keywordsAny("bola"),
        campaign("all").keywordsAll("rusia", "bola"),
        campaign("none").keywordsNone("rusia")), page("news").keywords("rusia"));

    assertThat(reason(slot, "any")).isEqualTo("keywords");
    assertThat(reason(slot, "all")).isEqualTo("keywords");
    assertThat(reason(slot, "none")).isEqualTo("keywords");
  }

  @Test void explain_otherGeo_lostAsGeo() {
    var slot = explain(rules(
        campaign("malaysia").geo("MY"),
        campaign("not-west-java").geoExclude("ID-JB")), page("news").geo("ID", "JB", "Bandung"));

    assertThat(reason(slot, "malaysia")).isEqualTo("geo");
    assertThat(reason(slot, "not-west-java")).isEqualTo("geo");
  }

  @Test void explain_otherDevice_lostAsDevice() {
    var slot = explain(rules(campaign("desktop").devices(DeviceType.DESKTOP)),
        page("news").device(DeviceType.MOBILE));

    assertThat(reason(slot, "desktop")).isEqualTo("device");
  }

  @Test void explain_outsideSchedule_lostAsSchedule() {
    var slot = explain(rules(campaign("weekend").schedule(
        EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), null, null)), page("news"));

    assertThat(reason(slot, "weekend")).isEqualTo("schedule");
  }

  @Test void explain_noCreativeOfTheSlotSize_lostAsNoFittingCreative() {
    var slot = explain(rules(campaign("leaderboard").image("lb", 728, 90)), page("news"));

    assertThat(reason(slot, "leaderboard")).isEqualTo("no-fitting-creative");
  }

  @Test void explain_userAtCap_lostAsFrequencyCap() {
    var rules = rules(campaign("capped").cap(1, Duration.ofHours(24)), campaign("other").cpm(1));
    serve(rules, page("news").user("u-1"), NOW);

    var slot = explain(rules, page("news").user("u-1"));

    assertThat(reason(slot, "capped")).isEqualTo("frequency-cap");
    assertThat(reason(explain(rules, page("news")), "capped")).isEqualTo("frequency-cap");
  }

  @Test void explain_goalReached_lostAsGoalReached() {
    var rules = rules(campaign("done").goal(10, Pacing.ASAP));
    counters.served("done").add(10);

    assertThat(reason(explain(rules, page("news")), "done")).isEqualTo("goal-reached");
  }

  @Test void explain_aheadOfEvenPace_lostAsPacing() {
    var rules = rules(campaign("even").goal(1_000, Pacing.EVEN)
        .flight(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9))));
    counters.served("even").add(200);

    assertThat(reason(explain(rules, page("news")), "even")).isEqualTo("pacing");
  }

  @Test void explain_sameAdvertiserOrCategoryAlreadyOnPage_lostAsPageExclusion() {
    var rules = rules(
        campaign("telco-a").advertiser("Telco").cpm(90_000),
        campaign("telco-b").advertiser("Telco").cpm(80_000),
        campaign("rival").advertiser("Rival").category("telecom").cpm(70_000),
        campaign("telco-c").advertiser("Telco C").category("telecom").cpm(60_000),
        campaign("bank").advertiser("Bank").cpm(1_000));
    var page = page("news").slot("s1", 300, 250).slot("s2", 300, 250).slot("s3", 300, 250);

    var explanation = serve(rules, page, NOW, true).explanation();

    // s1: telco-a wins; s2: rival wins (its category is still free) over telco-c
    var s2 = explanation.slots().get("s2");
    assertThat(s2.winner()).isEqualTo("rival");
    assertThat(reason(s2, "telco-a")).isEqualTo("page-exclusion");
    assertThat(reason(s2, "telco-b")).isEqualTo("page-exclusion");
    assertThat(reason(s2, "telco-c")).isEqualTo("outranked");
    // s3: rival's category keeps telco-c out, and bank fills
    var s3 = explanation.slots().get("s3");
    assertThat(s3.winner()).isEqualTo("bank");
    assertThat(reason(s3, "telco-c")).isEqualTo("page-exclusion");
  }

  @Test void explain_lowerCpm_lostAsOutranked() {
    var slot = explain(rules(campaign("dear").cpm(9_000), campaign("cheap").cpm(1_000)),
        page("news"));

    assertThat(slot.winner()).isEqualTo("dear");
    assertThat(reason(slot, "cheap")).isEqualTo("outranked");
    assertThat(slot.lost()).doesNotContainKey("dear");
  }

  @Test void explain_campaignFailingSeveralRules_reportsTheFirstInSpecOrder() {
    var rules = rules(
        campaign("paused-elsewhere").paused().sections("sport").image("lb", 728, 90),
        campaign("elsewhere-on-desktop").sections("sport").devices(DeviceType.DESKTOP),
        campaign("wrong-device-and-size").devices(DeviceType.DESKTOP).image("lb2", 728, 90),
        campaign("wrong-size-and-done").image("lb3", 728, 90).goal(1, Pacing.ASAP));
    counters.served("wrong-size-and-done").add(1);

    var slot = explain(rules, page("news").device(DeviceType.MOBILE));

    assertThat(reason(slot, "paused-elsewhere")).isEqualTo("inactive");
    assertThat(reason(slot, "elsewhere-on-desktop")).isEqualTo("section");
    assertThat(reason(slot, "wrong-device-and-size")).isEqualTo("device");
    assertThat(reason(slot, "wrong-size-and-done")).isEqualTo("no-fitting-creative");
  }

  @Test void explain_candidatesAndWinner_countEveryCampaignThatCouldFillTheSlot() {
    var slot = explain(rules(
        campaign("winner").cpm(9_000),
        campaign("second").cpm(5_000),
        campaign("third").tier(Tier.HOUSE),
        campaign("paused").paused(),
        campaign("leaderboard").image("lb", 728, 90)), page("news"));

    assertThat(slot.winner()).isEqualTo("winner");
    assertThat(slot.candidates()).isEqualTo(3);
    assertThat(slot.lost()).containsOnlyKeys("second", "third", "paused", "leaderboard");
  }

  @Test void explain_unfilledSlot_hasNoWinnerAndNoCandidates() {
    var slot = explain(rules(campaign("sport").sections("sport")), page("news"));

    assertThat(slot.winner()).isNull();
    assertThat(slot.candidates()).isZero();
  }

  @Test void explain_explainedRequest_isCountedLikeAnyOther() {
    var rules = rules(campaign("a"));

    explain(rules, page("news"));

    assertThat(counters.served("a").get()).isEqualTo(1);
  }

  // ---- helpers ----

  private CompiledRules rules(CampaignBuilder... campaigns) {
    return compile(1, campaigns);
  }

  private CompiledRules compile(long version, CampaignBuilder... campaigns) {
    return CompiledRules.compile(
        new RuleSet(Arrays.stream(campaigns).map(CampaignBuilder::build).toList()), version,
        counters);
  }

  private PageDecision decide(CompiledRules rules, PageBuilder page) {
    return selector.decide(page.toRequest(), rules, NOW, random);
  }

  private String winner(CompiledRules rules, PageBuilder page) {
    return winner(rules, page, NOW);
  }

  private String winner(CompiledRules rules, PageBuilder page, Instant now) {
    return ids(selector.decide(page.toRequest(), rules, now, random)).get(0);
  }

  private List<String> winners(CompiledRules rules, PageBuilder page) {
    return ids(decide(rules, page));
  }

  private Selector.Outcome serve(CompiledRules rules, PageBuilder page, Instant now) {
    return serve(rules, page, now, false);
  }

  private Selector.Outcome serve(
      CompiledRules rules, PageBuilder page, Instant now, boolean explain) {
    return selector.serve(page.toRequest(), rules, now, random, explain);
  }

  private String serveWinner(CompiledRules rules, PageBuilder page) {
    return serveWinner(rules, page, NOW);
  }

  private String serveWinner(CompiledRules rules, PageBuilder page, Instant now) {
    return ids(serve(rules, page, now).decision()).get(0);
  }

  /** The explanation of the first slot of a served (and so counted) request. */
  private Explanation.SlotExplanation explain(CompiledRules rules, PageBuilder page) {
    var request = page.toRequest();
    Explanation explanation = selector.serve(request, rules, NOW, random, true).explanation();
    return explanation.slots().get(request.slots().get(0).id());
  }

  private static String reason(Explanation.SlotExplanation slot, String campaignId) {
    assertThat(slot.lost()).containsKey(campaignId);
    return slot.lost().get(campaignId).wireName();
  }

  private static List<String> ids(PageDecision decision) {
    List<String> ids = new ArrayList<>();
    for (SlotDecision slot : decision.slots()) {
      ids.add(slot.filled() ? slot.campaign().id() : null);
    }
    return ids;
  }

  private static List<String> creativeIds(PageDecision decision) {
    List<String> ids = new ArrayList<>();
    for (SlotDecision slot : decision.slots()) {
      ids.add(slot.filled() ? slot.creative().id() : null);
    }
    return ids;
  }

  /** How often each outcome occurs in {@code n} draws, as a fraction of {@code n}. */
  private static Map<String, Double> shares(int n, java.util.function.Supplier<String> draw) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(draw.get(), 1, Integer::sum);
    }
    Map<String, Double> shares = new HashMap<>();
    counts.forEach((k, v) -> shares.put(k, v / (double) n));
    return shares;
  }
}
