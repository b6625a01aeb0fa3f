package id.iklan.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * What the console's browser tests run on: rules whose flights are centred on the real now (so
 * pacing is at the half-way mark), images from the server's own demo pictures, a campaign with
 * a hostile advertiser name, and a week of traffic.
 *
 * <ul>
 *   <li>{@code internasional}: TelkoNusa, goal 40, 3 serves a day for 7 days: on track;
 *   <li>{@code olahraga}: Sepatu Cakra, goal 40, 4 a day: ahead;
 *   <li>{@code ekonomi}: Bank Samudra, goal 1000, 1 a day: behind;
 *   <li>{@code nasional}, {@code daerah}: Kopi Senja, only in Bandung (the explain test's geo
 *       loss), over a house promo;
 *   <li>{@code otomotif}: Volta Andalas, paused (pause and resume);
 *   <li>{@code hiburan}: an advertiser named like an HTML injection.
 * </ul>
 * The browser tests leave these sections alone, except the explain test ({@code nasional}).
 */
final class ConsoleFixture {
  static final String HOSTILE_ADVERTISER = "<img src=x onerror=\"document.title='XSS'\">";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConsoleFixture() {}

  static String rules(String base, Instant now) throws IOException {
    String start = time(now.minus(Duration.ofDays(10)));
    String end = time(now.plus(Duration.ofDays(10)));
    String houseStart = time(now.minus(Duration.ofDays(30)));
    String img = base + "/demo/img/";
    String flight = "\"start\": \"" + start + "\", \"end\": \"" + end + "\"";
    String json = """
        {"campaigns": [
          {"id": "h-kn-aplikasi", "advertiser": "Kabar Nusantara (Aplikasi)", "tier": "house",
           "cpm": 0, "currency": "IDR", "start": "%3$s",
           "creatives": [
             {"id": "cr-kn-aplikasi-728x90", "format": "image", "size": [728, 90],
              "imageUrl": "%2$skn-aplikasi-728x90.svg", "alt": "Unduh aplikasi Kabar Nusantara",
              "clickUrl": "https://kabarnusantara.example/aplikasi"},
             {"id": "cr-kn-aplikasi-300x250", "format": "image", "size": [300, 250],
              "imageUrl": "%2$skn-aplikasi-300x250.svg", "alt": "Unduh aplikasi Kabar Nusantara",
              "clickUrl": "https://kabarnusantara.example/aplikasi"},
             {"id": "cr-kn-aplikasi-native", "format": "native",
              "title": "Unduh aplikasi Kabar Nusantara", "body": "Baca berita pilihan lebih cepat.",
              "imageUrl": "%2$skn-aplikasi-native.svg", "sponsor": "Kabar Nusantara",
              "clickUrl": "https://kabarnusantara.example/aplikasi"}]},
          {"id": "c-telkonusa-roaming", "advertiser": "TelkoNusa", "category": "telecom",
           "tier": "standard", "cpm": 45000, "currency": "IDR", %1$s,
           "goal": {"impressions": 40, "pacing": "asap"},
           "targeting": {"sections": {"include": ["internasional"]},
                         "keywords": {"none": ["bencana"]},
                         "geo": {"include": ["ID"], "exclude": ["ID-PA"]}},
           "creatives": [
             {"id": "cr-telkonusa-728x90", "format": "image", "size": [728, 90],
              "imageUrl": "%2$stelkonusa-728x90.svg", "alt": "Paket roaming TelkoNusa",
              "clickUrl": "https://telkonusa.example/roaming"},
             {"id": "cr-telkonusa-native", "format": "native",
              "title": "Tetap terhubung di luar negeri", "body": "Roaming di 40 negara.",
              "imageUrl": "%2$stelkonusa-native.svg", "sponsor": "TelkoNusa",
              "clickUrl": "https://telkonusa.example/roaming"}]},
          {"id": "c-sepatucakra-timnas", "advertiser": "Sepatu Cakra", "category": "olahraga",
           "tier": "standard", "cpm": 35000, "currency": "IDR", %1$s,
           "goal": {"impressions": 40},
           "targeting": {"sections": {"include": ["olahraga"]}},
           "creatives": [{"id": "cr-sepatucakra-728x90", "format": "image", "size": [728, 90],
              "imageUrl": "%2$ssepatucakra-728x90.svg", "alt": "Sepatu Cakra untuk Timnas",
              "clickUrl": "https://sepatucakra.example/timnas"}]},
          {"id": "c-banksamudra-investasi", "advertiser": "Bank Samudra", "category": "bank",
           "tier": "standard", "cpm": 60000, "currency": "IDR", %1$s,
           "goal": {"impressions": 1000},
           "targeting": {"sections": {"include": ["ekonomi"]},
                         "devices": ["desktop", "mobile", "tablet"]},
           "creatives": [{"id": "cr-banksamudra-728x90", "format": "image", "size": [728, 90],
              "imageUrl": "%2$sbanksamudra-728x90.svg", "alt": "Investasi Bank Samudra",
              "clickUrl": "https://banksamudra.example/investasi"}]},
          {"id": "c-kopisenja-bandung", "advertiser": "Kopi Senja", "tier": "standard",
           "cpm": 22000, "currency": "IDR", %1$s,
           "targeting": {"sections": {"include": ["nasional", "daerah"]},
                         "geo": {"include": ["ID-JB/Bandung"]},
                         "devices": ["mobile", "desktop"]},
           "creatives": [
             {"id": "cr-kopisenja-300x250", "format": "image", "size": [300, 250],
              "imageUrl": "%2$skopisenja-300x250.svg", "alt": "Kopi susu gula aren Kopi Senja",
              "clickUrl": "https://kopisenja.example/bandung"},
             {"id": "cr-kopisenja-native", "format": "native", "title": "Kopi Senja di Bandung",
              "body": "Beli dua gelas, gratis roti bakar.", "imageUrl": "%2$skopisenja-native.svg",
              "sponsor": "Kopi Senja", "clickUrl": "https://kopisenja.example/bandung"}]},
          {"id": "c-voltaandalas-ev", "advertiser": "Volta Andalas", "status": "paused",
           "tier": "standard", "cpm": 38000, "currency": "IDR", %1$s,
           "targeting": {"sections": {"include": ["otomotif"]}},
           "creatives": [{"id": "cr-voltaandalas-300x250", "format": "image", "size": [300, 250],
              "imageUrl": "%2$svoltaandalas-300x250.svg", "alt": "Motor listrik Volta Andalas",
              "clickUrl": "https://voltaandalas.example/ev"}]},
          {"id": "c-iseng-hiburan", "advertiser": %4$s, "category": "<b>hiburan</b>",
           "tier": "remnant", "cpm": 1000, "currency": "IDR", %1$s,
           "targeting": {"sections": {"include": ["hiburan"]}},
           "creatives": [
             {"id": "cr-iseng-300x250", "format": "image", "size": [300, 250],
              "imageUrl": "%2$sdompetkita-300x250.svg", "alt": "<script>window.__xss = 1</script>",
              "clickUrl": "https://iseng.example/"},
             {"id": "cr-iseng-native", "format": "native",
              "title": "<img src=x onerror=\\"window.__xss = 2\\">", "body": "<b>tebal?</b>",
              "imageUrl": "%2$sdompetkita-native.svg", "sponsor": "<i>Iseng</i>",
              "clickUrl": "https://iseng.example/"}]},
          {"id": "c-dompetkita-remnant", "advertiser": "DompetKita", "tier": "remnant",
           "cpm": 15000, "currency": "IDR", "start": "%3$s",
           "targeting": {"devices": ["mobile", "tablet"]},
           "creatives": [{"id": "cr-dompetkita-300x250", "format": "image", "size": [300, 250],
              "imageUrl": "%2$sdompetkita-300x250.svg", "alt": "DompetKita",
              "clickUrl": "https://dompetkita.example/"}]}
        ]}
        """.formatted(flight, img, houseStart, JSON.writeValueAsString(HOSTILE_ADVERTISER));
    JSON.readTree(json); // fail here, not in the server, on a typo
    return json;
  }

  private static String time(Instant instant) {
    return instant.atOffset(ZoneOffset.ofHours(7)).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A week of ad requests with impressions and clicks, one day at a time on the shifted clock. */
  static final class Traffic {
    private final String base;
    private final ConsoleBrowserTest.ShiftedClock clock;
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private int requests;

    Traffic(String base, ConsoleBrowserTest.ShiftedClock clock) {
      this.base = base;
      this.clock = clock;
    }

    /** Six days ago to today: per day 3 internasional, 4 olahraga and 1 ekonomi pages. */
    void seedWeek() throws IOException, InterruptedException {
      for (int daysBack = 6; daysBack >= 0; daysBack--) {
        clock.shift(Duration.ofDays(daysBack));
        for (int i = 0; i < 3; i++) {
          page("internasional", "{\"id\": \"top\", \"sizes\": [[728, 90]]}, "
              + "{\"id\": \"read-next\", \"formats\": [\"native\"]}");
        }
        for (int i = 0; i < 4; i++) {
          page("olahraga", "{\"id\": \"top\", \"sizes\": [[728, 90]]}");
        }
        page("ekonomi", "{\"id\": \"top\", \"sizes\": [[728, 90]]}");
      }
    }

    private void page(String section, String slots) throws IOException, InterruptedException {
      int n = requests++;
      String body = "{\"page\": {\"url\": \"https://kabarnusantara.example/" + section + "/artikel-"
          + n + "\", \"section\": \"" + section + "\"}, \"slots\": [" + slots + "], "
          + "\"user\": {\"id\": \"pembaca-" + n + "\"}, \"device\": {\"type\": \"desktop\"}}";
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/ads"))
              .header("Content-Type", "application/json")
              .header("X-Geo-Country", "ID").header("X-Geo-Region", "ID-JB")
              .header("X-Geo-City", "Bandung")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new IllegalStateException("seeding: " + response.statusCode() + " " + response.body());
      }
      int slot = 0;
      for (JsonNode ad : JSON.readTree(response.body()).path("slots")) {
        slot++;
        if (ad.isNull()) {
          continue;
        }
        // Three of four ads are seen; every fifth seen ad is clicked.
        if ((n + slot) % 4 != 3) {
          get(ad.path("impressionUrl").asText());
          if ((n + slot) % 5 == 0) {
            get(ad.path("clickUrl").asText());
          }
        }
      }
    }

    private void get(String url) throws IOException, InterruptedException {
      HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 400) {
        throw new IllegalStateException("seeding: " + response.statusCode() + " for " + url);
      }
    }
  }
}
