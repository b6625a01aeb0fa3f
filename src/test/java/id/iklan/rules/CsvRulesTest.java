package id.iklan.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.iklan.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CSV rule format of SPEC §5: how a spreadsheet row becomes the JSON rule document, every way
 * a spreadsheet can be wrong and the line and column the problem names, and that an export reads
 * back as the same rules.
 */
final class CsvRulesTest {
  private static final ObjectMapper JSON = JsonMapper.create();
  private static final Path SAMPLE = Path.of("config/sample-campaigns.csv");
  private static final String MINIMAL_HEADER =
      "id,advertiser,tier,start,creative_id,format,size,image_url,click_url";

  private final RuleSetReader reader = new RuleSetReader(ZoneId.of("Asia/Jakarta"));

  private static String csv(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /** A complete, valid row for {@link #MINIMAL_HEADER}. */
  private static String row(String id, String creativeId) {
    return id + ",Telko," + "standard,2026-01-01T00:00:00+07:00," + creativeId
        + ",image,300x250,https://cdn.example/a.png,https://telko.example/promo";
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private List<Problem> readerProblems(CsvRules.Parsed parsed) {
    List<Problem> problems = new ArrayList<>();
    reader.readCampaigns(parsed.campaigns(), problems, i -> null);
    return problems;
  }

  /** The problems of reading a CSV all the way, as {@code PUT text/csv} would report them. */
  private List<Problem> allProblems(String csv) {
    InvalidRulesException e = catchThrowableOfType(InvalidRulesException.class,
        () -> CsvRules.readRuleSet(csv, reader));
    assertThat(e).as("expected problems").isNotNull();
    return e.problems();
  }

  // --- the sample --------------------------------------------------------------------------------

  @Test
  void read_sampleFile_readsCleanlyAndPassesRuleSetReader() throws Exception {
    CsvRules.Parsed parsed = CsvRules.read(Files.readString(SAMPLE, StandardCharsets.UTF_8));

    assertThat(parsed.problems()).isEmpty();
    assertThat(readerProblems(parsed)).isEmpty();
    RuleSet rules = reader.read(parsed.document());
    assertThat(rules.campaigns()).hasSizeBetween(5, 8);
    assertThat(rules.campaigns()).anyMatch(c -> c.creatives().size() >= 2);
    assertThat(rules.campaigns()).flatMap(Campaign::creatives)
        .anyMatch(c -> c.format() == Format.NATIVE);
    assertThat(rules.campaigns()).flatMap(c -> c.targeting().keywordsAny())
        .anyMatch(k -> k.contains(" "));
    assertThat(rules.campaigns()).flatMap(c -> c.targeting().geoInclude())
        .contains("ID", "ID-JB/bandung");
    assertThat(rules.campaigns()).allMatch(c -> c.start().toString().equals("2025-12-31T17:00:00Z"));
    assertThat(rules.campaigns()).flatMap(Campaign::creatives)
        .allMatch(c -> c.clickUrl().matches("https?://[a-z0-9.-]+\\.example/.*"));
  }

  @Test
  void readRuleSet_sampleFile_givesTheRuleSet() throws Exception {
    RuleSet rules = CsvRules.readRuleSet(Files.readString(SAMPLE), reader);

    assertThat(rules.campaigns()).extracting(Campaign::id).startsWith("c-bank-mandala-kpr");
  }

  @Test
  void read_sampleFileAsBytes_sameAsText() throws Exception {
    CsvRules.Parsed fromBytes = CsvRules.read(Files.readAllBytes(SAMPLE));
    CsvRules.Parsed fromText = CsvRules.read(Files.readString(SAMPLE));

    assertThat(fromBytes).isEqualTo(fromText);
  }

  // --- mapping -----------------------------------------------------------------------------------

  @Test
  void read_everyColumn_mapsToTheJsonRuleShape() throws Exception {
    String header = String.join(",", CsvRules.COLUMN_NAMES);
    String line = "c-telco,Telco,telecom,active,standard,35000,IDR,2,2026-11-01T00:00:00+07:00,"
        + "2026-12-31T23:59:59+07:00,2000000,even,3,PT24H,TRUE,internasional;news,olahraga,"
        + "rusia;ukraina,perang dunia;nato,bencana,ID;ID-JB/Bandung,ID-PA,mobile;desktop,"
        + "MON;TUE,6-22,cr-1,image,728x90,https://cdn.example/t.png,Paket data,,,,,"
        + "https://telco.example/promo,1.5";

    CsvRules.Parsed parsed = CsvRules.read(csv(header, line));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.document()).isEqualTo(json("""
        {"campaigns": [{
          "id": "c-telco", "advertiser": "Telco", "category": "telecom", "status": "active",
          "tier": "standard", "cpm": 35000, "currency": "IDR", "weight": 2,
          "start": "2026-11-01T00:00:00+07:00", "end": "2026-12-31T23:59:59+07:00",
          "goal": {"impressions": 2000000, "pacing": "even"},
          "frequencyCap": {"count": 3, "window": "PT24H"},
          "roadblock": true,
          "targeting": {
            "sections": {"include": ["internasional", "news"], "exclude": ["olahraga"]},
            "keywords": {"any": ["rusia", "ukraina"], "all": ["perang dunia", "nato"],
                         "none": ["bencana"]},
            "geo": {"include": ["ID", "ID-JB/Bandung"], "exclude": ["ID-PA"]},
            "devices": ["mobile", "desktop"],
            "schedule": {"days": ["MON", "TUE"], "hours": [6, 22]}
          },
          "creatives": [{"id": "cr-1", "format": "image", "size": [728, 90],
            "imageUrl": "https://cdn.example/t.png", "alt": "Paket data",
            "clickUrl": "https://telco.example/promo", "weight": 1.5}]
        }]}"""));
    assertThat(parsed.campaignLines()).containsExactly(2);
    assertThat(parsed.creativeLines()).containsExactly(List.of(2));
    assertThat(readerProblems(parsed)).isEmpty();
  }

  @Test
  void read_columnNames_caseInsensitiveTrimmedAnyOrderAnySubset() throws Exception {
    CsvRules.Parsed parsed = CsvRules.read(csv(
        " Click_URL ,CREATIVE_ID,Id,Tier, advertiser,START,Format,SIZE,image_url",
        "https://a.example/x,cr-1,c-1,house,Rumah,2026-01-01,image,320x50,https://a.example/i.png"));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.document()).isEqualTo(json("""
        {"campaigns": [{"id": "c-1", "advertiser": "Rumah", "tier": "house", "start": "2026-01-01",
          "creatives": [{"id": "cr-1", "format": "image", "size": [320, 50],
            "imageUrl": "https://a.example/i.png", "clickUrl": "https://a.example/x"}]}]}"""));
  }

  @Test
  void read_lists_splitOnSemicolonTrimmedEmptyItemsDropped() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,keywords_any,sections_exclude,geo_include",
        "c-1, rusia ;; ukraina ; perang dunia ;,;,ID-JB/Bandung"));

    JsonNode targeting = parsed.campaigns().get(0).get("targeting");
    assertThat(targeting.at("/keywords/any")).extracting(JsonNode::asText)
        .containsExactly("rusia", "ukraina", "perang dunia");
    assertThat(targeting.has("sections")).as("a list with no items is absent").isFalse();
    assertThat(targeting.at("/geo/include")).extracting(JsonNode::asText)
        .containsExactly("ID-JB/Bandung");
  }

  @Test
  void read_sizeWrittenVariousWays_becomesWidthAndHeight() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,creative_id,size",
        "c-1,cr-1,300x250", "c-1,cr-2,300X250", "c-1,cr-3, 300 x 250 "));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.campaigns().get(0).get("creatives"))
        .extracting(c -> c.get("size").toString())
        .containsOnly("[300,250]");
  }

  @Test
  void read_hoursWithDashOrSemicolon_becomeStartAndEnd() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,hours", "c-1,6-22", "c-2, 6 ; 22", "c-3,22-6"));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.campaigns()).extracting(c -> c.at("/targeting/schedule/hours").toString())
        .containsExactly("[6,22]", "[6,22]", "[22,6]");
  }

  @Test
  void read_numberColumns_becomeJsonNumbers() {
    CsvRules.Parsed parsed = CsvRules.read(csv(
        "id,cpm,weight,goal_impressions,cap_count,creative_id,creative_weight",
        "c-1,28500.5,2,3000000000,3,cr-1,0.25"));

    assertThat(parsed.problems()).isEmpty();
    JsonNode c = parsed.campaigns().get(0);
    assertThat(c.get("cpm").isNumber()).isTrue();
    assertThat(c.get("cpm").decimalValue()).isEqualByComparingTo("28500.5");
    assertThat(c.get("weight").isIntegralNumber()).isTrue();
    assertThat(c.at("/goal/impressions").asLong()).isEqualTo(3_000_000_000L);
    assertThat(c.at("/frequencyCap/count").intValue()).isEqualTo(3);
    assertThat(c.at("/creatives/0/weight").decimalValue()).isEqualByComparingTo("0.25");
  }

  @Test
  void read_roadblockWords_becomeBooleans() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,roadblock",
        "c-1,true", "c-2,Yes", "c-3,1", "c-4,FALSE", "c-5,no", "c-6,0"));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.campaigns()).extracting(c -> c.get("roadblock").asBoolean())
        .containsExactly(true, true, true, false, false, false);
    assertThat(parsed.campaigns()).allMatch(c -> c.get("roadblock").isBoolean());
  }

  @Test
  void read_emptyCells_leaveMembersAndObjectsOut() throws Exception {
    CsvRules.Parsed parsed = CsvRules.read(csv(
        "id,category,goal_impressions,pacing,cap_count,cap_window,devices,days,hours,creative_id",
        "c-1,,,,,,,,,cr-1",
        "c-2,,,asap,,PT1H,,SAT,,cr-2"));

    assertThat(parsed.campaigns().get(0)).isEqualTo(json(
        "{\"id\": \"c-1\", \"creatives\": [{\"id\": \"cr-1\"}]}"));
    assertThat(parsed.campaigns().get(1)).isEqualTo(json("""
        {"id": "c-2", "goal": {"pacing": "asap"}, "frequencyCap": {"window": "PT1H"},
         "targeting": {"schedule": {"days": ["SAT"]}}, "creatives": [{"id": "cr-2"}]}"""));
  }

  @Test
  void read_rowsOfOneCampaign_groupedByIdInOrderOfFirstAppearance() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER,
        row("c-b", "cr-b1"), row("c-a", "cr-a1"), row("c-b", "cr-b2"), row("c-a", "cr-a2"),
        row("c-b", "cr-b3")));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.campaigns()).extracting(c -> c.get("id").asText())
        .containsExactly("c-b", "c-a");
    assertThat(parsed.campaigns().get(0).get("creatives")).extracting(c -> c.get("id").asText())
        .containsExactly("cr-b1", "cr-b2", "cr-b3");
    assertThat(parsed.campaignLines()).containsExactly(2, 3);
    assertThat(parsed.creativeLines()).containsExactly(List.of(2, 4, 6), List.of(3, 5));
  }

  @Test
  void read_headerOnly_zeroCampaignsNoProblems() throws Exception {
    CsvRules.Parsed parsed = CsvRules.read(String.join(",", CsvRules.COLUMN_NAMES) + "\r\n");

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.document()).isEqualTo(json("{\"campaigns\": []}"));
    assertThat(reader.read(parsed.document()).campaigns()).isEmpty();
  }

  @Test
  void read_noHeaderAtAll_problemAsksForHeader() {
    CsvRules.Parsed parsed = CsvRules.read("\n\n");

    assertThat(parsed.problems()).singleElement()
        .satisfies(p -> assertThat(p.line()).isEqualTo(1))
        .satisfies(p -> assertThat(p.message()).contains("header"));
    assertThat(parsed.campaigns()).isEmpty();
  }

  @Test
  void read_utf8Bom_isIgnored() {
    String text = "\uFEFF" + csv(MINIMAL_HEADER, row("c-1", "cr-1"));

    CsvRules.Parsed parsed = CsvRules.read(text);
    CsvRules.Parsed fromBytes = CsvRules.read(text.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.campaigns().get(0).get("id").asText()).isEqualTo("c-1");
    assertThat(fromBytes).isEqualTo(parsed);
  }

  @Test
  void read_blankLinesAndEmptyRows_skippedAndLineNumbersKept() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER, "", row("c-1", "cr-1"),
        ",,,,,,,,", "   ", row("c-1", "cr-2"), "\r", row("c-2", "cr-3")));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.campaignLines()).containsExactly(3, 8);
    assertThat(parsed.creativeLines()).containsExactly(List.of(3, 6), List.of(8));
  }

  @Test
  void read_quotedCellsWithCommasQuotesAndNewlines_valuesKeptAndLineNumbersRight() {
    String header = "id,advertiser,tier,start,creative_id,format,title,body,image_url,sponsor,"
        + "click_url";
    CsvRules.Parsed parsed = CsvRules.read(csv(header,
        "c-1,\"Kopi, Teh & Co\",standard,2026-01-01,cr-1,native,\"Judul \"\"kutip\"\"\","
            + "\"Baris satu,\nbaris dua\r\nbaris tiga\",https://a.example/i.png,Kopi,"
            + "https://a.example/",
        "c-2,Telko,standard,2026-01-01,cr-2,native,Judul,Isi,https://a.example/i.png,Telko,"
            + "ftp://a.example/"));

    assertThat(parsed.problems()).isEmpty();
    JsonNode first = parsed.campaigns().get(0);
    assertThat(first.get("advertiser").asText()).isEqualTo("Kopi, Teh & Co");
    assertThat(first.at("/creatives/0/title").asText()).isEqualTo("Judul \"kutip\"");
    assertThat(first.at("/creatives/0/body").asText())
        .isEqualTo("Baris satu,\nbaris dua\r\nbaris tiga");
    assertThat(parsed.campaignLines()).containsExactly(2, 5);
    assertThat(CsvRules.locate(readerProblems(parsed), parsed))
        .extracting(Problem::campaign, Problem::line, Problem::field)
        .containsExactly(tuple("c-2", 5, "click_url"));
  }

  // --- CSV-level problems ------------------------------------------------------------------------

  @Test
  void read_unknownColumn_problemOnLineOneWithHint() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,imageUrl,targetting", "c-1,x,y"));

    assertThat(parsed.problems()).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(1, "imageUrl"), tuple(1, "targetting"));
    assertThat(parsed.problems().get(0).message())
        .contains("not a known column", "did you mean \"image_url\"?", "Known columns: id, ");
    assertThat(parsed.problems().get(1).message()).doesNotContain("did you mean");
  }

  @Test
  void read_columnTwice_problemOnLineOne() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,advertiser,Advertiser", "c-1,A,B"));

    assertThat(parsed.problems()).singleElement()
        .satisfies(p -> assertThat(p.line()).isEqualTo(1))
        .satisfies(p -> assertThat(p.field()).isEqualTo("advertiser"))
        .satisfies(p -> assertThat(p.message()).contains("twice", "columns 2 and 3"));
  }

  @Test
  void read_valueWithoutColumnName_problemNamesRowAndPosition() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,advertiser,", "c-1,A,", "c-2,B,lost"));

    assertThat(parsed.problems()).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(3, "column 3"));
  }

  @Test
  void read_campaignColumnsDisagree_problemNamesLineAndColumn() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER,
        row("c-1", "cr-1"),
        row("c-1", "cr-2").replace(",Telko,", ",TelkoNusa,"),
        row("c-1", "cr-3").replace(",standard,", ",,")));

    assertThat(parsed.problems())
        .extracting(Problem::campaign, Problem::line, Problem::field)
        .containsExactly(tuple("c-1", 3, "advertiser"), tuple("c-1", 4, "tier"));
    assertThat(parsed.problems().get(0).message())
        .contains("\"TelkoNusa\" here", "\"Telko\" on line 2");
    assertThat(parsed.problems().get(1).message()).contains("is empty here", "\"standard\"");
  }

  @Test
  void read_sameValueWrittenDifferently_agrees() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,cpm,keywords_any,roadblock,hours,creative_id",
        "c-1,35000,rusia;ukraina,yes,6-22,cr-1",
        "c-1,35000.0, rusia ; ukraina ;,TRUE,6;22,cr-2"));

    assertThat(parsed.problems()).isEmpty();
  }

  /** Enum values are case-insensitive (SPEC §2), so rows that differ only in case agree. */
  @Test
  void read_sameMeaningInOtherCaseOrForm_agrees() {
    CsvRules.Parsed parsed = CsvRules.read(csv(
        "id,tier,status,pacing,days,devices,sections_include,geo_include,keywords_none,"
            + "cap_window,start,end,category,currency,creative_id",
        "c-1,Standard,Active,EVEN,mon;TUE,Mobile,Berita Utama,id-jb,Korea Utara,PT24H,"
            + "2027-01-01T00:00:00+07:00,2027-02-01,Telecom,IDR,cr-1",
        "c-1,standard,active,even,MON;tue,mobile,berita  utama,ID-JB,korea  utara,P1D,"
            + "2026-12-31T17:00:00Z,2027-02-01T00:00,telecom,idr,cr-2"));

    assertThat(parsed.problems()).isEmpty();
  }

  @Test
  void read_timeWithAndWithoutOffset_agreeOnlyWhenTheyAreOneInstantInThePublisherZone() {
    String header = "id,start,creative_id";
    String rows = csv(header, "c-1,2027-01-01,cr-1", "c-1,2027-01-01T00:00:00+07:00,cr-2");

    assertThat(CsvRules.read(rows, java.time.ZoneId.of("Asia/Jakarta")).problems()).isEmpty();
    assertThat(CsvRules.read(rows, java.time.ZoneId.of("Asia/Makassar")).problems())
        .extracting(Problem::field).containsExactly("start");
    assertThat(CsvRules.read(rows).problems()).as("without a zone it cannot be told")
        .extracting(Problem::field).containsExactly("start");
  }

  @Test
  void read_differentValuesOfCaseInsensitiveColumns_stillDisagree() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,tier,days,keywords_any,advertiser,creative_id",
        "c-1,standard,MON,rusia,Telko,cr-1",
        "c-1,remnant,TUE,ukraina,TELKO,cr-2"));

    assertThat(parsed.problems()).extracting(Problem::field)
        .containsExactly("advertiser", "tier", "keywords_any", "days");
  }

  @Test
  void read_nonNumber_problemMustBeANumber() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,cpm,weight,creative_id,creative_weight",
        "c-1,\"35,000\",Rp 1,cr-1,satu", "c-2,35.000,1,cr-2,1"));

    assertThat(parsed.problems()).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(2, "cpm"), tuple(2, "weight"), tuple(2, "creative_weight"),
            tuple(3, "cpm"));
    assertThat(parsed.problems().subList(0, 3)).allSatisfy(p ->
        assertThat(p.message()).startsWith("must be a number"));
    assertThat(parsed.problems().get(3).message()).contains("thousands separator", "35000");
    assertThat(parsed.campaigns().get(0).has("cpm")).as("a bad cell is left out").isFalse();
  }

  @Test
  void read_badSizeHoursOrRoadblock_problemNamesLineAndColumn() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,roadblock,hours,creative_id,size",
        "c-1,ya,6 sampai 22,cr-1,300*250", "c-1,ya,6 sampai 22,cr-2,728x90"));

    assertThat(parsed.problems()).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(2, "roadblock"), tuple(2, "hours"), tuple(2, "size"));
    assertThat(parsed.problems()).extracting(Problem::message).satisfiesExactly(
        m -> assertThat(m).contains("true or false", "\"ya\""),
        m -> assertThat(m).contains("6-22"),
        m -> assertThat(m).contains("300x250", "\"300*250\""));
  }

  @Test
  void read_rowWithoutId_problemNamesLine() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER, row("c-1", "cr-1"),
        row("", "cr-2"), row(" ", "cr-3")));

    assertThat(parsed.problems()).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(3, "id"), tuple(4, "id"));
    assertThat(parsed.campaigns()).hasSize(1);
  }

  @Test
  void read_noIdColumn_oneProblemOnTheHeader() {
    CsvRules.Parsed parsed = CsvRules.read(csv("advertiser,creative_id", "A,cr-1", "B,cr-2"));

    assertThat(parsed.problems()).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(1, "id"));
  }

  @Test
  void read_unbalancedQuote_problemWithLineNotException() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER, row("c-1", "cr-1"),
        "c-2,\"Telko,standard,2026-01-01,cr-2,image,300x250,https://a.example/i.png,https://a.example/",
        row("c-3", "cr-3")));

    assertThat(parsed.problems()).singleElement()
        .satisfies(p -> assertThat(p.line()).isEqualTo(3))
        .satisfies(p -> assertThat(p.field()).isEqualTo("advertiser"))
        .satisfies(p -> assertThat(p.message()).contains("never closes"));
    assertThat(parsed.campaigns()).isEmpty();
  }

  @Test
  void read_textAfterClosingQuote_problemWithLine() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,advertiser", "c-1,A", "c-2,\"B\"x"));

    assertThat(parsed.problems()).singleElement()
        .satisfies(p -> assertThat(p.line()).isEqualTo(3))
        .satisfies(p -> assertThat(p.message()).contains("cannot be read as CSV"));
  }

  @Test
  void read_bytesNotUtf8_problemNamesLine() {
    byte[] latin1 = csv("id,advertiser", "c-1,Kopi", "c-2,Café").getBytes(StandardCharsets.ISO_8859_1);

    CsvRules.Parsed parsed = CsvRules.read(latin1);

    assertThat(parsed.problems()).singleElement()
        .satisfies(p -> assertThat(p.line()).isEqualTo(3))
        .satisfies(p -> assertThat(p.message()).contains("UTF-8"));
  }

  // --- problems of the rules, located ------------------------------------------------------------

  @Test
  void locate_badClickUrlOnSecondCreativeRow_namesThatRowAndClickUrl() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER, row("c-0", "cr-0"),
        row("c-1", "cr-1"), row("c-1", "cr-2").replace("https://telko.example/promo", "telko.example"),
        row("c-1", "cr-3")));

    List<Problem> located = CsvRules.locate(readerProblems(parsed), parsed);

    assertThat(located).singleElement().isEqualTo(new Problem("c-1", null, 4, "click_url",
        "must be a full http:// or https:// address (got \"telko.example\")"));
  }

  @Test
  void locate_jsonFieldPaths_becomeCsvColumnsOnTheRightLines() {
    String header = "id,advertiser,tier,start,end,weight,goal_impressions,pacing,cap_count,"
        + "cap_window,geo_include,devices,days,hours,creative_id,format,size,image_url,click_url,"
        + "creative_weight";
    CsvRules.Parsed parsed = CsvRules.read(csv(header,
        "c-1,A,standard,2026-01-01,,0,1.5,even,0,24 jam,ID;Jawa Barat,hp,SENIN,6-30,"
            + "cr-1,image,300x250,https://a.example/i.png,https://a.example/,1",
        "c-1,A,standard,2026-01-01,,0,1.5,even,0,24 jam,ID;Jawa Barat,hp,SENIN,6-30,"
            + "cr 2,image,300x250,cdn/i.png,https://a.example/,0"));

    assertThat(parsed.problems()).isEmpty();
    List<Problem> located = CsvRules.locate(readerProblems(parsed), parsed);

    assertThat(located).extracting(Problem::campaign, Problem::line, Problem::field)
        .containsExactlyInAnyOrder(
            tuple("c-1", 2, "weight"),
            tuple("c-1", 2, "goal_impressions"),
            tuple("c-1", 2, "pacing"),
            tuple("c-1", 2, "cap_count"),
            tuple("c-1", 2, "cap_window"),
            tuple("c-1", 2, "geo_include"),
            tuple("c-1", 2, "devices"),
            tuple("c-1", 2, "days"),
            tuple("c-1", 2, "hours"),
            tuple("c-1", 3, "creative_id"),
            tuple("c-1", 3, "image_url"),
            tuple("c-1", 3, "creative_weight"));
    assertThat(located).allMatch(p -> p.index() == null);
  }

  @Test
  void locate_problemsOfAReaderGivenLines_areLocatedToo() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER, row("c-0", "cr-0"),
        row("c 1", "cr-1"), row("c 1", "cr-2").replace(",300x250,", ",300x0,")));
    List<Problem> problems = new ArrayList<>();
    reader.readCampaigns(parsed.campaigns(), problems, i -> parsed.campaignLines().get(i));

    assertThat(CsvRules.locate(problems, parsed))
        .extracting(Problem::campaign, Problem::line, Problem::field)
        .containsExactly(tuple(null, 3, "id"), tuple(null, 4, "size"));
  }

  @Test
  void locate_creativeIdUsedByTwoCampaigns_namesTheRowOfThatCreative() {
    CsvRules.Parsed parsed = CsvRules.read(csv(MINIMAL_HEADER, row("c-0", "cr-0"),
        row("c-1", "cr-1"), row("c-1", "cr-0")));

    assertThat(CsvRules.locate(readerProblems(parsed), parsed))
        .extracting(Problem::campaign, Problem::line, Problem::field)
        .containsExactly(tuple("c-1", 4, "creative_id"));
  }

  @Test
  void locate_campaignWithoutCreativeColumns_namesItsFirstRow() {
    CsvRules.Parsed parsed = CsvRules.read(csv("id,advertiser,tier,start", "c-1,A,house,2026-01-01"));

    assertThat(CsvRules.locate(readerProblems(parsed), parsed))
        .extracting(Problem::line, Problem::field, Problem::message)
        .containsExactly(tuple(2, "creative_id",
            "is required: at least one creative (image, html or native)"));
  }

  @Test
  void readRuleSet_csvAndRuleProblems_reportedTogetherOnceEachInLineOrder() {
    List<Problem> problems = allProblems(csv(MINIMAL_HEADER + ",colour",
        row("c-1", "cr-1") + ",red",
        row("c-1", "cr-2").replace(",300x250,", ",300 by 250,") + ",red",
        row("c-2", "cr-3").replace(",standard,", ",premium,") + ",blue"));

    assertThat(problems).extracting(Problem::line, Problem::field).containsExactly(
        tuple(1, "colour"), tuple(3, "size"), tuple(4, "tier"));
    assertThat(problems.get(1).message()).contains("WIDTHxHEIGHT");
  }

  // --- writing -----------------------------------------------------------------------------------

  @Test
  void write_document_allColumnsInOrderOneRowPerCreative() throws Exception {
    JsonNode doc = json("""
        {"campaigns": [{
          "id": "c-1", "advertiser": "Telko, Tbk", "tier": "standard", "cpm": 35000.50,
          "start": "2026-01-01T00:00:00+07:00", "roadblock": true,
          "targeting": {"keywords": {"any": ["rusia", "perang dunia"]},
                        "schedule": {"days": ["MON", "TUE"], "hours": [6, 22]}},
          "creatives": [
            {"id": "cr-1", "format": "image", "size": [300, 250], "imageUrl": "https://a.example/i.png",
             "clickUrl": "https://a.example/"},
            {"id": "cr-2", "format": "native", "title": "Judul \\"baru\\"", "body": "Dua\\nbaris",
             "imageUrl": "https://a.example/n.png", "sponsor": "Telko", "clickUrl": "https://a.example/",
             "weight": 2}]
        }]}""");

    String csv = CsvRules.write(doc);

    assertThat(csv).isEqualTo(String.join(",", CsvRules.COLUMN_NAMES) + "\r\n"
        + "c-1,\"Telko, Tbk\",,,standard,35000.5,,,2026-01-01T00:00:00+07:00,,,,,,true,,,"
        + "rusia;perang dunia,,,,,,MON;TUE,6-22,cr-1,image,300x250,https://a.example/i.png,,,,,,"
        + "https://a.example/,\r\n"
        + "c-1,\"Telko, Tbk\",,,standard,35000.5,,,2026-01-01T00:00:00+07:00,,,,,,true,,,"
        + "rusia;perang dunia,,,,,,MON;TUE,6-22,cr-2,native,,https://a.example/n.png,,,"
        + "\"Judul \"\"baru\"\"\",\"Dua\nbaris\",Telko,https://a.example/,2\r\n");
    assertThat(CsvRules.COLUMN_NAMES).hasSize(36).startsWith("id", "advertiser")
        .endsWith("click_url", "creative_weight");
  }

  @Test
  void write_sample_roundTripsToEqualRuleSet() throws Exception {
    JsonNode doc = CsvRules.read(Files.readString(SAMPLE)).document();

    CsvRules.Parsed back = CsvRules.read(CsvRules.write(doc));

    assertThat(back.problems()).isEmpty();
    assertThat(back.document()).isEqualTo(doc);
    assertThat(reader.read(back.document())).isEqualTo(reader.read(doc));
  }

  @Test
  void write_jsonDemoRules_roundTripToEqualRuleSet() throws Exception {
    JsonNode doc = JSON.readTree(Files.readString(Path.of("config/demo-rules.json")));

    CsvRules.Parsed back = CsvRules.read(CsvRules.write(doc));

    assertThat(back.problems()).isEmpty();
    // A CSV cannot hold keywordLists: its @tragedi references resolve against the lists kept
    // in the rule set, as an upload does (see RuleAdmin).
    ObjectNode withLists = ((ObjectNode) back.document()).deepCopy();
    withLists.set("keywordLists", doc.get("keywordLists"));
    assertThat(reader.read(withLists)).isEqualTo(reader.read(doc));
    assertThat(CsvRules.write(doc)).contains("@tragedi");
  }

  @Test
  void write_generatedDocumentsWithTrickyText_roundTripToEqualRuleSet() throws Exception {
    Random random = new Random(20_260_101L);
    for (int n = 0; n < 40; n++) {
      ObjectNode doc = generated(random, n);
      RuleSet expected = reader.read(doc);

      String csv = CsvRules.write(doc);
      CsvRules.Parsed back = CsvRules.read(csv);

      assertThat(back.problems()).as(csv).isEmpty();
      assertThat(reader.read(back.document())).as(csv).isEqualTo(expected);
    }
  }

  @Test
  void write_listItemWithSemicolon_refusedRatherThanSplit() throws Exception {
    JsonNode doc = json("""
        {"campaigns": [{"id": "c-1", "targeting": {"keywords": {"any": ["a;b"]}}}]}""");

    assertThatThrownBy(() -> CsvRules.write(doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keywords_any").hasMessageContaining("a;b");
  }

  private static final String[] PIECES = {
    "Promo, hemat", "kata \"kutipan\"", "baris\npertama", "CRLF\r\nbaris", "Jl. Sudirman No. 5; "
        + "Jakarta", "Rp35.000", "Ibu Kota Nusantara", "Sabtu–Minggu", "kafé", "🇮🇩 merdeka",
    "=1+1", "#tagar", "'kutip tunggal'", "tab\there", "  spasi  ", "Gratis ongkir!", "5%",
    "<b>tebal</b>", "Kopi \"Senja\", Bandung\n", ",", "\"",
  };
  private static final String[] WORDS = {
    "pemilu", "harga beras", "timnas u-23", "ibu kota nusantara", "banjir", "mudik lebaran",
    "kopi", "Sepak Bola", "ÉLITE", "gempa",
  };

  private static String text(Random random) {
    StringBuilder out = new StringBuilder();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.append(PIECES[random.nextInt(PIECES.length)]);
    }
    String s = out.toString();
    return s.isBlank() ? "x" + s : s;
  }

  private static void words(Random random, ObjectNode parent, String field) {
    if (random.nextBoolean()) {
      ArrayNode list = parent.putArray(field);
      int n = random.nextInt(3);
      for (int i = 0; i < n; i++) {
        list.add(WORDS[random.nextInt(WORDS.length)]);
      }
    }
  }

  private static ObjectNode generated(Random random, int n) {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode campaigns = doc.putArray("campaigns");
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      ObjectNode c = campaigns.addObject();
      c.put("id", "c-" + n + "-" + i);
      c.put("advertiser", text(random));
      if (random.nextBoolean()) {
        c.put("category", text(random));
      }
      c.put("status", random.nextBoolean() ? "active" : "Paused");
      c.put("tier", List.of("sponsorship", "standard", "remnant", "house").get(random.nextInt(4)));
      switch (random.nextInt(4)) {
        case 0 -> c.put("cpm", random.nextInt(100_000));
        case 1 -> c.put("cpm", random.nextDouble() * 100_000);
        case 2 -> c.put("cpm", new BigDecimal("28500.500"));
        default -> { }
      }
      if (random.nextBoolean()) {
        c.put("currency", "idr");
      }
      if (random.nextBoolean()) {
        c.put("weight", random.nextBoolean() ? 1e-3 : 1.5e6);
      }
      c.put("start", "2026-01-0" + (1 + random.nextInt(9)) + "T00:00:00+07:00");
      boolean end = random.nextBoolean();
      if (end) {
        c.put("end", "2026-02-01");
      }
      if (random.nextBoolean()) {
        ObjectNode goal = c.putObject("goal");
        goal.put("impressions", 1 + random.nextInt(5_000_000));
        goal.put("pacing", end && random.nextBoolean() ? "even" : "asap");
      }
      if (random.nextBoolean()) {
        c.putObject("frequencyCap").put("count", 1 + random.nextInt(10)).put("window", "pt30m");
      }
      if (random.nextBoolean()) {
        c.put("roadblock", random.nextBoolean());
      }
      if (random.nextBoolean()) {
        ObjectNode targeting = c.putObject("targeting");
        ObjectNode sections = targeting.putObject("sections");
        words(random, sections, "include");
        words(random, sections, "exclude");
        ObjectNode keywords = targeting.putObject("keywords");
        words(random, keywords, "any");
        words(random, keywords, "all");
        words(random, keywords, "none");
        ObjectNode geo = targeting.putObject("geo");
        geo.putArray("include").add("ID").add("id-jb/Kota Bandung");
        if (random.nextBoolean()) {
          geo.putArray("exclude").add("ID-PA");
        }
        if (random.nextBoolean()) {
          targeting.putArray("devices").add("mobile").add("Desktop");
        }
        if (random.nextBoolean()) {
          ObjectNode schedule = targeting.putObject("schedule");
          schedule.putArray("days").add("sat").add("SUNDAY");
          if (random.nextBoolean()) {
            schedule.putArray("hours").add(22).add(random.nextInt(7));
          }
        }
      }
      ArrayNode creatives = c.putArray("creatives");
      int k = 1 + random.nextInt(3);
      for (int j = 0; j < k; j++) {
        ObjectNode cr = creatives.addObject();
        cr.put("id", "cr-" + n + "-" + i + "-" + j);
        switch (random.nextInt(3)) {
          case 0 -> {
            cr.put("format", "image");
            cr.putArray("size").add(300).add(250);
            cr.put("imageUrl", "https://cdn.example/gambar%20" + j + ".png?a=1&b=2,3");
            if (random.nextBoolean()) {
              cr.put("alt", text(random));
            }
          }
          case 1 -> {
            cr.put("format", "HTML");
            cr.putArray("size").add(728).add(90);
            cr.put("html", "<div class=\"iklan\">" + text(random) + "</div>");
          }
          default -> {
            cr.put("format", "native");
            cr.put("title", text(random));
            if (random.nextBoolean()) {
              cr.put("body", text(random));
            }
            cr.put("imageUrl", "http://cdn.example/n.jpg");
            cr.put("sponsor", text(random));
            if (random.nextBoolean()) {
              cr.putArray("size").add(1200).add(628);
            }
          }
        }
        cr.put("clickUrl", "https://iklan.example/klik?q=" + j + "&utm=a,b");
        if (random.nextBoolean()) {
          cr.put("weight", random.nextInt(5) + 0.5);
        }
      }
    }
    return doc;
  }
}
