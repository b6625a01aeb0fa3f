package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.config.IklanConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed admin logins are rate-limited per client address: after
 * {@code limits.adminAuthFailuresPerMinute} wrong tokens, every admin request from that address
 * is {@code 429} with {@code Retry-After} (even with the right token, so guessing learns nothing),
 * and an explain from it is ignored; other addresses are not affected.
 */
final class AdminThrottleTest {
  private static final int LIMIT = 3;
  @TempDir static Path dir;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    IklanConfig base = TestServer.config(dir.resolve("data"),
        TestServer.writeRules(dir, Fixture.RULES));
    IklanConfig.Limits d = IklanConfig.Limits.DEFAULT;
    server = TestServer.start(base.toBuilder().limits(new IklanConfig.Limits(d.maxConnections(),
        d.requestTimeoutMs(), d.idleTimeoutSeconds(), d.maxInFlightPerLoop(), LIMIT)).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void wrongTokens_beyondTheLimit_are429ForThatAddressOnly() throws Exception {
    String from = "127.0.0.3";
    for (int i = 0; i < LIMIT; i++) {
      assertThat(get(from, "Bearer wrong-" + i).status()).as("failure %d", i).isEqualTo(401);
    }
    RawHttp.Response blocked = get(from, "Bearer wrong-again");
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(blocked.header("Content-Type")).startsWith("application/problem+json");
    assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(blocked.body()).contains("\"status\":429");

    assertThat(get(from, "Bearer " + TestServer.ADMIN_TOKEN).status())
        .as("the right token from a throttled address").isEqualTo(429);
    assertThat(get("127.0.0.4", "Bearer " + TestServer.ADMIN_TOKEN).status())
        .as("the right token from another address").isEqualTo(200);
    assertThat(get("127.0.0.4", "Bearer wrong").status())
        .as("a wrong token from another address").isEqualTo(401);
    assertThat(get("127.0.0.5", null).status())
        .as("no token at all guesses nothing and is not throttled").isEqualTo(401);
  }

  @Test
  void explain_fromAThrottledAddress_isIgnoredButTheAdsAreServed() throws Exception {
    String from = "127.0.0.6";
    for (int i = 0; i < LIMIT; i++) {
      assertThat(explain(from, "Bearer salah-" + i).has("explain")).isFalse();
    }
    JsonNode answer = explain(from, "Bearer " + TestServer.ADMIN_TOKEN);
    assertThat(answer.has("explain")).as("explain after %d failures", LIMIT).isFalse();
    assertThat(answer.path("slots").path("atas").isObject()).isTrue();
    assertThat(explain("127.0.0.7", "Bearer " + TestServer.ADMIN_TOKEN).has("explain")).isTrue();
  }

  private static RawHttp.Response get(String from, String authorization) throws Exception {
    try (RawHttp raw = RawHttp.connect(server.port(), from, 5_000)) {
      raw.send(authorization == null
          ? RawHttp.request("GET", "/v1/admin/versions", null, null, "Connection: close")
          : RawHttp.request("GET", "/v1/admin/versions", null, null, "Connection: close",
              "Authorization: " + authorization));
      return raw.read();
    }
  }

  private static JsonNode explain(String from, String authorization) throws Exception {
    byte[] body = ConnectionGuardTest.page(", \"explain\": true").getBytes(StandardCharsets.UTF_8);
    try (RawHttp raw = RawHttp.connect(server.port(), from, 5_000)) {
      raw.send(RawHttp.request("POST", "/v1/ads", "application/json", body, "Connection: close",
          "Authorization: " + authorization));
      RawHttp.Response response = raw.read();
      assertThat(response.status()).isEqualTo(200);
      return TestServer.JSON.readTree(response.body());
    }
  }
}
