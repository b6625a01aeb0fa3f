package id.iklan.http;

import static id.iklan.http.AdminClient.CAMPAIGNS;
import static id.iklan.http.AdminClient.etag;
import static id.iklan.http.AdminClient.ok;
import static id.iklan.http.AdminClient.version;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API of SPEC §5 over real HTTP: reading and writing the campaigns, ETag and If-Match,
 * dry runs, upsert, delete, the version history and restore, and the refusals (404, 400, 415).
 * Every test starts from {@link #BASE}, uploaded unconditionally, so the tests share one server
 * but not its state; every write is also checked where it matters, on the ads served.
 */
final class AdminApiTest {
  private static final String FLIGHT = Fixture.FLIGHT;

  /** One image campaign of one section; ad requests for that section show whether it is live. */
  static String campaign(String id, String section, int cpm) {
    return """
        {"id": "%1$s", "advertiser": "Pengiklan %1$s", "tier": "standard", "cpm": %3$d, %4$s,
         "targeting": {"sections": {"include": ["%2$s"]}},
         "creatives": [{"id": "cr-%1$s", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/%1$s.png", "clickUrl": "https://%1$s.contoh.id/"}]}
        """.formatted(id, section, cpm, FLIGHT);
  }

  static String rules(String... campaigns) {
    return "{\"campaigns\": [" + String.join(",", campaigns) + "]}";
  }

  static final String ALPHA = campaign("c-alpha", "ekonomi", 50_000);
  static final String BETA = campaign("c-beta", "olahraga", 40_000);
  static final String GAMMA = campaign("c-gamma", "teknologi", 30_000);
  static final String BASE = rules(ALPHA, BETA, GAMMA);
  /** {@link #BASE} with c-alpha repriced, c-beta gone and c-delta (otomotif) new. */
  static final String NEXT = rules(campaign("c-alpha", "ekonomi", 55_000), GAMMA,
      campaign("c-delta", "otomotif", 20_000));

  @RegisterExtension static final TestServer server = TestServer.fixture();
  static AdminClient admin;
  /** The version of {@link #BASE} uploaded before this test. */
  static long base;

  @BeforeAll
  static void start() throws Exception {
    admin = new AdminClient(server);
  }

  @BeforeEach
  void uploadBase() {
    base = admin.reset(BASE);
  }

  // ---- GET ----

  @Test
  void get_campaigns_answersTheRulesAsWrittenWithTheVersionAsEtag() {
    HttpResponse<String> response = admin.get(CAMPAIGNS);

    JsonNode body = ok(response);
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base));
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(body).isEqualTo(json(BASE));
    assertThat(server.get("/health").body()).contains("\"ruleVersion\":" + base);
  }

  @Test
  void get_oneCampaign_answersItsJsonWithEtag() {
    HttpResponse<String> response = admin.get(CAMPAIGNS + "/c-beta");

    assertThat(ok(response)).isEqualTo(json(BETA));
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base));
  }

  @Test
  void get_unknownCampaign_is404() {
    JsonNode problem = TestServer.assertProblem(admin.get(CAMPAIGNS + "/c-tidak-ada"), 404);

    assertThat(problem.path("detail").asText()).contains("c-tidak-ada");
  }

  @Test
  void get_campaignsAsCsv_answersCsvWithEtagAndFileName() {
    HttpResponse<String> response = admin.get(CAMPAIGNS, "Accept", "text/csv");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/csv"));
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base));
    assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
        value -> assertThat(value).contains("iklan-rules-v" + base + ".csv"));
    assertThat(response.body().lines().toList()).hasSize(4).first().asString()
        .startsWith("id,advertiser,category,status,tier,cpm");
  }

  // ---- PUT ----

  @Test
  void put_newRules_answersNewVersionAndChangesAndServesThemAtOnce() {
    HttpResponse<String> response = admin.putJson(NEXT);

    JsonNode body = ok(response);
    assertThat(version(body)).isEqualTo(base + 1);
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base + 1));
    assertThat(body.has("dryRun")).isFalse();
    assertChanges(body, List.of("c-delta"), List.of("c-alpha"), List.of("c-beta"));
    HttpResponse<String> after = admin.get(CAMPAIGNS);
    assertThat(after.headers().firstValue("ETag")).hasValue(etag(base + 1));
    assertThat(ok(after)).isEqualTo(json(NEXT));
    assertThat(winner("olahraga")).isNull();
    assertThat(winner("otomotif")).isEqualTo("c-delta");
  }

  @Test
  void put_sameRulesAgain_makesNewVersionWithNoChanges() {
    JsonNode body = ok(admin.putJson(BASE));

    assertThat(version(body)).isEqualTo(base + 1);
    assertChanges(body, List.of(), List.of(), List.of());
  }

  @Test
  void put_emptyCampaignList_removesEverything() {
    JsonNode body = ok(admin.putJson("{\"campaigns\": []}"));

    assertChanges(body, List.of(), List.of(), List.of("c-alpha", "c-beta", "c-gamma"));
    assertThat(winner("ekonomi")).isNull();
  }

  // ---- If-Match ----

  static Stream<Arguments> writes() {
    return Stream.<Arguments>of(
        Arguments.of("PUT", (Function<String[], HttpResponse<String>>) h -> admin.putJson(NEXT, h)),
        Arguments.of("POST", (Function<String[], HttpResponse<String>>) h ->
            admin.postJson(campaign("c-alpha", "ekonomi", 1_000), h)),
        Arguments.of("DELETE", (Function<String[], HttpResponse<String>>) h ->
            admin.delete("c-alpha", h)),
        Arguments.of("restore", (Function<String[], HttpResponse<String>>) h ->
            admin.restore(String.valueOf(base), h)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writes")
  void write_staleIfMatch_is412AndChangesNothing(String name,
      Function<String[], HttpResponse<String>> write) {
    AdminClient.Snapshot before = admin.snapshot();

    JsonNode problem = TestServer.assertProblem(write.apply(
        new String[] {"If-Match", etag(base - 1)}), 412);

    assertThat(problem.path("detail").asText()).contains("version " + base);
    admin.assertUnchanged(before);
    assertThat(winner("ekonomi")).isEqualTo("c-alpha");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writes")
  void write_currentIfMatch_is200WithNewVersion(String name,
      Function<String[], HttpResponse<String>> write) {
    HttpResponse<String> response = write.apply(new String[] {"If-Match", etag(base)});

    assertThat(version(ok(response))).isEqualTo(base + 1);
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base + 1));
  }

  @Test
  void put_staleIfMatch_is412AndChangesNothing() {
    AdminClient.Snapshot before = admin.snapshot();
    ok(admin.putJson(BASE, "If-Match", etag(base)));

    JsonNode problem = TestServer.assertProblem(
        admin.putJson(NEXT, "If-Match", etag(base)), 412);

    assertThat(problem.path("detail").asText())
        .contains("at version " + (base + 1) + ", not " + base).contains("reload");
    assertThat(admin.snapshot().etag()).isEqualTo(etag(base + 1)).isNotEqualTo(before.etag());
    assertThat(ok(admin.get(CAMPAIGNS))).isEqualTo(json(BASE));
    assertThat(winner("olahraga")).isEqualTo("c-beta");
  }

  @ParameterizedTest(name = "If-Match: {0}")
  @ValueSource(strings = {"W/\"%d\"", "*", "%d"})
  void put_ifMatchWeakStarOrBare_isAccepted(String format) {
    String ifMatch = format.contains("%d") ? format.formatted(base) : format;

    HttpResponse<String> response = admin.putJson(NEXT, "If-Match", ifMatch);

    assertThat(version(ok(response))).isEqualTo(base + 1);
  }

  @ParameterizedTest(name = "If-Match: {0}")
  @ValueSource(strings = {"abc", "\"abc\"", "\"\"", "W/", "\"0\"", "\"-3\"",
      "\"99999999999999999999\""})
  void put_garbageIfMatch_is400AndChangesNothing(String ifMatch) {
    AdminClient.Snapshot before = admin.snapshot();

    JsonNode problem = TestServer.assertProblem(admin.putJson(NEXT, "If-Match", ifMatch), 400);

    assertThat(problem.path("detail").asText()).contains("If-Match");
    admin.assertUnchanged(before);
  }

  @Test
  void put_concurrentWritesWithTheSameIfMatch_exactlyOneWinsTheOthersAre412() throws Exception {
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        String rules = rules(ALPHA, campaign("c-penulis-" + i, "otomotif", 1_000 + i));
        answers.add(pool.submit(() -> {
          go.await();
          return admin.putJson(rules, "If-Match", etag(base));
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : answers) {
        statuses.add(answer.get(30, TimeUnit.SECONDS).statusCode());
      }

      assertThat(statuses).containsOnly(200, 412);
      assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(admin.snapshot().etag()).isEqualTo(etag(base + 1));
    assertThat(ids(ok(admin.get(CAMPAIGNS)))).hasSize(2).startsWith("c-alpha");
  }

  // ---- dry run ----

  @Test
  void put_dryRun_reportsTheDiffAndChangesNothing() {
    assertDryRun(() -> admin.send("PUT", CAMPAIGNS + "?dryRun=true", "application/json", NEXT),
        List.of("c-delta"), List.of("c-alpha"), List.of("c-beta"));
  }

  @Test
  void post_dryRun_reportsTheDiffAndChangesNothing() {
    String body = rules(campaign("c-alpha", "ekonomi", 1), campaign("c-delta", "otomotif", 1));

    assertDryRun(() -> admin.send("POST", CAMPAIGNS + "?dryRun=true", "application/json", body),
        List.of("c-delta"), List.of("c-alpha"), List.of());
  }

  @Test
  void delete_dryRun_reportsTheDiffAndChangesNothing() {
    assertDryRun(() -> admin.delete("c-beta?dryRun=true"), List.of(), List.of(),
        List.of("c-beta"));
  }

  @Test
  void restore_dryRun_reportsTheDiffAndChangesNothing() {
    ok(admin.putJson(NEXT));

    assertDryRun(() -> admin.restore(base + "?dryRun=true"), List.of("c-beta"),
        List.of("c-alpha"), List.of("c-delta"));
  }

  @Test
  void put_dryRunFalse_writes() {
    HttpResponse<String> response =
        admin.send("PUT", CAMPAIGNS + "?dryRun=false", "application/json", NEXT);

    assertThat(version(ok(response))).isEqualTo(base + 1);
  }

  @Test
  void put_dryRunNotABoolean_is400AndChangesNothing() {
    AdminClient.Snapshot before = admin.snapshot();

    TestServer.assertProblem(
        admin.send("PUT", CAMPAIGNS + "?dryRun=vielleicht", "application/json", NEXT), 400);

    admin.assertUnchanged(before);
  }

  private static void assertDryRun(Supplier<HttpResponse<String>> dryRun, List<String> added,
      List<String> changed, List<String> removed) {
    AdminClient.Snapshot before = admin.snapshot();
    List<String> winnersBefore = winners();
    HttpResponse<String> response = dryRun.get();
    JsonNode body = ok(response);
    assertThat(body.path("dryRun").asBoolean()).as("dryRun in %s", body).isTrue();
    assertChanges(body, added, changed, removed);
    long current = Long.parseLong(before.etag().replace("\"", ""));
    assertThat(version(body)).as("a dry run answers the unchanged version").isEqualTo(current);
    assertThat(response.headers().firstValue("ETag")).hasValue(before.etag());
    admin.assertUnchanged(before);
    assertThat(winners()).isEqualTo(winnersBefore);
  }

  // ---- POST (upsert) ----

  @Test
  void post_campaignList_replacesByIdAndAddsNewIds() {
    String body = rules(campaign("c-alpha", "ekonomi", 99_000), campaign("c-delta", "otomotif", 1));

    HttpResponse<String> response = admin.postJson(body);

    JsonNode answer = ok(response);
    assertThat(version(answer)).isEqualTo(base + 1);
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base + 1));
    assertChanges(answer, List.of("c-delta"), List.of("c-alpha"), List.of());
    assertThat(ids(ok(admin.get(CAMPAIGNS))))
        .containsExactly("c-alpha", "c-beta", "c-gamma", "c-delta");
    assertThat(ok(admin.get(CAMPAIGNS + "/c-alpha")))
        .isEqualTo(json(campaign("c-alpha", "ekonomi", 99_000)));
    assertThat(winner("otomotif")).isEqualTo("c-delta");
    assertThat(winner("olahraga")).isEqualTo("c-beta");
  }

  @Test
  void post_singleCampaignObject_upsertsIt() {
    JsonNode answer = ok(admin.postJson(campaign("c-beta", "otomotif", 40_000)));

    assertChanges(answer, List.of(), List.of("c-beta"), List.of());
    assertThat(winner("olahraga")).isNull();
    assertThat(winner("otomotif")).isEqualTo("c-beta");
  }

  @Test
  void post_bareJsonArray_upsertsEachCampaign() {
    JsonNode answer = ok(admin.postJson("[" + campaign("c-epsilon", "wisata", 1) + ","
        + campaign("c-zeta", "otomotif", 1) + "]"));

    assertChanges(answer, List.of("c-epsilon", "c-zeta"), List.of(), List.of());
    assertThat(ids(ok(admin.get(CAMPAIGNS))))
        .containsExactly("c-alpha", "c-beta", "c-gamma", "c-epsilon", "c-zeta");
  }

  @Test
  void post_sameCampaignUnchanged_reportsNoChanges() {
    assertChanges(ok(admin.postJson(BETA)), List.of(), List.of(), List.of());
  }

  // ---- DELETE ----

  @Test
  void delete_campaign_removesItAndSecondDeleteIs404() {
    HttpResponse<String> response = admin.delete("c-beta");

    JsonNode answer = ok(response);
    assertThat(version(answer)).isEqualTo(base + 1);
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base + 1));
    assertChanges(answer, List.of(), List.of(), List.of("c-beta"));
    TestServer.assertProblem(admin.get(CAMPAIGNS + "/c-beta"), 404);
    assertThat(winner("olahraga")).isNull();

    AdminClient.Snapshot before = admin.snapshot();
    JsonNode problem = TestServer.assertProblem(admin.delete("c-beta"), 404);
    assertThat(problem.path("detail").asText()).contains("c-beta");
    admin.assertUnchanged(before);
  }

  // ---- versions and restore ----

  @Test
  void versions_listNewestFirstWithActionCampaignsAndChanges() {
    ok(admin.postJson(campaign("c-delta", "otomotif", 1)));
    ok(admin.delete("c-beta"));
    ok(admin.restore(String.valueOf(base)));

    JsonNode body = ok(admin.get("/v1/admin/versions"));

    assertThat(body.path("current").asLong()).isEqualTo(base + 3);
    List<JsonNode> versions = new ArrayList<>();
    body.path("versions").forEach(versions::add);
    List<Long> numbers = versions.stream().map(v -> v.path("version").asLong()).toList();
    assertThat(numbers).startsWith(base + 3, base + 2, base + 1, base);
    assertThat(numbers).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(versions.subList(0, 4)).extracting(v -> v.path("action").asText())
        .containsExactly("restore " + base, "delete", "upsert", "replace");
    assertThat(versions.subList(0, 4)).extracting(v -> v.path("campaigns").asInt())
        .containsExactly(3, 3, 4, 3);
    assertChanges(versions.get(0), List.of("c-beta"), List.of(), List.of("c-delta"));
    assertChanges(versions.get(1), List.of(), List.of(), List.of("c-beta"));
    assertChanges(versions.get(2), List.of("c-delta"), List.of(), List.of());
    assertThat(versions.get(0).path("savedAt").asText()).isEqualTo(TestServer.NOW.toString());
  }

  @Test
  void restore_oldVersion_makesNewVersionWithItsRules() {
    ok(admin.putJson(NEXT));
    assertThat(winner("olahraga")).isNull();

    HttpResponse<String> response = admin.restore(String.valueOf(base));

    JsonNode answer = ok(response);
    assertThat(version(answer)).isEqualTo(base + 2);
    assertThat(response.headers().firstValue("ETag")).hasValue(etag(base + 2));
    assertChanges(answer, List.of("c-beta"), List.of("c-alpha"), List.of("c-delta"));
    HttpResponse<String> after = admin.get(CAMPAIGNS);
    assertThat(after.headers().firstValue("ETag")).hasValue(etag(base + 2));
    assertThat(ok(after)).isEqualTo(json(BASE));
    assertThat(winner("olahraga")).isEqualTo("c-beta");
    assertThat(winner("otomotif")).isNull();
  }

  @Test
  void restore_unknownVersion_is404AndChangesNothing() {
    AdminClient.Snapshot before = admin.snapshot();

    JsonNode problem = TestServer.assertProblem(admin.restore("987654"), 404);

    assertThat(problem.path("detail").asText()).contains("987654").contains("/v1/admin/versions");
    TestServer.assertProblem(admin.restore("-1"), 404);
    admin.assertUnchanged(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"abc", "1.5", "v3"})
  void restore_versionNotANumber_is400AndChangesNothing(String version) {
    AdminClient.Snapshot before = admin.snapshot();

    JsonNode problem = TestServer.assertProblem(admin.restore(version), 400);

    assertThat(problem.path("detail").asText()).contains("version");
    admin.assertUnchanged(before);
  }

  // ---- bodies the API refuses ----

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PUT", "POST"})
  void write_xmlBody_is415AndChangesNothing(String method) {
    AdminClient.Snapshot before = admin.snapshot();

    JsonNode problem = TestServer.assertProblem(admin.send(method, CAMPAIGNS, "application/xml",
        "<campaigns><campaign id=\"c-xml\"/></campaigns>"), 415);

    assertThat(problem.path("detail").asText()).contains("application/json").contains("text/csv");
    admin.assertUnchanged(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PUT", "POST"})
  void write_unparsableJson_is400AndChangesNothing(String method) {
    AdminClient.Snapshot before = admin.snapshot();

    JsonNode problem = TestServer.assertProblem(admin.send(method, CAMPAIGNS, "application/json",
        "{\"campaigns\": [{\"id\": \"c-rusak\",\n \"tier\": }]}"), 400);

    assertThat(problem.path("field").asText()).isEqualTo("body");
    assertThat(problem.path("detail").asText()).contains("not valid JSON").contains("line 2");
    admin.assertUnchanged(before);
    assertThat(winner("ekonomi")).isEqualTo("c-alpha");
  }

  @Test
  void put_emptyBody_is400AndChangesNothing() {
    AdminClient.Snapshot before = admin.snapshot();

    TestServer.assertProblem(admin.send("PUT", CAMPAIGNS, "application/json", ""), 400);

    admin.assertUnchanged(before);
  }

  @Test
  void put_withoutContentType_isReadAsJson() {
    HttpResponse<String> response = admin.send("PUT", CAMPAIGNS, null, NEXT);

    assertThat(version(ok(response))).isEqualTo(base + 1);
  }

  // ---- helpers ----

  private static void assertChanges(JsonNode body, List<String> added, List<String> changed,
      List<String> removed) {
    JsonNode changes = body.path("changes");
    assertThat(texts(changes.path("added"))).as("added in %s", body).isEqualTo(added);
    assertThat(texts(changes.path("changed"))).as("changed in %s", body).isEqualTo(changed);
    assertThat(texts(changes.path("removed"))).as("removed in %s", body).isEqualTo(removed);
  }

  /** The campaign that fills a 300x250 slot on a page of {@code section}, or null. */
  private static String winner(String section) {
    JsonNode ad = server.ads(Fixture.oneSlot(section, "kotak")).path("slots").path("kotak");
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }

  private static List<String> winners() {
    List<String> out = new ArrayList<>();
    for (String section : List.of("ekonomi", "olahraga", "teknologi", "otomotif")) {
      out.add(winner(section));
    }
    return out;
  }

  private static List<String> ids(JsonNode rules) {
    List<String> out = new ArrayList<>();
    rules.path("campaigns").forEach(c -> out.add(c.path("id").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("a list: %s", array).isTrue();
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return TestServer.JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
