package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cases {@link HostileInputTest} found answered wrongly, kept one by one: each was a 5xx, an
 * answer that was not JSON, a bare error without a problem document, or a logged 500.
 */
final class HostileRegressionTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();

  /** Was: 200 whose body was not JSON (the id is echoed as a key, and no UTF-8 holds it). */
  @Test
  void ads_slotIdWithALoneSurrogate_is400NamingTheField() {
    HttpResponse<String> response = server.postAds("""
        {"page": {"url": "https://kabarkita.contoh.id/"},
         "slots": [{"id": "\\ud800", "sizes": [[300, 250]]}]}
        """);
    JsonNode problem = TestServer.assertProblem(response, 400);
    assertThat(problem.path("field").asText()).isEqualTo("slots[0].id");
    assertThat(problem.path("detail").asText()).contains("surrogate");
  }

  @Test
  void ads_keywordWithALoneLowSurrogate_is400() {
    JsonNode problem = TestServer.assertProblem(server.postAds("""
        {"page": {"url": "https://kabarkita.contoh.id/", "keywords": ["a\\udc00b"]},
         "slots": [{"id": "a", "sizes": [[300, 250]]}]}
        """), 400);
    assertThat(problem.path("field").asText()).isEqualTo("page.keywords[0]");
  }

  /** Would have been stored, and then broken every ad answer that carries the advertiser. */
  @Test
  void rules_advertiserWithALoneSurrogate_is422AndChangesNothing() {
    AdminClient admin = new AdminClient(server);
    String etag = admin.get(AdminClient.CAMPAIGNS).headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> response = admin.postJson("""
        {"id": "c-pecah", "advertiser": "Toko \\ud83d", "tier": "standard",
         "start": "2026-11-01T00:00:00+07:00",
         "creatives": [{"id": "cr-pecah", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/p.png", "clickUrl": "https://toko.contoh.id/"}]}
        """);
    JsonNode problem = TestServer.assertProblem(response, 422);
    assertThat(problem.path("problems").get(0).path("field").asText()).isEqualTo("advertiser");
    assertThat(admin.get(AdminClient.CAMPAIGNS).headers().firstValue("ETag")).hasValue(etag);
  }

  /** Was: Vert.x's own {@code 501 Not Implemented}, before any handler ran. */
  @Test
  void requestLineWithHttp2OrHttp3Version_is400Problem() throws Exception {
    for (String line : new String[] {"GET /health HTTP/2.0", "POST /v1/ads HTTP/3.0",
        "PRI * HTTP/2.0"}) {
      RawHttp.Response response = raw(line + "\r\nHost: a\r\n\r\n");
      assertThat(response.status()).as(line).isEqualTo(400);
      assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }
  }

  /** Was: a bare {@code 400 Bad Request} in plain text ("Unhandled exception in router"). */
  @Test
  void pathWithABrokenPercentEscape_is400Problem() throws Exception {
    RawHttp.Response response = raw("GET /v1/%zz HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(raw("GET /demo/%4 HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(400);
  }

  /** Was: logged as an unexpected failure and answered 500 to a client whose body was broken. */
  @Test
  void chunkedBodyWithABadChunkSize_isNoInternalError() throws Exception {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /v1/ads HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
      RawHttp.Response response = client.read();
      assertThat(response.status()).as("400 or closed").isIn(-1, 400);
    }
    assertThat(server.get("/metrics").body()).contains("\niklan_internal_errors_total 0\n");
  }

  private static RawHttp.Response raw(String request) throws Exception {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send(request.getBytes(StandardCharsets.ISO_8859_1));
      return client.read();
    }
  }
}
