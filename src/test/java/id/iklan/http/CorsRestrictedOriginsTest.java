package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configured list of origins narrows CORS to those origins (SPEC §7). */
final class CorsRestrictedOriginsTest {
  static final String ALLOWED = "https://news.example.id";
  static final String OTHER = "https://peniru.contoh.id";

  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    server = TestServer.start(TestServer.with(TestServer.config(dir.resolve("data"), rules),
        null, List.of(ALLOWED)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void ads_preflightFromConfiguredOrigin_isAllowedForThatOrigin() {
    HttpResponse<String> response = CorsTest.preflight(server, ALLOWED);

    assertThat(response.statusCode()).isBetween(200, 299);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
  }

  @Test
  void ads_postFromConfiguredOrigin_getsAllowOrigin() {
    HttpResponse<String> response =
        server.postAds(Fixture.oneSlot("ekonomi", "kotak"), "Origin", ALLOWED);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
  }

  @Test
  void ads_preflightFromOtherOrigin_getsNoAllowOrigin() {
    HttpResponse<String> response = CorsTest.preflight(server, OTHER);

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void ads_postFromOtherOrigin_getsNoAllowOrigin() {
    HttpResponse<String> response =
        server.postAds(Fixture.oneSlot("ekonomi", "kotak"), "Origin", OTHER);

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(response.statusCode()).isLessThan(500);
  }

  @Test
  void ads_postFromOtherOrigin_problemSaysHowToAllowTheOrigin() {
    HttpResponse<String> response =
        server.postAds(Fixture.oneSlot("ekonomi", "kotak"), "Origin", OTHER);

    TestServer.assertProblem(response, 403);
    assertThat(TestServer.parse(response).path("detail").asText()).contains("corsOrigins");
  }
}
