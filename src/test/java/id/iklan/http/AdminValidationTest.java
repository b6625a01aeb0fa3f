package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule uploads with mistakes (SPEC §5): each is a {@code 422 application/problem+json} whose
 * {@code problems} name where the mistake is (campaign id, list index or CSV line), the field or
 * CSV column, and what to write instead; and the live rules stay exactly as they were: same
 * ETag, same rules, same history, same ads served.
 */
final class AdminValidationTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();
  static AdminClient admin;
  static AdminClient.Snapshot initial;

  @BeforeAll
  static void start() throws Exception {
    admin = new AdminClient(server);
    initial = admin.snapshot();
  }

  /**
   * A valid campaign; {@code extra} is spliced in as more members (may be empty), {@code creative}
   * replaces the one valid image creative when not null.
   */
  static String campaign(String id, String extra, String creative) {
    String c = creative != null ? creative : """
        {"id": "cr-%s", "format": "image", "size": [300, 250],
         "imageUrl": "https://cdn.contoh.id/%s.png", "clickUrl": "https://iklan.contoh.id/%s"}
        """.formatted(id, id, id);
    return """
        {"id": "%s", "advertiser": "Pengiklan %s", "tier": "standard", "cpm": 10000,
         "start": "2026-11-01T00:00:00+07:00", "end": "2026-12-31T23:59:59+07:00",
         %s "creatives": [%s]}
        """.formatted(id, id, extra.isEmpty() ? "" : extra + ",", c);
  }

  static String rules(String... campaigns) {
    return "{\"campaigns\": [" + String.join(",", campaigns) + "]}";
  }

  static final String CSV_HEADER =
      "id,advertiser,tier,cpm,start,creative_id,format,size,image_url,click_url";

  static String csv(String... lines) {
    return String.join("\r\n", lines) + "\r\n";
  }

  static String csvRow(String id, String cpm, String creativeId, String size, String clickUrl) {
    return id + ",Pengiklan " + id + ",standard," + cpm + ",2026-11-01T00:00:00+07:00,"
        + creativeId + ",image," + size + ",https://cdn.contoh.id/" + creativeId + ".png,"
        + clickUrl;
  }

  /**
   * One upload with one mistake, and the problem it must produce.
   *
   * @param where {@code campaign}, {@code index} or {@code line}
   * @param at the campaign id, list index or CSV line named
   */
  record Case(String name, String contentType, String body, String where, Object at,
      String field, List<String> messageParts) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> mistakes() {
    String json = "application/json";
    String csv = "text/csv";
    return Stream.of(
        new Case("duplicate campaign ids", json,
            rules(campaign("c-kembar", "", null),
                campaign("c-kembar", "", """
                    {"id": "cr-kembar-2", "format": "image", "size": [300, 250],
                     "imageUrl": "https://cdn.contoh.id/k2.png",
                     "clickUrl": "https://iklan.contoh.id/k2"}
                    """)),
            "campaign", "c-kembar", "id",
            List.of("\"c-kembar\" is used twice", "also by campaign #0", "its own id")),
        new Case("missing creatives", json,
            rules(campaign("c-baik", "", null), """
                {"id": "c-tanpa-materi", "advertiser": "Pengiklan", "tier": "standard",
                 "start": "2026-11-01T00:00:00+07:00"}
                """),
            "campaign", "c-tanpa-materi", "creatives",
            List.of("is required", "at least one creative")),
        new Case("empty creatives list", json,
            rules("""
                {"id": "c-materi-kosong", "advertiser": "Pengiklan", "tier": "standard",
                 "start": "2026-11-01T00:00:00+07:00", "creatives": []}
                """),
            "campaign", "c-materi-kosong", "creatives", List.of("at least one creative")),
        new Case("unknown tier", json,
            rules(campaign("c-emas", "", null).replace("\"standard\"", "\"gold\"")),
            "campaign", "c-emas", "tier",
            List.of("must be one of sponsorship, standard, remnant, house", "\"gold\"")),
        new Case("click URL without http", json,
            rules(campaign("c-klik-ftp", "", null)
                .replace("https://iklan.contoh.id/c-klik-ftp", "ftp://iklan.contoh.id/promo")),
            "campaign", "c-klik-ftp", "creatives[0].clickUrl",
            List.of("must be a full http:// or https:// address", "ftp://iklan.contoh.id/promo")),
        new Case("click URL javascript", json,
            rules(campaign("c-klik-js", "", null)
                .replace("https://iklan.contoh.id/c-klik-js", "javascript:alert(1)")),
            "campaign", "c-klik-js", "creatives[0].clickUrl",
            List.of("http:// or https://", "javascript:alert(1)")),
        new Case("click URL without scheme", json,
            rules(campaign("c-klik-polos", "", null)
                .replace("https://iklan.contoh.id/c-klik-polos", "toko.contoh.id/promo")),
            "campaign", "c-klik-polos", "creatives[0].clickUrl",
            List.of("http:// or https://", "toko.contoh.id/promo")),
        new Case("negative cpm", json,
            rules(campaign("c-murah", "", null).replace("\"cpm\": 10000", "\"cpm\": -500")),
            "campaign", "c-murah", "cpm", List.of("must be a number of 0 or more", "-500")),
        new Case("malformed geo include", json,
            rules(campaign("c-geo-salah",
                "\"targeting\": {\"geo\": {\"include\": [\"Indonesia\"]}}", null)),
            "campaign", "c-geo-salah", "targeting.geo.include[0]",
            List.of("ID", "ID-JB", "ID-JB/Bandung", "Indonesia")),
        new Case("geo city without subdivision", json,
            rules(campaign("c-geo-kota",
                "\"targeting\": {\"geo\": {\"exclude\": [\"ID\", \"ID/Bandung\"]}}", null)),
            "campaign", "c-geo-kota", "targeting.geo.exclude[1]",
            List.of("ID-JB/Bandung", "ID/Bandung")),
        new Case("end before start", json,
            rules(campaign("c-mundur", "", null).replace("2026-12-31T23:59:59+07:00",
                "2026-10-01T00:00:00+07:00")),
            "campaign", "c-mundur", "end",
            List.of("must be after start", "2026-11-01T00:00:00+07:00")),
        new Case("end equal to start", json,
            rules(campaign("c-sekejap", "", null).replace("2026-12-31T23:59:59+07:00",
                "2026-11-01T00:00:00+07:00")),
            "campaign", "c-sekejap", "end", List.of("must be after start")),
        new Case("image creative without size", json,
            rules(campaign("c-tanpa-ukuran", "", """
                {"id": "cr-tanpa-ukuran", "format": "image",
                 "imageUrl": "https://cdn.contoh.id/a.png", "clickUrl": "https://a.contoh.id/"}
                """)),
            "campaign", "c-tanpa-ukuran", "creatives[0].size",
            List.of("is required for display creatives", "[300, 250]")),
        new Case("html creative without size", json,
            rules(campaign("c-html-tanpa-ukuran", "", """
                {"id": "cr-html", "format": "html", "html": "<b>Promo</b>",
                 "clickUrl": "https://a.contoh.id/"}
                """)),
            "campaign", "c-html-tanpa-ukuran", "creatives[0].size",
            List.of("is required for display creatives")),
        new Case("misspelt targetting", json,
            rules(campaign("c-salah-eja",
                "\"targetting\": {\"sections\": {\"include\": [\"ekonomi\"]}}", null)),
            "campaign", "c-salah-eja", "targetting",
            List.of("is not a known field", "did you mean \"targeting\"")),
        new Case("campaign id with a space is placed by index", json,
            rules(campaign("c-baik", "", null), campaign("c promo", "", null)
                .replace("cr-c promo", "cr-promo")),
            "index", 1, "id", List.of("no spaces", "\"c promo\"")),
        new Case("csv unknown column", csv,
            csv(CSV_HEADER + ",budget",
                csvRow("c-csv", "10000", "cr-csv", "300x250", "https://a.contoh.id/") + ",5"),
            "line", 1, "budget", List.of("is not a known column", "Known columns:", "click_url")),
        new Case("csv misspelt column", csv,
            csv(CSV_HEADER.replace("click_url", "clik_url"),
                csvRow("c-csv", "10000", "cr-csv", "300x250", "https://a.contoh.id/")),
            "line", 1, "clik_url", List.of("is not a known column", "did you mean \"click_url\"")),
        new Case("csv creative without size", csv,
            csv(CSV_HEADER,
                csvRow("c-csv", "10000", "cr-csv-1", "300x250", "https://a.contoh.id/"),
                csvRow("c-csv", "10000", "cr-csv-2", "", "https://a.contoh.id/")),
            "line", 3, "size", List.of("is required for display creatives")),
        new Case("csv bad size", csv,
            csv(CSV_HEADER, csvRow("c-csv", "10000", "cr-csv", "300 kali 250",
                "https://a.contoh.id/")),
            "line", 2, "size", List.of("must be WIDTHxHEIGHT", "300x250")),
        new Case("csv click URL without http", csv,
            csv(CSV_HEADER,
                csvRow("c-csv", "10000", "cr-csv-1", "300x250", "https://a.contoh.id/"),
                csvRow("c-csv", "10000", "cr-csv-2", "728x90", "www.contoh.id")),
            "line", 3, "click_url", List.of("http:// or https://", "www.contoh.id")),
        new Case("csv repeated campaign columns disagree", csv,
            csv(CSV_HEADER,
                csvRow("c-csv", "10000", "cr-csv-1", "300x250", "https://a.contoh.id/"),
                csvRow("c-csv", "20000", "cr-csv-2", "728x90", "https://a.contoh.id/")),
            "line", 3, "cpm", List.of("\"20000\" here but \"10000\" on line 2",
                "must be the same on every row")),
        new Case("csv negative cpm", csv,
            csv(CSV_HEADER, csvRow("c-csv", "-1", "cr-csv", "300x250", "https://a.contoh.id/")),
            "line", 2, "cpm", List.of("must be a number of 0 or more")),
        new Case("csv unknown tier", csv,
            csv(CSV_HEADER, csvRow("c-csv", "1", "cr-csv", "300x250", "https://a.contoh.id/")
                .replace(",standard,", ",emas,")),
            "line", 2, "tier", List.of("must be one of sponsorship, standard, remnant, house")),
        new Case("csv malformed geo", csv,
            csv(CSV_HEADER + ",geo_include",
                csvRow("c-csv", "1", "cr-csv", "300x250", "https://a.contoh.id/")
                    + ",ID-JB;Jawa Barat"),
            "line", 2, "geo_include", List.of("ID-JB/Bandung", "Jawa Barat")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void put_ruleSetWithMistake_is422NamingWhereAndWhatAndChangesNothing(Case c) {
    HttpResponse<String> response = admin.send("PUT", AdminClient.CAMPAIGNS, c.contentType(),
        c.body());

    JsonNode problem = TestServer.assertProblem(response, 422);
    assertThat(problem.path("detail").asText()).contains("nothing was changed");
    assertNamed(problem, c);
    assertLiveRulesUnchanged();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void put_dryRunOfRuleSetWithMistake_is422Too(Case c) {
    HttpResponse<String> response = admin.send("PUT", AdminClient.CAMPAIGNS + "?dryRun=true",
        c.contentType(), c.body());

    assertNamed(TestServer.assertProblem(response, 422), c);
    admin.assertUnchanged(initial);
  }

  @Test
  void put_severalMistakes_listsEveryOneOfThem() {
    String body = rules(
        campaign("c-satu", "", null).replace("\"standard\"", "\"gold\""),
        campaign("c-dua", "\"targetting\": {}", null),
        campaign("c-tiga", "", null).replace("\"cpm\": 10000", "\"cpm\": -1")
            .replace("https://iklan.contoh.id/c-tiga", "mailto:iklan@contoh.id"));

    JsonNode problem = TestServer.assertProblem(admin.putJson(body), 422);

    List<String> found = new ArrayList<>();
    problem.path("problems").forEach(p ->
        found.add(p.path("campaign").asText() + " " + p.path("field").asText()));
    assertThat(found).containsExactlyInAnyOrder("c-satu tier", "c-dua targetting", "c-tiga cpm",
        "c-tiga creatives[0].clickUrl");
    assertLiveRulesUnchanged();
  }

  @Test
  void put_bodyNotOfTheCampaignsShape_is422NamingCampaigns() {
    JsonNode problem = TestServer.assertProblem(admin.putJson("{\"kampanye\": []}"), 422);

    assertThat(problem.path("problems")).singleElement().satisfies(p -> {
      assertThat(p.path("field").asText()).isEqualTo("campaigns");
      assertThat(p.path("message").asText()).contains("{\"campaigns\": [");
    });
    assertLiveRulesUnchanged();
  }

  @Test
  void put_misspeltMemberBesideCampaigns_is422WithAHint() {
    String body = rules(campaign("c-satu", "", null))
        .replaceFirst("\\{", "{\"keywordList\": {\"tragedi\": [\"bencana\"]}, ");

    JsonNode problem = TestServer.assertProblem(admin.putJson(body), 422);

    assertThat(problem.path("problems")).singleElement().satisfies(p -> {
      assertThat(p.path("field").asText()).isEqualTo("keywordList");
      assertThat(p.path("message").asText()).contains("did you mean \"keywordLists\"");
    });
    assertLiveRulesUnchanged();
  }

  @Test
  void post_upsertWithMistake_is422AndChangesNothing() {
    String body = campaign("c-bank-tabungan", "", null).replace("\"cpm\": 10000", "\"cpm\": -1");

    JsonNode problem = TestServer.assertProblem(admin.postJson(body), 422);

    assertThat(problem.path("problems")).singleElement().satisfies(p -> {
      assertThat(p.path("campaign").asText()).isEqualTo("c-bank-tabungan");
      assertThat(p.path("field").asText()).isEqualTo("cpm");
    });
    assertLiveRulesUnchanged();
  }

  @Test
  void put_csvWithSeveralMistakes_namesEachLineAndColumnInLineOrder() {
    String body = csv(CSV_HEADER,
        csvRow("c-csv-a", "abc", "cr-a", "300x250", "https://a.contoh.id/"),
        csvRow("c-csv-b", "1", "cr-b", "300x250", "https://a.contoh.id/"),
        csvRow("c-csv-c", "1", "cr-c", "300x250", "contoh.id"));

    JsonNode problem = TestServer.assertProblem(admin.putCsv(body), 422);

    List<String> found = new ArrayList<>();
    problem.path("problems").forEach(p ->
        found.add(p.path("line").asInt() + " " + p.path("field").asText()));
    assertThat(found).containsExactly("2 cpm", "4 click_url");
    assertLiveRulesUnchanged();
  }

  private static void assertNamed(JsonNode problem, Case c) {
    JsonNode problems = problem.path("problems");
    assertThat(problems.isArray() && !problems.isEmpty()).as("problems in %s", problem).isTrue();
    for (JsonNode p : problems) {
      assertThat(p.has("campaign") || p.has("index") || p.has("line")).as("placed: %s", p)
          .isTrue();
      assertThat(p.path("field").isTextual()).as("field in %s", p).isTrue();
      assertThat(p.path("message").asText()).as("message in %s", p).isNotBlank();
    }
    List<JsonNode> matching = new ArrayList<>();
    for (JsonNode p : problems) {
      JsonNode at = p.path(c.where());
      boolean placed = c.at() instanceof Integer i ? at.isInt() && at.asInt() == i
          : at.asText().equals(c.at());
      if (placed && p.path("field").asText().equals(c.field())) {
        matching.add(p);
      }
    }
    assertThat(matching).as("a problem at %s %s, field %s, in %s", c.where(), c.at(), c.field(),
        problems).hasSize(1);
    assertThat(matching.get(0).path("message").asText()).contains(c.messageParts());
  }

  /** Same version, rules and history, and the ads of the fixture are still served. */
  private static void assertLiveRulesUnchanged() {
    admin.assertUnchanged(initial);
    assertThat(server.ads(Fixture.oneSlot("ekonomi", "kotak")).path("slots").path("kotak")
        .path("campaignId").asText()).isEqualTo("c-bank-tabungan");
    assertThat(server.get("/health").body()).contains("\"ruleVersion\":1");
  }
}
