package id.iklan.http;

import static id.iklan.http.TestServer.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contextual keywords over HTTP: {@code page.title} and {@code page.text} are matched against the
 * rule keywords after stemming, brand-safety lists kept once in {@code keywordLists} block on
 * affixed forms, explain tells which extracted keyword decided, and the cache shows in /metrics.
 */
final class ContextualAdsTest {
  static final String RULES = """
      {"keywordLists": {"tragedi": ["bencana", "korban jiwa", "perang"]},
       "campaigns": [
        {"id": "c-maskapai", "advertiser": "Maskapai Timur Raya", "tier": "standard",
         "cpm": 90000, %1$s,
         "targeting": {"sections": {"include": ["dunia"]}, "keywords": {"none": ["@tragedi"]}},
         "creatives": [{"id": "cr-maskapai", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/maskapai.png", "clickUrl": "https://maskapai.contoh.id/"}]},
        {"id": "c-kargo", "advertiser": "Kargo Nusantara", "tier": "standard", "cpm": 50000, %1$s,
         "targeting": {"sections": {"include": ["dunia"]},
                       "keywords": {"any": ["angkutan barang", "logistik"], "none": ["@tragedi"]}},
         "creatives": [{"id": "cr-kargo", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/kargo.png", "clickUrl": "https://kargo.contoh.id/"}]},
        {"id": "c-travel-en", "advertiser": "Travel Asia", "tier": "standard", "cpm": 40000, %1$s,
         "targeting": {"sections": {"include": ["world"]}, "keywords": {"none": ["war"]}},
         "creatives": [{"id": "cr-travel", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/travel.png", "clickUrl": "https://travel.contoh.id/"}]},
        {"id": "h-umum", "advertiser": "Kabar Kita", "tier": "house", %1$s,
         "creatives": [{"id": "cr-umum", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/umum.png", "clickUrl": "https://kabarkita.contoh.id/"}]}
      ]}
      """.formatted(Fixture.FLIGHT);

  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.config(dir.resolve("data"),
        TestServer.writeRules(dir, RULES)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String body(String url, String section, String title, String text,
      String language, boolean explain) {
    return """
        {"page": {"url": "%s", "section": "%s", "title": %s, "text": %s, "language": %s},
         "slots": [{"id": "a", "sizes": [[300, 250]]}, {"id": "b", "sizes": [[300, 250]]}],
         "explain": %s}
        """.formatted(url, section, quote(title), quote(text), quote(language), explain);
  }

  private static String quote(String s) {
    return s == null ? "null" : TestServer.JSON.valueToTree(s).toString();
  }

  private static String campaign(JsonNode response, String slot) {
    JsonNode ad = response.path("slots").path(slot);
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }

  private static JsonNode ads(String url, String title, String text) {
    return server.ads(body(url, "dunia", title, text, null, false));
  }

  @Test void ads_articleText_fillsWithTheCampaignItsWordsMatch() {
    JsonNode response = ads("https://kabarkita.contoh.id/dunia/1", "Jalur darat dibuka",
        "Pemerintah membuka kembali rute pengangkutan barang lintas perbatasan.");

    assertThat(campaign(response, "a")).isEqualTo("c-maskapai");
    assertThat(campaign(response, "b")).isEqualTo("c-kargo");
  }

  @Test void ads_withoutText_theKeywordCampaignDoesNotMatch() {
    JsonNode response = ads("https://kabarkita.contoh.id/dunia/2", null, null);

    assertThat(campaign(response, "b")).isEqualTo("h-umum");
  }

  @Test void ads_tragedyListHitByAnAffixedForm_blocksEveryCampaignUsingIt() {
    JsonNode response = ads("https://kabarkita.contoh.id/dunia/3", "Jalur darat ditutup",
        "Rute angkutan barang ditutup setelah kedua pihak kembali berperang.");

    assertThat(campaign(response, "a")).isEqualTo("h-umum");
    assertThat(campaign(response, "b")).isNull(); // the house campaign fills one slot per page
  }

  @Test void ads_englishArticle_isStemmedAsEnglish() {
    String text = "Travel advisories were raised as the warring sides shelled the border.";

    JsonNode english = server.ads(body("https://kabarkita.contoh.id/world/1", "world", null, text,
        "en", false));
    JsonNode detected = server.ads(body("https://kabarkita.contoh.id/world/2", "world", null,
        text, null, false));

    assertThat(campaign(english, "a")).isEqualTo("h-umum");
    assertThat(campaign(detected, "a")).isEqualTo("h-umum");
  }

  @Test void ads_explain_reportsWhichExtractedKeywordMatchedOrBlocked() {
    JsonNode response = server.ads(body("https://kabarkita.contoh.id/dunia/4", "dunia",
        "Logistik perbatasan", "Sebuah pesawat mengalami kecelakaan, tanpa korban jiwa.", "id",
        true), "Authorization", "Bearer " + ADMIN_TOKEN);

    JsonNode slot = response.path("explain").path("a");
    assertThat(slot.path("winner").asText()).isEqualTo("h-umum");
    assertThat(slot.path("lost").path("c-maskapai").asText()).isEqualTo("keywords");
    JsonNode keywords = slot.path("keywords");
    assertThat(keywords.path("language").asText()).isEqualTo("id");
    assertThat(keywords.path("found").path("logistik").asText()).isEqualTo("Logistik");
    assertThat(keywords.path("found").path("korban jiwa").asText()).isEqualTo("korban jiwa");
    assertThat(keywords.path("blocked").path("c-maskapai").asText()).isEqualTo("korban jiwa");
    assertThat(keywords.path("blocked").path("c-kargo").asText()).isEqualTo("korban jiwa");
    assertThat(response.path("explain").path("b").path("keywords")).isEqualTo(keywords);
  }

  @Test void ads_explain_campaignMatchedThroughTheText_isReported() {
    JsonNode response = server.ads(body("https://kabarkita.contoh.id/dunia/5", "dunia", null,
        "Kapal logistik bersandar.", "id", true), "Authorization", "Bearer " + ADMIN_TOKEN);

    assertThat(response.path("explain").path("b").path("keywords").path("matched")
        .path("c-kargo").asText()).isEqualTo("logistik");
  }

  @Test void metrics_sameArticleAgain_isACacheHit_editedArticleAMiss() {
    String url = "https://kabarkita.contoh.id/dunia/6";
    long hits = counter("hit");
    long misses = counter("miss");

    ads(url, "Jalur darat dibuka", "Rute angkutan barang dibuka.");
    ads(url, "Jalur darat dibuka", "Rute angkutan barang dibuka.");
    JsonNode edited = ads(url, "Jalur darat dibuka", "Rute angkutan barang dibuka. Ada korban jiwa.");

    assertThat(counter("hit") - hits).isEqualTo(1);
    assertThat(counter("miss") - misses).isEqualTo(2);
    assertThat(campaign(edited, "a")).isEqualTo("h-umum"); // the edit was read
    assertThat(server.get("/metrics").body()).contains("iklan_cache_hit_rate{cache=\"keywords\"}");
  }

  private static long counter(String result) {
    Matcher m = Pattern.compile("iklan_cache_requests_total\\{cache=\"keywords\",result=\""
        + result + "\"} (\\d+)").matcher(server.get("/metrics").body());
    assertThat(m.find()).as("keyword cache %s counter in /metrics", result).isTrue();
    return Long.parseLong(m.group(1));
  }
}
