package id.iklan.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JSON rule format of SPEC §5: what a valid rule set reads as, and, for each way a rule set can
 * be wrong, the problem ad ops get back (which campaign, which field, and a message they can act
 * on). A rule set with problems is rejected whole.
 */
final class RuleSetReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");

  private final RuleSetReader reader = new RuleSetReader(JAKARTA);

  /** The example of SPEC §5, verbatim. */
  private static final String SPEC_EXAMPLE = """
      {
        "campaigns": [
          {
            "id": "c-telco-q4", "advertiser": "Telco", "category": "telecom",
            "status": "active", "tier": "standard", "cpm": 35000, "currency": "IDR", "weight": 1,
            "start": "2026-11-01T00:00:00+07:00", "end": "2026-12-31T23:59:59+07:00",
            "goal": {"impressions": 2000000, "pacing": "even"},
            "frequencyCap": {"count": 3, "window": "PT24H"},
            "roadblock": false,
            "targeting": {
              "sections": {"include": ["internasional", "news"], "exclude": []},
              "keywords": {"any": ["rusia", "ukraina"], "all": [], "none": ["bencana"]},
              "geo": {"include": ["ID"], "exclude": ["ID-PA"]},
              "devices": ["mobile", "desktop"],
              "schedule": {"days": ["MON", "TUE", "WED", "THU", "FRI"], "hours": [6, 22]}
            },
            "creatives": [
              {"id": "cr-top-1", "format": "image", "size": [728, 90],
               "imageUrl": "https://cdn.example/telco-728.png", "alt": "Paket data",
               "clickUrl": "https://telco.example/promo", "weight": 1},
              {"id": "cr-native-1", "format": "native", "title": "…", "body": "…",
               "imageUrl": "https://cdn.example/telco-thumb.jpg", "sponsor": "Telco",
               "clickUrl": "https://telco.example/promo"}
            ]
          }
        ]
      }
      """;

  // ---- reading valid rules ----

  @Test void read_specExample_readsEveryField() throws Exception {
    RuleSet rules = reader.read(JSON.readTree(SPEC_EXAMPLE));

    assertThat(rules.campaigns()).hasSize(1);
    Campaign c = rules.campaigns().get(0);
    assertThat(c.id()).isEqualTo("c-telco-q4");
    assertThat(c.advertiser()).isEqualTo("Telco");
    assertThat(c.category()).isEqualTo("telecom");
    assertThat(c.status()).isEqualTo(Status.ACTIVE);
    assertThat(c.tier()).isEqualTo(Tier.STANDARD);
    assertThat(c.cpm()).isEqualTo(35_000);
    assertThat(c.currency()).isEqualTo("IDR");
    assertThat(c.weight()).isEqualTo(1);
    assertThat(c.start()).isEqualTo(Instant.parse("2026-10-31T17:00:00Z"));
    assertThat(c.end()).isEqualTo(Instant.parse("2026-12-31T16:59:59Z"));
    assertThat(c.goal()).isEqualTo(new Goal(2_000_000, Pacing.EVEN));
    assertThat(c.frequencyCap()).isEqualTo(new FrequencyCap(3, Duration.ofHours(24)));
    assertThat(c.roadblock()).isFalse();

    Targeting t = c.targeting();
    assertThat(t.sectionsInclude()).containsExactly("internasional", "news");
    assertThat(t.sectionsExclude()).isEmpty();
    assertThat(t.keywordsAny()).containsExactly("rusia", "ukraina");
    assertThat(t.keywordsAll()).isEmpty();
    assertThat(t.keywordsNone()).containsExactly("bencana");
    assertThat(t.geoInclude()).containsExactly("ID");
    assertThat(t.geoExclude()).containsExactly("ID-PA");
    assertThat(t.devices()).containsExactlyInAnyOrder(DeviceType.MOBILE, DeviceType.DESKTOP);
    assertThat(t.schedule().days())
        .isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    assertThat(t.schedule().hasHours()).isTrue();
    assertThat(t.schedule().startHour()).isEqualTo(6);
    assertThat(t.schedule().endHour()).isEqualTo(22);

    assertThat(c.creatives()).hasSize(2);
    Creative image = c.creatives().get(0);
    assertThat(image.id()).isEqualTo("cr-top-1");
    assertThat(image.format()).isEqualTo(Format.IMAGE);
    assertThat(image.size()).isEqualTo(new Size(728, 90));
    assertThat(image.imageUrl()).isEqualTo("https://cdn.example/telco-728.png");
    assertThat(image.alt()).isEqualTo("Paket data");
    assertThat(image.clickUrl()).isEqualTo("https://telco.example/promo");
    assertThat(image.weight()).isEqualTo(1);
    Creative nativeAd = c.creatives().get(1);
    assertThat(nativeAd.id()).isEqualTo("cr-native-1");
    assertThat(nativeAd.format()).isEqualTo(Format.NATIVE);
    assertThat(nativeAd.size()).isNull();
    assertThat(nativeAd.title()).isEqualTo("…");
    assertThat(nativeAd.body()).isEqualTo("…");
    assertThat(nativeAd.imageUrl()).isEqualTo("https://cdn.example/telco-thumb.jpg");
    assertThat(nativeAd.sponsor()).isEqualTo("Telco");
    assertThat(nativeAd.clickUrl()).isEqualTo("https://telco.example/promo");
  }

  @Test void read_htmlCreative_keepsItsMarkup() throws Exception {
    ObjectNode c = campaign("c1");
    creatives(c).set(0, tree("""
        {"id": "cr-html", "format": "html", "size": [300, 250],
         "html": "<div>Promo</div>", "clickUrl": "https://telco.example/"}"""));

    Creative html = read(c).campaigns().get(0).creatives().get(0);

    assertThat(html.format()).isEqualTo(Format.HTML);
    assertThat(html.html()).isEqualTo("<div>Promo</div>");
    assertThat(html.size()).isEqualTo(new Size(300, 250));
  }

  @Test void read_onlyRequiredFields_appliesDefaults() throws Exception {
    Campaign c = read(campaign("c1")).campaigns().get(0);

    assertThat(c.status()).isEqualTo(Status.ACTIVE);
    assertThat(c.cpm()).isZero();
    assertThat(c.weight()).isEqualTo(1);
    assertThat(c.category()).isNull();
    assertThat(c.end()).isNull();
    assertThat(c.goal()).isNull();
    assertThat(c.frequencyCap()).isNull();
    assertThat(c.roadblock()).isFalse();
    assertThat(c.targeting()).isEqualTo(Targeting.EVERYONE);
    Creative creative = c.creatives().get(0);
    assertThat(creative.weight()).isEqualTo(1);
    // alt is optional; the rule keeps it absent (the ad shown defaults it to the advertiser)
    assertThat(creative.alt()).isNull();
  }

  @Test void read_goalWithoutPacing_isAsap() throws Exception {
    ObjectNode c = set(campaign("c1"), "goal", "{\"impressions\": 1000}");

    assertThat(read(c).campaigns().get(0).goal()).isEqualTo(new Goal(1000, Pacing.ASAP));
  }

  @Test void read_nativeWithoutBody_isValid() throws Exception {
    ObjectNode c = campaign("c1");
    creatives(c).set(0, tree("""
        {"id": "cr-n", "format": "native", "title": "Judul", "imageUrl": "https://cdn.example/n.jpg",
         "sponsor": "Telco", "clickUrl": "https://telco.example/"}"""));

    assertThat(read(c).campaigns().get(0).creatives().get(0).body()).isNull();
  }

  @Test void read_enumValuesInAnyCase_areAccepted() throws Exception {
    ObjectNode c = campaign("c1");
    c.put("tier", "SPONSORSHIP");
    c.put("status", "Paused");
    c.put("end", "2026-12-01T00:00:00+07:00");
    set(c, "goal", "{\"impressions\": 10, \"pacing\": \"Even\"}");
    set(c, "targeting", """
        {"devices": ["MOBILE", "Tablet"], "schedule": {"days": ["mon", "Sat"]}}""");
    creative(c).put("format", "IMAGE");

    Campaign read = read(c).campaigns().get(0);

    assertThat(read.tier()).isEqualTo(Tier.SPONSORSHIP);
    assertThat(read.status()).isEqualTo(Status.PAUSED);
    assertThat(read.goal().pacing()).isEqualTo(Pacing.EVEN);
    assertThat(read.targeting().devices())
        .containsExactlyInAnyOrder(DeviceType.MOBILE, DeviceType.TABLET);
    assertThat(read.targeting().schedule().days())
        .containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.SATURDAY);
    assertThat(read.creatives().get(0).format()).isEqualTo(Format.IMAGE);
  }

  @Test void read_timeWithoutOffset_isReadInThePublisherTimeZone() throws Exception {
    ObjectNode c = campaign("c1");
    c.put("start", "2026-11-01T00:00:00");
    c.put("end", "2026-11-30T23:59:59");

    Campaign jakarta = read(c).campaigns().get(0);
    Campaign utc = new RuleSetReader(ZoneOffset.UTC).read(ruleSet(c)).campaigns().get(0);

    assertThat(jakarta.start()).isEqualTo(Instant.parse("2026-10-31T17:00:00Z"));
    assertThat(jakarta.end()).isEqualTo(Instant.parse("2026-11-30T16:59:59Z"));
    assertThat(utc.start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
  }

  @Test void read_timeWithOffset_keepsItsOffset() throws Exception {
    ObjectNode c = campaign("c1");
    c.put("start", "2026-11-01T00:00:00Z");

    assertThat(read(c).campaigns().get(0).start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
  }

  @Test void read_targetingValues_areNormalised() throws Exception {
    ObjectNode c = set(campaign("c1"), "targeting", """
        {"sections": {"include": ["Internasional"]},
         "keywords": {"any": ["  Korea   UTARA "]},
         "geo": {"include": ["id-jb/BANDUNG", "my"]}}""");
    c.put("category", " Telecom ");

    Campaign read = read(c).campaigns().get(0);

    assertThat(read.targeting().sectionsInclude()).containsExactly("internasional");
    assertThat(read.targeting().keywordsAny()).containsExactly("korea utara");
    assertThat(read.targeting().geoInclude()).containsExactly("ID-JB/bandung", "MY");
    assertThat(read.category()).isEqualTo("telecom");
  }

  @Test void read_hoursWrappingPastMidnightOrEndingAt24_areValid() throws Exception {
    ObjectNode night = set(campaign("night"), "targeting", "{\"schedule\": {\"hours\": [22, 6]}}");
    ObjectNode evening = set(campaign("evening"), "targeting",
        "{\"schedule\": {\"hours\": [18, 24]}}");

    RuleSet rules = read(night, evening);

    assertThat(rules.campaigns().get(0).targeting().schedule().startHour()).isEqualTo(22);
    assertThat(rules.campaigns().get(1).targeting().schedule().endHour()).isEqualTo(24);
  }

  @Test void read_emptyCampaignList_isAValidRuleSet() throws Exception {
    assertThat(reader.read(tree("{\"campaigns\": []}")).campaigns()).isEmpty();
  }

  // ---- required fields ----

  @Test void read_missingId_isReportedByIndex() {
    ObjectNode c = campaign("c1");
    c.remove("id");

    Problem p = only(problems(campaign("c0"), c));

    assertThat(p.campaign()).isNull();
    assertThat(p.index()).isEqualTo(1);
    assertThat(p.field()).isEqualTo("id");
    assertThat(p.message()).contains("required");
  }

  @Test void read_invalidId_isReportedByIndexWithTheIdRule() {
    ObjectNode c = campaign("c1");
    c.put("id", "kampanye telco");

    Problem p = only(problems(c));

    assertThat(p.campaign()).isNull();
    assertThat(p.index()).isZero();
    assertThat(p.field()).isEqualTo("id");
    assertThat(p.message()).contains("no spaces").contains("kampanye telco");
  }

  @Test void read_missingAdvertiser_isReported() {
    ObjectNode c = campaign("c1");
    c.remove("advertiser");

    assertProblem(problems(c), "c1", "advertiser", "required");
  }

  @Test void read_missingTier_namesTheTiers() {
    ObjectNode c = campaign("c1");
    c.remove("tier");

    Problem p = assertProblem(problems(c), "c1", "tier", "required");
    assertThat(p.message()).contains("sponsorship", "standard", "remnant", "house");
  }

  @Test void read_missingStart_showsAnExample() {
    ObjectNode c = campaign("c1");
    c.remove("start");

    Problem p = assertProblem(problems(c), "c1", "start", "required");
    assertThat(p.message()).contains("2026-11-01T00:00:00+07:00");
  }

  @Test void read_missingCreatives_isReported() {
    ObjectNode c = campaign("c1");
    c.remove("creatives");

    assertProblem(problems(c), "c1", "creatives", "at least one creative");
  }

  @Test void read_emptyCreativeList_isReported() {
    ObjectNode c = campaign("c1");
    c.putArray("creatives");

    assertProblem(problems(c), "c1", "creatives", "at least one creative");
  }

  @Test void read_creativeWithoutIdFormatOrClickUrl_reportsEach() {
    ObjectNode c = campaign("c1");
    creative(c).remove(List.of("id", "format", "clickUrl"));

    List<Problem> problems = problems(c);

    assertThat(problems).extracting(Problem::campaign, Problem::field).containsExactlyInAnyOrder(
        tuple("c1", "creatives[0].id"),
        tuple("c1", "creatives[0].format"),
        tuple("c1", "creatives[0].clickUrl"));
    assertThat(problemAt(problems, "creatives[0].format").message())
        .contains("image", "html", "native");
  }

  @Test void read_imageWithoutSizeAndImageUrl_reportsBoth() {
    ObjectNode c = campaign("c1");
    creative(c).remove(List.of("size", "imageUrl"));

    List<Problem> problems = problems(c);

    assertThat(problems).extracting(Problem::field)
        .containsExactlyInAnyOrder("creatives[0].size", "creatives[0].imageUrl");
    assertThat(problemAt(problems, "creatives[0].size").message()).contains("[300, 250]");
  }

  @Test void read_htmlWithoutSizeAndHtml_reportsBoth() {
    ObjectNode c = campaign("c1");
    creatives(c).set(0, tree("""
        {"id": "cr-html", "format": "html", "clickUrl": "https://telco.example/"}"""));

    assertThat(problems(c)).extracting(Problem::campaign, Problem::field)
        .containsExactlyInAnyOrder(tuple("c1", "creatives[0].size"), tuple("c1", "creatives[0].html"));
  }

  @Test void read_nativeWithoutTitleImageUrlAndSponsor_reportsEach() {
    ObjectNode c = campaign("c1");
    creatives(c).set(0, tree("""
        {"id": "cr-n", "format": "native", "body": "Isi", "clickUrl": "https://telco.example/"}"""));

    assertThat(problems(c)).extracting(Problem::campaign, Problem::field)
        .containsExactlyInAnyOrder(
            tuple("c1", "creatives[0].title"),
            tuple("c1", "creatives[0].imageUrl"),
            tuple("c1", "creatives[0].sponsor"));
  }

  @Test void read_memberOfAnotherFormat_isReported() {
    ObjectNode c = campaign("c1");
    creatives(c).set(0, tree("""
        {"id": "cr-html", "format": "html", "size": [300, 250], "html": "<b>x</b>",
         "imageUrl": "https://cdn.example/x.png", "clickUrl": "https://telco.example/"}"""));

    Problem p = assertProblem(problems(c), "c1", "creatives[0].imageUrl", "not used by html");
    assertThat(p.message()).contains("remove it");
  }

  // ---- unknown members ----

  @Test void read_misspeltTargeting_isReportedWithDidYouMean() {
    ObjectNode c = set(campaign("c1"), "targetting", "{\"sections\": {\"include\": [\"news\"]}}");

    Problem p = assertProblem(problems(c), "c1", "targetting", "not a known field");
    assertThat(p.message()).contains("did you mean \"targeting\"");
  }

  @Test void read_unknownMemberWithoutCloseMatch_listsTheKnownFields() {
    ObjectNode c = campaign("c1");
    c.put("budgetCeiling", 100);

    Problem p = assertProblem(problems(c), "c1", "budgetCeiling", "not a known field");
    assertThat(p.message()).doesNotContain("did you mean").contains("targeting", "frequencyCap");
  }

  @Test void read_unknownMembersInNestedObjects_areReportedWithTheirPath() {
    ObjectNode c = campaign("c1");
    set(c, "targeting", """
        {"device": ["mobile"],
         "keywords": {"nonee": ["bencana"]}, "schedule": {"day": ["MON"]},
         "geo": {"inlcude": ["ID"]}, "sections": {"include": ["news"], "exlude": []}}""");
    set(c, "goal", "{\"impresions\": 100}");
    set(c, "frequencyCap", "{\"count\": 3, \"windows\": \"PT24H\"}");
    creative(c).put("clickURL", "https://telco.example/");

    List<Problem> problems = problems(c);

    assertThat(problemAt(problems, "targeting.device").message())
        .contains("did you mean \"devices\"");
    assertThat(problemAt(problems, "targeting.keywords.nonee").message())
        .contains("did you mean \"none\"");
    assertThat(problemAt(problems, "targeting.schedule.day").message())
        .contains("did you mean \"days\"");
    assertThat(problemAt(problems, "targeting.geo.inlcude").message())
        .contains("did you mean \"include\"");
    assertThat(problemAt(problems, "targeting.sections.exlude").message())
        .contains("did you mean \"exclude\"");
    assertThat(problemAt(problems, "goal.impresions").message())
        .contains("did you mean \"impressions\"");
    assertThat(problemAt(problems, "frequencyCap.windows").message())
        .contains("did you mean \"window\"");
    assertThat(problemAt(problems, "creatives[0].clickURL").message())
        .contains("did you mean \"clickUrl\"");
    assertThat(problems).allSatisfy(p -> assertThat(p.campaign()).isEqualTo("c1"));
  }

  // ---- bad values ----

  @Test void read_unknownTier_namesTheChoices() {
    ObjectNode c = campaign("c1");
    c.put("tier", "gold");

    Problem p = assertProblem(problems(c), "c1", "tier", "gold");
    assertThat(p.message()).contains("sponsorship, standard, remnant, house");
  }

  @Test void read_unknownStatusFormatPacingDeviceOrDay_isReported() {
    ObjectNode c = campaign("c1");
    c.put("status", "running");
    c.put("end", "2026-12-01T00:00:00+07:00");
    set(c, "goal", "{\"impressions\": 10, \"pacing\": \"fast\"}");
    set(c, "targeting", "{\"devices\": [\"phone\"], \"schedule\": {\"days\": [\"MONDAYS\"]}}");
    creative(c).put("format", "gif");

    List<Problem> problems = problems(c);

    assertThat(problemAt(problems, "status").message()).contains("active, paused");
    assertThat(problemAt(problems, "goal.pacing").message()).contains("asap, even");
    assertThat(problemAt(problems, "targeting.devices[0]").message())
        .contains("desktop, mobile, tablet").contains("phone");
    assertThat(problemAt(problems, "targeting.schedule.days[0]").message()).contains("MON");
    assertThat(problemAt(problems, "creatives[0].format").message())
        .contains("image, html, native");
  }

  @Test void read_negativeCpm_isReported() {
    ObjectNode c = campaign("c1");
    c.put("cpm", -1);

    assertProblem(problems(c), "c1", "cpm", "0 or more");
  }

  @Test void read_zeroOrNegativeWeight_isReported() {
    ObjectNode c = campaign("c1");
    c.put("weight", 0);
    creative(c).put("weight", -2);

    List<Problem> problems = problems(c);

    assertThat(problemAt(problems, "weight").message()).contains("greater than 0");
    assertThat(problemAt(problems, "creatives[0].weight").message()).contains("greater than 0");
  }

  @Test void read_endBeforeStart_isReported() {
    ObjectNode c = campaign("c1");
    c.put("end", "2026-10-31T00:00:00+07:00");

    Problem p = assertProblem(problems(c), "c1", "end", "after start");
    assertThat(p.message()).contains("2026-11-01T00:00:00+07:00");
  }

  @Test void read_endEqualToStart_isReported() {
    ObjectNode c = campaign("c1");
    c.put("end", c.get("start").asText());

    assertProblem(problems(c), "c1", "end", "after start");
  }

  @Test void read_evenPacingWithoutEnd_isReported() {
    ObjectNode c = set(campaign("c1"), "goal", "{\"impressions\": 1000, \"pacing\": \"even\"}");

    Problem p = assertProblem(problems(c), "c1", "goal.pacing", "end");
    assertThat(p.message()).contains("asap");
  }

  @Test void read_malformedGeoTargets_areReportedEach() {
    ObjectNode c = set(campaign("c1"), "targeting", """
        {"geo": {"include": ["ID", "Indonesia", "ID/Bandung"], "exclude": ["ID-JB-X", ""]}}""");

    List<Problem> problems = problems(c);

    assertThat(problems).extracting(Problem::field).containsExactlyInAnyOrder(
        "targeting.geo.include[1]", "targeting.geo.include[2]",
        "targeting.geo.exclude[0]", "targeting.geo.exclude[1]");
    assertThat(problemAt(problems, "targeting.geo.include[1]").message())
        .contains("Indonesia").contains("ID-JB/Bandung");
  }

  @Test void read_clickUrlNotHttp_isReported() {
    ObjectNode ftp = campaign("c1");
    creative(ftp).put("clickUrl", "ftp://telco.example/promo");
    ObjectNode relative = campaign("c2");
    creative(relative).put("clickUrl", "/promo");
    ObjectNode script = campaign("c3");
    creative(script).put("clickUrl", "javascript:alert(1)");

    List<Problem> problems = problems(ftp, relative, script);

    assertThat(problems).extracting(Problem::campaign, Problem::field).containsExactly(
        tuple("c1", "creatives[0].clickUrl"),
        tuple("c2", "creatives[0].clickUrl"),
        tuple("c3", "creatives[0].clickUrl"));
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("http://", "https://"));
    assertThat(problems.get(0).message()).contains("ftp://telco.example/promo");
  }

  @Test void read_imageUrlNotHttp_isReported() {
    ObjectNode c = campaign("c1");
    creative(c).put("imageUrl", "cdn.example/a.png");

    assertProblem(problems(c), "c1", "creatives[0].imageUrl", "http");
  }

  @Test void read_duplicateCampaignId_isReported() {
    List<Problem> problems = problems(campaign("c1"), campaign("c2"), withCreative(campaign("c1"),
        "other-cr"));

    Problem p = only(problems);
    assertThat(p.campaign()).isEqualTo("c1");
    assertThat(p.field()).isEqualTo("id");
    assertThat(p.message()).contains("used twice").contains("#0");
  }

  @Test void read_duplicateCreativeIdAcrossCampaigns_isReported() {
    ObjectNode first = withCreative(campaign("c1"), "cr-shared");
    ObjectNode second = withCreative(campaign("c2"), "cr-shared");

    Problem p = only(problems(first, second));

    assertThat(p.campaign()).isEqualTo("c2");
    assertThat(p.field()).isEqualTo("creatives");
    assertThat(p.message()).contains("cr-shared").contains("c1").contains("unique");
  }

  @Test void read_duplicateCreativeIdWithinCampaign_isReported() {
    ObjectNode c = campaign("c1");
    creatives(c).add(creative(c).deepCopy());

    assertProblem(problems(c), "c1", "creatives[1].id", "used twice");
  }

  @Test void read_wrongTypes_areReportedWithWhatToWrite() {
    ObjectNode c = campaign("c1");
    c.put("cpm", "35000");
    c.put("roadblock", "yes");
    c.put("start", 20261101);
    creative(c).put("size", "300x250");

    List<Problem> problems = problems(c);

    assertThat(problemAt(problems, "cpm").message()).contains("number").contains("\"35000\"");
    assertThat(problemAt(problems, "roadblock").message()).contains("true or false");
    assertThat(problemAt(problems, "start").message()).contains("ISO-8601");
    assertThat(problemAt(problems, "creatives[0].size").message())
        .contains("[300, 250]").contains("300x250");
  }

  @Test void read_listWhereAListIsExpected_isReported() {
    ObjectNode c = set(campaign("c1"), "targeting", """
        {"sections": {"include": "news"}, "devices": "mobile"}""");

    List<Problem> problems = problems(c);

    assertThat(problemAt(problems, "targeting.sections.include").message()).contains("list");
    assertThat(problemAt(problems, "targeting.devices").message()).contains("list");
  }

  @Test void read_badHours_areReported() {
    for (String hours : List.of("[6, 25]", "[-1, 6]", "[24, 6]", "[8, 8]", "[6]", "\"6-22\"",
        "[6.5, 22]")) {
      ObjectNode c = set(campaign("c1"), "targeting", "{\"schedule\": {\"hours\": " + hours + "}}");

      Problem p = assertProblem(problems(c), "c1", "targeting.schedule.hours", "[start, end]");
      assertThat(p.message()).as(hours).contains("0 <= end <= 24");
    }
  }

  @Test void read_badFrequencyWindow_isReported() {
    for (String window : List.of("24h", "P1M", "PT0S", "-PT1H", "")) {
      ObjectNode c = set(campaign("c1"), "frequencyCap",
          "{\"count\": 3, \"window\": \"" + window + "\"}");

      Problem p = only(problems(c));
      assertThat(p.field()).as(window).isEqualTo("frequencyCap.window");
    }
    ObjectNode c = set(campaign("c1"), "frequencyCap", "{\"count\": 3, \"window\": \"24h\"}");
    assertThat(only(problems(c)).message()).contains("PT24H");
  }

  @Test void read_frequencyCapCountOutOfRange_isReported() {
    for (String count : List.of("0", "1001", "2.5", "\"3\"")) {
      ObjectNode c = set(campaign("c1"), "frequencyCap",
          "{\"count\": " + count + ", \"window\": \"PT24H\"}");

      Problem p = assertProblem(problems(c), "c1", "frequencyCap.count", "1 to 1000");
      assertThat(p.message()).as(count).contains(count);
    }
  }

  @Test void read_frequencyCapCountAtLimit_isValid() throws Exception {
    ObjectNode c = set(campaign("c1"), "frequencyCap", "{\"count\": 1000, \"window\": \"P7D\"}");

    assertThat(read(c).campaigns().get(0).frequencyCap())
        .isEqualTo(new FrequencyCap(1000, Duration.ofDays(7)));
  }

  @Test void read_goalImpressionsNotAPositiveWholeNumber_isReported() {
    ObjectNode c = set(campaign("c1"), "goal", "{\"impressions\": 0}");

    assertProblem(problems(c), "c1", "goal.impressions", "whole number");
  }

  // ---- all at once ----

  @Test void read_severalBrokenCampaigns_reportsEveryProblemAtOnce() {
    ObjectNode noTier = campaign("c-no-tier");
    noTier.remove("tier");
    ObjectNode negative = campaign("c-negative");
    negative.put("cpm", -5);
    negative.put("end", "2020-01-01T00:00:00Z");
    ObjectNode badUrl = campaign("c-bad-url");
    creative(badUrl).put("clickUrl", "ftp://x.example/");

    List<Problem> problems = problems(campaign("c-ok"), noTier, negative, badUrl);

    assertThat(problems).extracting(Problem::campaign, Problem::field).containsExactly(
        tuple("c-no-tier", "tier"),
        tuple("c-negative", "cpm"),
        tuple("c-negative", "end"),
        tuple("c-bad-url", "creatives[0].clickUrl"));
  }

  @Test void read_brokenCampaignsWithoutIds_areLocatedByIndex() {
    ObjectNode first = campaign("x");
    first.remove("id");
    first.remove("advertiser");
    ObjectNode third = campaign("y");
    third.put("id", 42);

    List<Problem> problems = problems(first, campaign("c-ok"), third);

    assertThat(problems).extracting(Problem::campaign, Problem::index, Problem::field)
        .containsExactly(
            tuple(null, 0, "id"),
            tuple(null, 0, "advertiser"),
            tuple(null, 2, "id"));
  }

  @Test void read_oneBrokenCampaign_rejectsTheWholeRuleSet() {
    ObjectNode broken = campaign("c2");
    broken.remove("tier");

    var e = catchThrowableOfType(InvalidRulesException.class,
        () -> reader.read(ruleSet(campaign("c1"), broken)));

    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(1);
  }

  @Test void read_documentWithoutCampaignList_isReportedAtTheRoot() {
    for (String doc : List.of("[]", "{}", "{\"campaigns\": {}}", "{\"campaign\": []}")) {
      var e = catchThrowableOfType(InvalidRulesException.class, () -> reader.read(tree(doc)));

      assertThat(e).as(doc).isNotNull();
      assertThat(e.problems()).singleElement().satisfies(p -> {
        assertThat(p.campaign()).isNull();
        assertThat(p.index()).isNull();
        assertThat(p.field()).isEqualTo("campaigns");
      });
    }
  }

  @Test void read_campaignThatIsNotAnObject_isReportedByIndex() {
    ArrayNode list = JSON.createArrayNode().add(campaign("c1")).add(42);

    var e = catchThrowableOfType(InvalidRulesException.class,
        () -> reader.read(JSON.createObjectNode().set("campaigns", list)));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.index()).isEqualTo(1);
      assertThat(p.message()).contains("object");
    });
  }

  // ---- helpers ----

  /** A minimal valid campaign: required fields only, one 300x250 image creative. */
  private static ObjectNode campaign(String id) {
    return (ObjectNode) tree("""
        {"id": "%s", "advertiser": "Telco", "tier": "standard",
         "start": "2026-11-01T00:00:00+07:00",
         "creatives": [{"id": "%s-cr", "format": "image", "size": [300, 250],
                        "imageUrl": "https://cdn.example/a.png",
                        "clickUrl": "https://telco.example/promo"}]}
        """.formatted(id, id));
  }

  private static ObjectNode withCreative(ObjectNode campaign, String creativeId) {
    creative(campaign).put("id", creativeId);
    return campaign;
  }

  private static ArrayNode creatives(ObjectNode campaign) {
    return (ArrayNode) campaign.get("creatives");
  }

  private static ObjectNode creative(ObjectNode campaign) {
    return (ObjectNode) creatives(campaign).get(0);
  }

  private static ObjectNode set(ObjectNode node, String field, String json) {
    node.set(field, tree(json));
    return node;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("bad JSON in test: " + json, e);
    }
  }

  private static JsonNode ruleSet(ObjectNode... campaigns) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("campaigns");
    for (ObjectNode c : campaigns) {
      list.add(c);
    }
    return root;
  }

  private RuleSet read(ObjectNode... campaigns) throws InvalidRulesException {
    return reader.read(ruleSet(campaigns));
  }

  private List<Problem> problems(ObjectNode... campaigns) {
    var e = catchThrowableOfType(InvalidRulesException.class, () -> read(campaigns));
    assertThat(e).as("the rule set should have been rejected").isNotNull();
    return e.problems();
  }

  private static Problem only(List<Problem> problems) {
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  private static Problem problemAt(List<Problem> problems, String field) {
    return problems.stream().filter(p -> field.equals(p.field())).findFirst()
        .orElseThrow(() -> new AssertionError("no problem at " + field + " in " + problems));
  }

  /** The one problem at {@code field}, placed at {@code campaign}, its message containing {@code hint}. */
  private static Problem assertProblem(
      List<Problem> problems, String campaign, String field, String hint) {
    assertThat(problems).as("problems").extracting(Problem::field).containsExactly(field);
    Problem p = problems.get(0);
    assertThat(p.campaign()).isEqualTo(campaign);
    assertThat(p.index()).isNull();
    assertThat(p.message()).contains(hint);
    return p;
  }
}
