package id.iklan.http;

import static id.iklan.http.TestServer.ADMIN_TOKEN;
import static id.iklan.http.TestServer.NOW;
import static id.iklan.http.TestServer.SECRET;
import static id.iklan.http.TestServer.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.TrackingToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tracking URLs of served ads (SPEC §6) against a real server: one count per token however
 * often it is replayed, bad tokens refused and uncounted, clicks sent only where the rules say.
 */
final class TrackingEndpointsTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void imp_sameUrlReplayedTenTimes_countsOneImpression() {
    long before = count("c-bank-tabungan", "impressions");
    String url = served("ekonomi").path("impressionUrl").asText();

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = server.get(path(url));
      assertThat(response.statusCode()).isEqualTo(204);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    assertThat(count("c-bank-tabungan", "impressions")).isEqualTo(before + 1);
  }

  @Test
  void imp_askedAsImage_answersTheTransparentPixel() throws Exception {
    String url = path(served("ekonomi").path("impressionUrl").asText());

    HttpResponse<byte[]> byParameter = bytes(server.request(url + "&f=gif").GET().build());
    HttpResponse<byte[]> byAccept = bytes(server.request(url)
        .header("Accept", "image/avif,image/webp,image/*,*/*;q=0.8").GET().build());

    for (HttpResponse<byte[]> response : java.util.List.of(byParameter, byAccept)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("image/gif");
      assertThat(new String(response.body(), 0, 6, StandardCharsets.US_ASCII))
          .isEqualTo("GIF89a");
      assertThat(response.body()).hasSize(43);
    }
  }

  @Test
  void imp_tamperedTokens_areRefusedAndCountNothing() {
    long before = count("c-bank-tabungan", "impressions");
    String token = token(served("ekonomi").path("impressionUrl").asText());
    int dot = token.indexOf('.');
    String payloadChanged = flip(token, dot / 2);
    String macChanged = flip(token, dot + 3);
    String truncated = token.substring(0, token.length() - 2);

    for (String bad : new String[] {payloadChanged, macChanged, truncated, "abc", "a.b.c"}) {
      JsonNode problem = assertProblem(server.get("/v1/imp?t=" + bad), 400);
      assertThat(problem.path("field").asText()).isEqualTo("t");
    }

    assertThat(count("c-bank-tabungan", "impressions")).isEqualTo(before);
  }

  @Test
  void imp_tokenSignedWithAnotherSecret_isRefused() {
    TrackingToken genuine = new TrackingToken("00112233445566778899aabbccddeeff", "kotak",
        "c-bank-tabungan", "cr-bank-300", "ekonomi", 1, NOW.getEpochSecond(),
        NOW.getEpochSecond() + 3600);
    String forged = TokenSigner.fromText("some-other-secret-of-enough-length").sign(genuine);
    long before = count("c-bank-tabungan", "impressions");

    JsonNode problem = assertProblem(server.get("/v1/imp?t=" + forged), 400);

    assertThat(problem.path("detail").asText()).contains("signature");
    assertThat(count("c-bank-tabungan", "impressions")).isEqualTo(before);
    assertThat(server.get("/v1/imp?t=" + TokenSigner.fromText(SECRET).sign(genuine))
        .statusCode()).as("the same token under the server's secret").isEqualTo(204);
    assertThat(count("c-bank-tabungan", "impressions")).isEqualTo(before + 1);
  }

  @Test
  void imp_expiredToken_isRefused() {
    long issued = NOW.getEpochSecond() - 7200;
    String expired = TokenSigner.fromText(SECRET).sign(new TrackingToken("expired-request",
        "kotak", "c-bank-tabungan", "cr-bank-300", "ekonomi", 1, issued, issued + 3600));

    JsonNode problem = assertProblem(server.get("/v1/imp?t=" + expired), 400);

    assertThat(problem.path("detail").asText()).contains("expired");
  }

  @Test
  void imp_withoutTokenOrTwoTokens_isRefused() {
    assertThat(assertProblem(server.get("/v1/imp"), 400).path("field").asText()).isEqualTo("t");
    String url = path(served("ekonomi").path("impressionUrl").asText());
    assertThat(assertProblem(server.get(url + "&t=x"), 400).path("field").asText())
        .isEqualTo("t");
    assertThat(assertProblem(server.get(url + "&f=png"), 400).path("field").asText())
        .isEqualTo("f");
  }

  @Test
  void click_redirectsToTheCreativesClickUrlAndCountsOnce() throws Exception {
    long before = count("c-bank-tabungan", "clicks");
    String url = path(served("ekonomi").path("clickUrl").asText());

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = send(url);
      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(response.headers().firstValue("Location")).hasValue("https://bank.contoh.id/tabungan");
    }

    assertThat(count("c-bank-tabungan", "clicks")).isEqualTo(before + 1);
  }

  @Test
  void click_redirectParametersInTheQuery_areIgnored() throws Exception {
    String url = path(served("ekonomi").path("clickUrl").asText());

    HttpResponse<String> response = send(url + "&url=https://evil.example&redirect=https%3A%2F%2F"
        + "evil.example&clickUrl=https://evil.example&next=//evil.example");
    HttpResponse<String> noToken = send("/v1/click?url=https://evil.example");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValue("https://bank.contoh.id/tabungan");
    assertProblem(noToken, 400);
    assertThat(noToken.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void click_badToken_isRefusedWithoutRedirect() throws Exception {
    long before = count("c-bank-tabungan", "clicks");
    String token = token(served("ekonomi").path("clickUrl").asText());

    HttpResponse<String> response = send("/v1/click?t=" + flip(token, 4)
        + "&url=https://evil.example");

    assertProblem(response, 400);
    assertThat(response.headers().firstValue("Location")).isEmpty();
    assertThat(count("c-bank-tabungan", "clicks")).isEqualTo(before);
  }

  @Test
  void click_afterTheCampaignsUrlChanged_goesWhereTheServingVersionSaid() throws Exception {
    String oldClick = path(served("wisata").path("clickUrl").asText());
    HttpResponse<String> upsert = server.send(server.request("/v1/admin/campaigns")
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"campaigns": [{"id": "c-wisata-kecuali-papua", "advertiser": "Agen Wisata Bahari",
              "tier": "standard", "cpm": 50000, %s,
              "targeting": {"sections": {"include": ["wisata"]}, "geo": {"exclude": ["ID-PA"]}},
              "creatives": [{"id": "cr-wisata-bahari", "format": "image", "size": [300, 250],
                "imageUrl": "https://cdn.contoh.id/wisata-bahari.png",
                "clickUrl": "https://wisatabahari.contoh.id/promo-baru"}]}]}
            """.formatted(Fixture.FLIGHT))).build());
    assertThat(upsert.statusCode()).as(upsert.body()).isEqualTo(200);
    String newClick = path(served("wisata").path("clickUrl").asText());

    assertThat(send(oldClick).headers().firstValue("Location"))
        .hasValue("https://wisatabahari.contoh.id/");
    assertThat(send(newClick).headers().firstValue("Location"))
        .hasValue("https://wisatabahari.contoh.id/promo-baru");
  }

  @Test
  void trackingUrls_fromAnotherOrigin_carryThePublicCorsHeaders() {
    String url = path(served("ekonomi").path("impressionUrl").asText());

    HttpResponse<String> response = server.get(url, "Origin", "https://berita.contoh.id");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void trackingUrls_wrongMethod_is405WithAllow() {
    HttpResponse<String> response = server.send(server.request("/v1/imp?t=x")
        .POST(HttpRequest.BodyPublishers.noBody()).build());

    assertProblem(response, 405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, OPTIONS");
  }

  // ---- helpers ----

  /** The ad of a one-slot page of {@code section}. */
  private static JsonNode served(String section) {
    JsonNode ad = server.ads(Fixture.oneSlot(section, "kotak")).path("slots").path("kotak");
    assertThat(ad.isObject()).as("an ad for %s", section).isTrue();
    return ad;
  }

  /** Today's {@code field} of {@code campaign} in the report. */
  private static long count(String campaign, String field) {
    HttpResponse<String> response = server.get("/v1/admin/report?by=campaign",
        "Authorization", "Bearer " + ADMIN_TOKEN);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    for (JsonNode row : TestServer.parse(response).path("rows")) {
      if (row.path("campaign").asText().equals(campaign)) {
        return row.path(field).asLong();
      }
    }
    return 0;
  }

  static String path(String absolute) {
    URI uri = URI.create(absolute);
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }

  static String token(String absolute) {
    String query = URI.create(absolute).getRawQuery();
    assertThat(query).startsWith("t=");
    return query.substring(2);
  }

  /** {@code token} with the base64url character at {@code index} replaced by another. */
  static String flip(String token, int index) {
    char c = token.charAt(index);
    char other = c == 'A' ? 'B' : 'A';
    return token.substring(0, index) + other + token.substring(index + 1);
  }

  private static HttpResponse<String> send(String path) throws IOException, InterruptedException {
    return CLIENT.send(server.request(path).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> bytes(HttpRequest request)
      throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
