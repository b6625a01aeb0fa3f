package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** By default a publisher's page on any origin may call {@code /v1/ads} (SPEC §7). */
final class CorsTest {
  static final String ORIGIN = "https://news.example.id";

  @RegisterExtension static final TestServer server = TestServer.fixture();

  static HttpResponse<String> preflight(TestServer server, String origin) {
    return server.send(server.request("/v1/ads")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .build());
  }

  @Test
  void ads_preflightFromAnyOrigin_isAllowed() {
    HttpResponse<String> response = preflight(server, ORIGIN);

    assertThat(response.statusCode()).isBetween(200, 299);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValueSatisfying(v -> assertThat(v).isIn("*", ORIGIN));
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValueSatisfying(v -> assertThat(v).contains("POST"));
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValueSatisfying(v -> assertThat(v.toLowerCase()).contains("content-type"));
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials"))
        .isNotEqualTo(Optional.of("true"));
  }

  @Test
  void ads_postWithOrigin_getsAllowOrigin() {
    HttpResponse<String> response = server.postAds(Fixture.oneSlot("ekonomi", "kotak"),
        "Origin", "https://portal-lain.contoh.id");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValueSatisfying(v -> assertThat(v).isIn("*", "https://portal-lain.contoh.id"));
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials"))
        .isNotEqualTo(Optional.of("true"));
  }

  @Test
  void ads_badRequestWithOrigin_stillGetsAllowOriginSoThePageCanReadTheProblem() {
    HttpResponse<String> response = server.postAds("{}", "Origin", ORIGIN);

    TestServer.assertProblem(response, 400);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
  }

  @Test
  void health_sendsNoCorsHeaders() {
    HttpResponse<String> response = server.get("/health", "Origin", ORIGIN);

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
