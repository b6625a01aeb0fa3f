package id.iklan.http;

import static id.iklan.http.TestServer.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to {@code POST /v1/ads} (SPEC §2, §7): each way a body can be wrong is a 400
 * {@code application/problem+json} whose {@code field} names what to fix; size, media type, route
 * and method have their own statuses. Never a 500, never a stack trace.
 */
final class AdRequestValidationTest {
  private static final String URL = "\"url\": \"https://kabarkita.contoh.id/nasional/berita\"";
  private static final String PAGE = "\"page\": {" + URL + "}";
  private static final String SLOT = "{\"id\": \"kotak\", \"sizes\": [[300, 250]]}";
  private static final String SLOTS = "\"slots\": [" + SLOT + "]";

  @RegisterExtension static final TestServer server = TestServer.fixture();

  /** A valid request with {@code extra} members added at the top level. */
  private static String valid(String extra) {
    return "{" + PAGE + ", " + SLOTS + (extra.isEmpty() ? "" : ", " + extra) + "}";
  }

  private static String withPage(String page) {
    return "{\"page\": " + page + ", " + SLOTS + "}";
  }

  private static String withSlots(String slots) {
    return "{" + PAGE + ", \"slots\": " + slots + "}";
  }

  private static String slotsOf(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "{\"id\": \"slot-" + i + "\", \"sizes\": [[300, 250]]}")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        arguments("malformed JSON", "{\"page\": {" + URL + "}, \"slots\": [" + SLOT + "] oops}",
            "body"),
        arguments("truncated JSON", "{\"page\": {" + URL + "}, \"slots\": [{\"id\": \"kot", "body"),
        arguments("empty body", "", "body"),
        arguments("white space only", "   \n ", "body"),
        arguments("body is an array", "[" + valid("") + "]", "body"),
        arguments("body is a string", "\"iklan\"", "body"),
        arguments("body is JSON null", "null", "body"),
        arguments("two JSON documents", valid("") + valid(""), "body"),
        arguments("nesting too deep", "[".repeat(1000) + "]".repeat(1000), "body"),
        arguments("number too long", valid("\"tmax\": 1" + "0".repeat(100)), "body"),
        arguments("missing page", "{" + SLOTS + "}", "page"),
        arguments("page is null", withPage("null"), "page"),
        arguments("page not an object", withPage("\"https://kabarkita.contoh.id/\""), "page"),
        arguments("missing page.url", withPage("{\"section\": \"nasional\"}"), "page.url"),
        arguments("relative page.url", withPage("{\"url\": \"/nasional/berita\"}"), "page.url"),
        arguments("ftp page.url", withPage("{\"url\": \"ftp://kabarkita.contoh.id/berita\"}"),
            "page.url"),
        arguments("javascript page.url", withPage("{\"url\": \"javascript:alert(1)\"}"),
            "page.url"),
        arguments("page.url not text", withPage("{\"url\": 42}"), "page.url"),
        arguments("page.url without host", withPage("{\"url\": \"https:///berita\"}"),
            "page.url"),
        arguments("page.section not text", withPage("{" + URL + ", \"section\": [\"a\"]}"),
            "page.section"),
        arguments("missing slots", "{" + PAGE + "}", "slots"),
        arguments("slots is null", withSlots("null"), "slots"),
        arguments("slots not an array", withSlots(SLOT), "slots"),
        arguments("no slots", withSlots("[]"), "slots"),
        arguments("21 slots", withSlots(slotsOf(21)), "slots"),
        arguments("slot not an object", withSlots("[\"kotak\"]"), "slots[0]"),
        arguments("slot without id", withSlots("[{\"sizes\": [[300, 250]]}]"), "slots[0].id"),
        arguments("slot id not text", withSlots("[{\"id\": 7, \"sizes\": [[300, 250]]}]"),
            "slots[0].id"),
        arguments("blank slot id", withSlots("[{\"id\": \"  \", \"sizes\": [[300, 250]]}]"),
            "slots[0].id"),
        arguments("slot id too long",
            withSlots("[{\"id\": \"" + "x".repeat(500) + "\", \"sizes\": [[300, 250]]}]"),
            "slots[0].id"),
        arguments("duplicate slot ids", withSlots("[" + SLOT + ", " + SLOT + "]"), "slots[1].id"),
        arguments("slot without sizes or formats", withSlots("[{\"id\": \"kotak\"}]"), "slots[0]"),
        arguments("slot with empty sizes and formats",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [], \"formats\": []}]"), "slots[0]"),
        arguments("sizes not an array",
            withSlots("[{\"id\": \"kotak\", \"sizes\": \"300x250\"}]"), "slots[0].sizes"),
        arguments("size with zero width",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[0, 250]]}]"), "slots[0].sizes[0]"),
        arguments("size with negative height",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[300, -250]]}]"), "slots[0].sizes[0]"),
        arguments("size with one number",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[300]]}]"), "slots[0].sizes[0]"),
        arguments("size with three numbers",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[300, 250, 1]]}]"), "slots[0].sizes[0]"),
        arguments("size as text",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [\"300x250\"]}]"), "slots[0].sizes[0]"),
        arguments("size larger than any screen",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[300, 2500000]]}]"), "slots[0].sizes[0]"),
        arguments("size with fraction",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[300.5, 250]]}]"), "slots[0].sizes[0]"),
        arguments("second size bad",
            withSlots("[{\"id\": \"kotak\", \"sizes\": [[300, 250], [728, \"90\"]]}]"),
            "slots[0].sizes[1]"),
        arguments("unknown format video",
            withSlots("[{\"id\": \"kotak\", \"formats\": [\"video\"]}]"), "slots[0].formats[0]"),
        arguments("formats not an array",
            withSlots("[{\"id\": \"kotak\", \"formats\": \"native\"}]"), "slots[0].formats"),
        arguments("bad size in second slot",
            withSlots("[" + SLOT + ", {\"id\": \"dua\", \"sizes\": [[0, 0]]}]"),
            "slots[1].sizes[0]"),
        arguments("keywords not an array",
            withPage("{" + URL + ", \"keywords\": \"rusia, ukraina\"}"), "page.keywords"),
        arguments("keyword not text",
            withPage("{" + URL + ", \"keywords\": [\"rusia\", 42]}"), "page.keywords[1]"),
        arguments("too many keywords", withPage("{" + URL + ", \"keywords\": "
            + IntStream.range(0, 101).mapToObj(i -> "\"kata" + i + "\"")
                .collect(Collectors.joining(", ", "[", "]")) + "}"), "page.keywords"),
        arguments("unknown device type", valid("\"device\": {\"type\": \"smartwatch\"}"),
            "device.type"),
        arguments("device.type not text", valid("\"device\": {\"type\": 1}"), "device.type"),
        arguments("device not an object", valid("\"device\": \"mobile\""), "device"),
        arguments("user not an object", valid("\"user\": \"pembaca-1\""), "user"),
        arguments("user.id not text", valid("\"user\": {\"id\": 12345}"), "user.id"),
        arguments("explain not boolean", valid("\"explain\": \"true\""), "explain"),
        arguments("explain as number", valid("\"explain\": 1"), "explain"),
        arguments("tmax negative", valid("\"tmax\": -5"), "tmax"),
        arguments("tmax not integer", valid("\"tmax\": 2.5"), "tmax"),
        arguments("tmax as text", valid("\"tmax\": \"100\""), "tmax"));
  }

  @ParameterizedTest(name = "{0}: 400 naming {2}")
  @MethodSource("badRequests")
  void ads_badRequest_is400ProblemNamingTheField(String name, String body, String field) {
    HttpResponse<String> response = server.postAds(body);

    JsonNode problem = assertProblem(response, 400);
    assertThat(problem.path("field").asText()).as("field of %s", problem).isEqualTo(field);
    assertThat(problem.path("detail").asText()).contains(field);
  }

  /** A body that is wrong as a whole: the detail says what to send instead, in words. */
  static Stream<Arguments> wrongBodies() {
    return Stream.of(
        arguments("", "body: is empty; send a JSON object with page and slots"),
        arguments("   \n ", "body: is empty; send a JSON object with page and slots"),
        arguments("[" + valid("") + "]", "body: must be a JSON object with page and slots"),
        arguments("null", "body: must be a JSON object with page and slots"),
        arguments(valid("") + " " + valid(""), "body: is not valid JSON (line 1, column "
            + (valid("").length() + 2) + "): a second value follows the first; send one JSON "
            + "object"),
        arguments(valid("\"tmax\": 1e9999999999"),
            "body: is not valid JSON: it holds a number that cannot be read"),
        arguments("{\"page\": {" + URL + ",}", "body: is not valid JSON (line 1, column "));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("wrongBodies")
  void ads_wrongBodyAsAWhole_detailSaysWhatToSend(String body, String detail) {
    JsonNode problem = assertProblem(server.postAds(body), 400);

    assertThat(problem.path("field").asText()).isEqualTo("body");
    assertThat(problem.path("detail").asText()).startsWith(detail);
  }

  @Test
  void ads_unknownDeviceType_is400NamingTheFieldAndTheChoices() {
    JsonNode problem = assertProblem(
        server.postAds(valid("\"device\": {\"type\": \"smartwatch\"}")), 400);

    assertThat(problem.path("field").asText()).isEqualTo("device.type");
    assertThat(problem.path("detail").asText()).contains("desktop", "mobile", "tablet");
  }

  @Test
  void ads_duplicateJsonKeys_is400NamingTheDuplicate() {
    String body = "{" + PAGE + ", " + SLOTS + ", \"page\": {\"url\": \"https://lain.contoh.id/\"}}";

    JsonNode problem = assertProblem(server.postAds(body), 400);

    assertThat(problem.path("field").isTextual()).as("field in %s", problem).isTrue();
    assertThat(problem.path("detail").asText()).contains("page");
  }

  @Test
  void ads_duplicateKeysInsideSlot_is400() {
    String body = withSlots("[{\"id\": \"a\", \"id\": \"b\", \"sizes\": [[300, 250]]}]");

    JsonNode problem = assertProblem(server.postAds(body), 400);

    assertThat(problem.path("field").isTextual()).as("field in %s", problem).isTrue();
    assertThat(problem.path("detail").asText()).contains("id");
  }

  @Test
  void ads_exactlyTwentySlots_isAccepted() {
    JsonNode body = server.ads(withSlots(slotsOf(20)));

    assertThat(body.path("slots").size()).isEqualTo(20);
  }

  @Test
  void ads_malformedJson_detailSaysWhereButLeaksNoInternals() {
    JsonNode problem = assertProblem(server.postAds("{\"page\": {" + URL + ",}"), 400);

    assertThat(problem.path("detail").asText()).contains("line").doesNotContain("Source")
        .doesNotContain("com.fasterxml");
  }

  // ---- limits, media type, routes and methods ----

  @Test
  void ads_bodyOver64KiB_is413Problem() {
    String text = "kata ".repeat(14_000); // 70,000 bytes
    String body = "{\"page\": {" + URL + ", \"text\": \"" + text + "\"}, " + SLOTS + "}";
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(64 * 1024);

    assertProblem(server.postAds(body), 413);
  }

  @Test
  void ads_bodyJustUnder64KiB_isAccepted() {
    String prefix = "{\"page\": {" + URL + ", \"text\": \"";
    String suffix = "\"}, " + SLOTS + "}";
    String text = "a".repeat(64 * 1024 - prefix.length() - suffix.length());
    String body = prefix + text + suffix;
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isEqualTo(64 * 1024);

    assertThat(server.postAds(body).statusCode()).isEqualTo(200);
  }

  @Test
  void ads_chunkedBodyOver64KiB_is413ProblemWithoutHanging() {
    byte[] body = ("{\"page\": {" + URL + ", \"text\": \"" + "a".repeat(100_000) + "\"}, "
        + SLOTS + "}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = server.send(server.request("/v1/ads")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build());

    assertProblem(response, 413);
  }

  @Test
  void ads_invalidUtf8_is400NamingTheBody() {
    byte[] body = {'{', '"', 'p', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    HttpResponse<String> response = server.send(server.request("/v1/ads")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());

    assertThat(assertProblem(response, 400).path("field").asText()).isEqualTo("body");
  }

  @Test
  void ads_textPlainContentType_is415Problem() {
    HttpResponse<String> response = server.send(server.request("/v1/ads")
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(valid("")))
        .build());

    assertProblem(response, 415);
  }

  @Test
  void ads_formContentType_is415Problem() {
    HttpResponse<String> response = server.send(server.request("/v1/ads")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("page=x"))
        .build());

    assertProblem(response, 415);
  }

  @Test
  void ads_jsonContentTypeWithCharset_isAccepted() {
    HttpResponse<String> response = server.send(server.request("/v1/ads")
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(valid("")))
        .build());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void unknownRoute_is404Problem() {
    assertProblem(server.get("/v1/tidak-ada"), 404);
  }

  @Test
  void unknownRouteWithPost_is404Problem() {
    HttpResponse<String> response = server.send(server.request("/v2/ads")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(valid("")))
        .build());

    assertProblem(response, 404);
  }

  @Test
  void ads_deleteMethod_is405Problem() {
    HttpResponse<String> response = server.send(server.request("/v1/ads").DELETE().build());

    assertProblem(response, 405);
  }

  @Test
  void ads_getMethod_is405Problem() {
    assertProblem(server.get("/v1/ads"), 405);
  }

  @Test
  void ads_wrongMethod_405NamesTheAllowedMethodsInAllow() {
    // RFC 9110 §15.5.6: a 405 response MUST carry Allow.
    HttpResponse<String> response = server.send(server.request("/v1/ads").DELETE().build());

    assertProblem(response, 405);
    assertThat(response.headers().firstValue("Allow"))
        .hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
  }

  @Test
  void ads_putMethod_is405Problem() {
    HttpResponse<String> response = server.send(server.request("/v1/ads")
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(valid("")))
        .build());

    assertProblem(response, 405);
  }

  @Test
  void ads_afterBadRequests_serverStillAnswers() {
    server.postAds("{");
    server.postAds("");

    assertThat(server.ads(valid("")).path("slots").has("kotak")).isTrue();
  }
}
