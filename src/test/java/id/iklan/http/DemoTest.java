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
}
