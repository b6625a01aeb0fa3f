package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo of SPEC §8: the article page, the ad tag, and the shipped demo rules filling every slot
 * of the demo page.
 */
final class DemoTest {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.config(dir.resolve("data"),
        Path.of("config/demo-rules.json")));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void demo_articlePage_is200Html() {
    HttpResponse<String> response = server.get("/demo/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(response.body()).contains("data-iklan-slot=\"top\"", "/iklan.js");
  }

  @Test
  void script_is200JavascriptWithEtag() {
    HttpResponse<String> response = server.get("/iklan.js");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
    assertThat(response.headers().firstValue("ETag")).isPresent();
    assertThat(response.body()).contains("/v1/ads");
  }

  @Test
  void script_ifNoneMatchWithItsEtag_is304() {
    String etag = server.get("/iklan.js").headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> response = server.get("/iklan.js", "If-None-Match", etag);

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("ETag")).hasValue(etag);
  }

  @Test
  void script_ifNoneMatchWithOtherEtag_is200() {
    HttpResponse<String> response = server.get("/iklan.js", "If-None-Match", "\"usang\"");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** What iklan.js sends for the demo article (see web/demo/index.html). */
  private static String demoPageRequest(String device, String user) {
    return """
        {"page": {"url": "https://kabarnusantara.example/internasional/2026/11/28/delegasi",
                  "section": "internasional", "keywords": ["rusia", "korea utara", "diplomasi"],
                  "title": "Delegasi Rusia Kunjungi Pyongyang"},
         "slots": [
           {"id": "top", "sizes": [[728, 90], [970, 250]]},
           {"id": "mid-1", "sizes": [[300, 250]]},
           {"id": "read-next", "formats": ["native"]},
           {"id": "sidebar", "sizes": [[300, 250], [300, 600]]},
           {"id": "bottom", "sizes": [[728, 90], [320, 50]]}
         ],
         "user": {"id": "%s"}, "device": {"type": "%s"}}
        """.formatted(user, device);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"desktop", "mobile", "tablet"})
  void demo_shippedRules_fillEverySlotOfTheDemoPage(String device) {
    JsonNode slots = server.ads(demoPageRequest(device, "0123456789abcdef" + device))
        .path("slots");

    assertThat(AdsEndpointTest.fieldNames(slots))
        .containsExactly("top", "mid-1", "read-next", "sidebar", "bottom");
    slots.fields().forEachRemaining(e ->
        assertThat(e.getValue().isObject()).as("slot %s: %s", e.getKey(), e.getValue()).isTrue());
  }

  @Test
  void demo_shippedRules_fillEverySlotWithoutDeviceOrUserOrKeywords() {
    String body = """
        {"page": {"url": "https://kabarnusantara.example/internasional/2026/11/28/delegasi",
                  "section": "internasional"},
         "slots": [
           {"id": "top", "sizes": [[728, 90], [970, 250]]},
           {"id": "mid-1", "sizes": [[300, 250]]},
           {"id": "read-next", "formats": ["native"]},
           {"id": "sidebar", "sizes": [[300, 250], [300, 600]]},
           {"id": "bottom", "sizes": [[728, 90], [320, 50]]}
         ]}
        """;

    JsonNode slots = server.ads(body).path("slots");

    slots.fields().forEachRemaining(e ->
        assertThat(e.getValue().isObject()).as("slot %s: %s", e.getKey(), e.getValue()).isTrue());
  }

  /**
   * The article text as iklan.js sends it for the demo page (which opts in with
   * {@code <meta name="iklan:text" content="on">}): the text of {@code [data-iklan-article]},
   * without ad slots, their labels and {@code data-iklan-skip} parts.
   */
  static String demoArticleText(String html) {
    int start = html.indexOf("data-iklan-article>");
    assertThat(start).as("the demo page marks its article body").isPositive();
    int end = html.indexOf("</div>\n\n        <ul class=\"tags\"", start);
    String body = html.substring(start + "data-iklan-article>".length(), end)
        .replaceAll("(?s)<p class=\"inline-read\" data-iklan-skip>.*?</p>", " ")
        .replaceAll("(?s)<div class=\"ad-inline\">.*?</div>\\s*</div>", " ")
        .replaceAll("(?s)<div class=\"iklan-label\">.*?</div>", " ")
        .replaceAll("<[^>]+>", " ");
    return body.replaceAll("\\s+", " ").strip();
  }

  @Test
  void demo_articlePage_optsInToSendItsText() {
    String html = server.get("/demo/").body();

    assertThat(html).contains("<meta name=\"iklan:text\" content=\"on\">", "data-iklan-article");
    assertThat(demoArticleText(html)).contains("angkutan barang", "kepabeanan")
        .doesNotContain("Iklan", "Baca juga");
  }

  @Test
  void demo_articlePage_getsAContextualAdFromItsOwnText() throws Exception {
    String text = demoArticleText(server.get("/demo/").body());
    String withText = """
        {"page": {"url": "https://kabarnusantara.example/internasional/2026/11/28/delegasi",
                  "section": "internasional", "keywords": ["rusia", "korea utara", "diplomasi"],
                  "title": "Delegasi Rusia Kunjungi Pyongyang | Kabar Nusantara",
                  "language": "id", "text": %s},
         "slots": [{"id": "top", "sizes": [[728, 90], [970, 250]]},
                   {"id": "mid-1", "sizes": [[300, 250]]},
                   {"id": "read-next", "formats": ["native"]}],
         "device": {"type": "desktop"}}
        """.formatted(TestServer.JSON.writeValueAsString(text));
    String withoutText = withText.replace("\"text\": " + TestServer.JSON.writeValueAsString(text)
        + "}", "\"text\": null}");

    JsonNode contextual = server.ads(withText).path("slots");
    JsonNode plain = server.ads(withoutText).path("slots");

    assertThat(AdsEndpointTest.fieldNames(contextual)).containsExactly("top", "mid-1", "read-next");
    assertThat(contextual.path("mid-1").path("campaignId").asText())
        .isEqualTo("c-gerbangkargo-ekspedisi");
    assertThat(plain.findValuesAsText("campaignId")).doesNotContain("c-gerbangkargo-ekspedisi");
  }
}
