package id.iklan.http;

import static id.iklan.http.TestServer.ADMIN_TOKEN;
import static id.iklan.http.TestServer.NOW;
import static id.iklan.http.TestServer.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.tracking.TestClock;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/admin/report} (SPEC §6) against a real server: its numbers equal those this
 * test counts on its own from what it was served and what it beaconed.
 */
final class ReportEndpointTest {
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  private static final String AUTH = "Bearer " + ADMIN_TOKEN;

  @TempDir Path dir;

  /** served, impressions, clicks and revenue per group, as this test counted them. */
  private static final class Tally {
    final Map<String, long[]> counts = new TreeMap<>();
    final Map<String, BigDecimal> revenue = new TreeMap<>();

    void served(String group, double cpm) {
      counts.computeIfAbsent(group, g -> new long[3])[0]++;
      revenue.merge(group, BigDecimal.valueOf(cpm).divide(BigDecimal.valueOf(1000)),
          BigDecimal::add);
    }

    void beacon(String group, int index) {
      counts.computeIfAbsent(group, g -> new long[3])[index]++;
      revenue.putIfAbsent(group, BigDecimal.ZERO);
    }
  }

  /** One served ad, as the test saw it. */
  private record Ad(String campaign, String section, LocalDate day, String impressionUrl,
      String clickUrl) {}

  @Test
  void report_numbersEqualAnIndependentCountOfServesAndBeacons() throws Exception {
    TestClock clock = new TestClock(NOW);
    Map<String, Double> cpm = fixtureCpms();
    try (TestServer server = start(clock)) {
      Tally byCampaign = new Tally();
      Tally bySection = new Tally();
      Tally byDay = new Tally();
      List<Ad> ads = new ArrayList<>();

      // Day one (2026-11-18, 10:00 in Jakarta): pages of several sections, readers and devices.
      for (int i = 0; i < 30; i++) {
        ads.addAll(servePage(server, clock, i));
      }
      // Midnight passes in Jakarta; tokens issued yesterday are still valid (24 h).
      clock.advance(Duration.ofHours(15));
      for (int i = 30; i < 45; i++) {
        ads.addAll(servePage(server, clock, i));
      }
      for (Ad ad : ads) {
        byCampaign.served(ad.campaign(), cpm.get(ad.campaign()));
        bySection.served(ad.section(), cpm.get(ad.campaign()));
        byDay.served(ad.day().toString(), cpm.get(ad.campaign()));
      }
      // Beacons on day two: every second ad is seen (some twice), every third clicked.
      LocalDate today = LocalDate.ofInstant(clock.instant(), JAKARTA);
      for (int i = 0; i < ads.size(); i++) {
        Ad ad = ads.get(i);
        if (i % 2 == 0) {
          for (int replay = 0; replay < 1 + i % 3; replay++) {
            assertThat(server.get(TrackingEndpointsTest.path(ad.impressionUrl())).statusCode())
                .isEqualTo(204);
          }
          byCampaign.beacon(ad.campaign(), 1);
          bySection.beacon(ad.section(), 1);
          byDay.beacon(today.toString(), 1);
        }
        if (i % 3 == 0) {
          assertThat(server.get(TrackingEndpointsTest.path(ad.clickUrl())).statusCode())
              .isEqualTo(302);
          byCampaign.beacon(ad.campaign(), 2);
          bySection.beacon(ad.section(), 2);
          byDay.beacon(today.toString(), 2);
        }
      }

      String range = "from=2026-11-18&to=2026-11-19";
      assertReport(server, "/v1/admin/report?" + range + "&by=campaign", "campaign", byCampaign);
      assertReport(server, "/v1/admin/report?" + range + "&by=section", "section", bySection);
      assertReport(server, "/v1/admin/report?" + range + "&by=day", "day", byDay);
      assertThat(ads.size()).isGreaterThan(60);
    }
  }

  @Test
  void report_revenue_keepsTheCpmEachServeWasSoldAt() throws Exception {
    try (TestServer server = start(new TestClock(NOW))) {
      for (int i = 0; i < 3; i++) {
        server.ads(Fixture.oneSlot("ekonomi", "kotak"));
      }
      HttpResponse<String> upsert = server.send(server.request("/v1/admin/campaigns")
          .header("Authorization", AUTH).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"campaigns": [{"id": "c-bank-tabungan", "advertiser": "Bank Tabungan Rakyat",
                "tier": "standard", "cpm": 90000, %s,
                "targeting": {"sections": {"include": ["ekonomi"]}},
                "creatives": [{"id": "cr-bank-300", "format": "image", "size": [300, 250],
                  "imageUrl": "https://cdn.contoh.id/bank.png",
                  "clickUrl": "https://bank.contoh.id/tabungan"}]}]}
              """.formatted(Fixture.FLIGHT))).build());
      assertThat(upsert.statusCode()).as(upsert.body()).isEqualTo(200);
      for (int i = 0; i < 2; i++) {
        server.ads(Fixture.oneSlot("ekonomi", "kotak"));
      }

      JsonNode row = rows(server, "/v1/admin/report?by=campaign").get("c-bank-tabungan");

      assertThat(row.path("served").asLong()).isEqualTo(5);
      assertThat(row.path("revenue").decimalValue()).isEqualByComparingTo("360"); // 3×60 + 2×90
    }
  }

  @Test
  void imp_tokenPastItsExpiryOnTheServersClock_isRefusedAndUncounted() throws Exception {
    TestClock clock = new TestClock(NOW);
    try (TestServer server = start(clock)) {
      JsonNode ad = server.ads(Fixture.oneSlot("ekonomi", "kotak")).path("slots").path("kotak");
      String imp = TrackingEndpointsTest.path(ad.path("impressionUrl").asText());
      String click = TrackingEndpointsTest.path(ad.path("clickUrl").asText());

      clock.advance(Duration.ofHours(24));

      JsonNode problem = assertProblem(server.get(imp), 400);
      HttpResponse<String> clicked = server.get(click);
      assertProblem(clicked, 400);
      assertThat(problem.path("detail").asText()).contains("expired");
      assertThat(clicked.headers().firstValue("Location")).isEmpty();
      JsonNode row = rows(server, "/v1/admin/report?from=2026-11-18&to=2026-11-19")
          .get("c-bank-tabungan");
      assertThat(row.path("served").asLong()).isEqualTo(1);
      assertThat(row.path("impressions").asLong()).isZero();
      assertThat(row.path("clicks").asLong()).isZero();
    }
  }

  @Test
  void report_asCsv_hasAHeaderAndOneLinePerGroup() throws Exception {
    try (TestServer server = start(new TestClock(NOW))) {
      server.ads(Fixture.oneSlot("ekonomi", "kotak"));
      server.ads(Fixture.oneSlot("ekonomi", "kotak"));

      HttpResponse<String> csv = server.get("/v1/admin/report?by=section",
          "Authorization", AUTH, "Accept", "text/csv");

      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
      assertThat(csv.body()).isEqualTo("section,served,impressions,clicks,ctr,revenue\r\n"
          + "ekonomi,2,0,0,0.0,120\r\n");
    }
  }

  @Test
  void report_defaultsToToday_andRefusesBadParameters() throws Exception {
    try (TestServer server = start(new TestClock(NOW))) {
      server.ads(Fixture.oneSlot("ekonomi", "kotak"));

      JsonNode report = TestServer.parse(server.get("/v1/admin/report", "Authorization", AUTH));
      assertThat(report.path("from").asText()).isEqualTo("2026-11-18");
      assertThat(report.path("to").asText()).isEqualTo("2026-11-18");
      assertThat(report.path("by").asText()).isEqualTo("campaign");
      assertThat(report.path("rows")).hasSize(1);
      assertThat(TestServer.parse(server.get("/v1/admin/report?from=2026-11-19&to=2026-11-30",
          "Authorization", AUTH)).path("rows")).isEmpty();

      Map<String, String> bad = Map.of(
          "from=2026-13-01", "from",
          "from=18-11-2026", "from",
          "to=kemarin", "to",
          "by=week", "by",
          "by=", "by",
          "from=2026-11-19&to=2026-11-18", "from",
          "from=2026-11-18&from=2026-11-17", "from");
      for (Map.Entry<String, String> e : bad.entrySet()) {
        JsonNode problem = assertProblem(server.get("/v1/admin/report?" + e.getKey(),
            "Authorization", AUTH), 400);
        assertThat(problem.path("field").asText()).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void report_withoutTheAdminToken_is401() throws Exception {
    try (TestServer server = start(new TestClock(NOW))) {
      for (HttpResponse<String> response : List.of(
          server.get("/v1/admin/report"),
          server.get("/v1/admin/report", "Authorization", "Bearer wrong"))) {
        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
            value -> assertThat(value).startsWith("Bearer"));
      }
    }
  }

  // ---- helpers ----

  private TestServer start(TestClock clock) throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    return TestServer.start(TestServer.config(dir.resolve("data"), rules), clock);
  }

  /** Page {@code i} of a small, varied workload; returns the ads it was served. */
  private static List<Ad> servePage(TestServer server, TestClock clock, int i) {
    String[] sections = {"internasional", "ekonomi", "teknologi", "olahraga", "wisata", null};
    String section = sections[i % sections.length];
    String slots = switch (i % sections.length) {
      case 0 -> "[{\"id\": \"atas\", \"sizes\": [[728, 90]]}, {\"id\": \"tengah\", \"sizes\": "
          + "[[300, 250]]}, {\"id\": \"baca\", \"formats\": [\"native\"]}, {\"id\": \"bawah\", "
          + "\"sizes\": [[320, 50]]}]";
      case 5 -> "[{\"id\": \"spanduk\", \"sizes\": [[468, 60]]}]";
      default -> "[{\"id\": \"kotak\", \"sizes\": [[300, 250]]}]";
    };
    String body = "{\"page\": {\"url\": \"https://kabarkita.contoh.id/berita/" + i + "\""
        + (section == null ? "" : ", \"section\": \"" + section + "\"") + "}, \"slots\": "
        + slots + ", \"user\": {\"id\": \"pembaca-" + (i % 4) + "\"}, \"device\": {\"type\": \""
        + (i % 2 == 0 ? "mobile" : "desktop") + "\"}}";
    JsonNode response = server.ads(body);
    LocalDate day = LocalDate.ofInstant(clock.instant(), JAKARTA);
    List<Ad> ads = new ArrayList<>();
    for (JsonNode ad : response.path("slots")) {
      if (!ad.isNull()) {
        ads.add(new Ad(ad.path("campaignId").asText(), section == null ? "" : section, day,
            ad.path("impressionUrl").asText(), ad.path("clickUrl").asText()));
      }
    }
    return ads;
  }

  private static void assertReport(TestServer server, String path, String group, Tally tally) {
    JsonNode report = TestServer.parse(server.get(path, "Authorization", AUTH));
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> revenue = new TreeMap<>();
    for (JsonNode row : report.path("rows")) {
      String name = row.path(group).asText();
      long impressions = row.path("impressions").asLong();
      long clicks = row.path("clicks").asLong();
      counts.put(name, new long[] {row.path("served").asLong(), impressions, clicks});
      revenue.put(name, row.path("revenue").decimalValue());
      double ctr = impressions == 0 ? 0.0 : (double) clicks / impressions;
      assertThat(row.path("ctr").asDouble()).as("ctr of %s", name).isEqualTo(ctr);
    }
    assertThat(counts).as(path).containsOnlyKeys(tally.counts.keySet());
    tally.counts.forEach((name, expected) ->
        assertThat(counts.get(name)).as("%s %s", path, name).containsExactly(expected));
    tally.revenue.forEach((name, expected) ->
        assertThat(revenue.get(name)).as("revenue %s %s", path, name)
            .isEqualByComparingTo(expected));
  }

  private static Map<String, JsonNode> rows(TestServer server, String path) {
    HttpResponse<String> response = server.get(path, "Authorization", AUTH);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, JsonNode> rows = new HashMap<>();
    for (JsonNode row : TestServer.parse(response).path("rows")) {
      rows.put(row.path("campaign").asText(), row);
    }
    return rows;
  }

  private static Map<String, Double> fixtureCpms() throws Exception {
    Map<String, Double> cpm = new HashMap<>();
    for (JsonNode c : TestServer.JSON.readTree(Fixture.RULES).path("campaigns")) {
      cpm.put(c.path("id").asText(), c.path("cpm").asDouble(0));
    }
    return cpm;
  }
}
