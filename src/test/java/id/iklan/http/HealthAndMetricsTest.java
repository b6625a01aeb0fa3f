package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /health} and {@code GET /metrics} (SPEC §7). */
final class HealthAndMetricsTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();

  @Test
  void health_rulesLoaded_is200WithRuleVersion() {
    HttpResponse<String> response = server.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = TestServer.parse(response);
    assertThat(body.path("ruleVersion").isIntegralNumber()).as("ruleVersion in %s", body).isTrue();
    assertThat(body.path("ruleVersion").asLong()).isPositive();
  }

  @Test
  void metrics_afterAdRequests_isPrometheusTextWithCountsFillLatencyAndVersion() {
    server.ads(Fixture.oneSlot("ekonomi", "kotak"));
    server.ads(Fixture.oneSlot("tidak-ada-iklan", "kotak"));

    HttpResponse<String> response = server.get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(response.body()).contains("iklan_ad_requests_total", "iklan_fill_rate",
        "iklan_decision_latency_seconds", "iklan_rule_version");
    assertThat(sample(response.body(), "iklan_ad_requests_total")).isGreaterThanOrEqualTo(2);
    assertThat(sample(response.body(), "iklan_fill_rate")).isBetween(0.0, 1.0);
    assertThat(sample(response.body(), "iklan_rule_version")).isPositive();
    assertThat(response.body()).containsPattern("iklan_decision_latency_seconds\\{quantile=");
  }

  @Test
  void metrics_countRequestsByRouteMethodAndStatus() {
    server.ads(Fixture.oneSlot("ekonomi", "kotak"));
    server.get("/tidak-ada");

    String body = server.get("/metrics").body();

    assertThat(body).containsPattern(
        "vertx_http_server_requests_total\\{[^}]*code=\"200\"[^}]*method=\"POST\"[^}]*"
            + "route=\"/v1/ads\"[^}]*\\} [1-9]");
    assertThat(body).containsPattern(
        "vertx_http_server_requests_total\\{[^}]*code=\"404\"[^}]*\\} [1-9]");
  }

  @Test
  void metrics_repeatedAd_isServedFromTheAdCacheAndCounted() {
    server.ads(Fixture.oneSlot("ekonomi", "kotak"));
    long hits = adCacheHits();

    JsonNode ad = server.ads(Fixture.oneSlot("ekonomi", "kotak")).path("slots").path("kotak");

    assertThat(ad.path("campaignId").isTextual()).as("a filled slot: %s", ad).isTrue();
    assertThat(adCacheHits() - hits).as("the second answer copied the cached ad").isEqualTo(1);
    assertThat(server.get("/metrics").body()).contains("iklan_cache_hit_rate{cache=\"ads\"}",
        "iklan_cache_entries{cache=\"ads\"}");
  }

  private static long adCacheHits() {
    Matcher m = Pattern.compile(
        "iklan_cache_requests_total\\{cache=\"ads\",result=\"hit\"} (\\d+)")
        .matcher(server.get("/metrics").body());
    assertThat(m.find()).as("ad cache hit counter in /metrics").isTrue();
    return Long.parseLong(m.group(1));
  }

  /** The value of the unlabelled sample {@code name}. */
  private static double sample(String text, String name) {
    return text.lines()
        .filter(line -> line.startsWith(name + " "))
        .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + " in\n" + text));
  }
}
