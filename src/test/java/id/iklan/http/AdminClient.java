package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The admin API of a {@link TestServer} as ad ops call it: every request carries the admin
 * bearer token. Extra headers are given as name, value, name, ...
 */
final class AdminClient {
  static final String AUTHORIZATION = "Bearer " + TestServer.ADMIN_TOKEN;
  static final String CAMPAIGNS = "/v1/admin/campaigns";

  private final TestServer server;

  AdminClient(TestServer server) {
    this.server = server;
  }

  /** What the admin API shows of the live rules: the ETag, the rules and the history. */
  record Snapshot(String etag, String body, String versions) {}

  HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  HttpResponse<String> putJson(String body, String... headers) {
    return send("PUT", CAMPAIGNS, "application/json", body, headers);
  }

  HttpResponse<String> putCsv(String csv, String... headers) {
    return send("PUT", CAMPAIGNS, "text/csv; charset=utf-8", csv, headers);
  }

  HttpResponse<String> postJson(String body, String... headers) {
    return send("POST", CAMPAIGNS, "application/json", body, headers);
  }

  HttpResponse<String> delete(String pathAfterCampaigns, String... headers) {
    return send("DELETE", CAMPAIGNS + "/" + pathAfterCampaigns, null, null, headers);
  }

  HttpResponse<String> restore(String versionAndQuery, String... headers) {
    int query = versionAndQuery.indexOf('?');
    String path = query < 0
        ? "/v1/admin/versions/" + versionAndQuery + "/restore"
        : "/v1/admin/versions/" + versionAndQuery.substring(0, query) + "/restore"
            + versionAndQuery.substring(query);
    return send("POST", path, null, null, headers);
  }

  /** Any admin request; {@code body} null means none. */
  HttpResponse<String> send(String method, String path, String contentType, String body,
      String... headers) {
    HttpRequest.Builder b = server.request(path).header("Authorization", AUTHORIZATION)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return server.send(b.build());
  }

  /** Replaces the rules unconditionally; returns the new version. */
  long reset(String rulesJson) {
    return version(ok(putJson(rulesJson)));
  }

  Snapshot snapshot() {
    HttpResponse<String> campaigns = get(CAMPAIGNS);
    assertThat(campaigns.statusCode()).as("GET campaigns: %s", campaigns.body()).isEqualTo(200);
    HttpResponse<String> versions = get("/v1/admin/versions");
    assertThat(versions.statusCode()).isEqualTo(200);
    return new Snapshot(campaigns.headers().firstValue("ETag").orElseThrow(), campaigns.body(),
        versions.body());
  }

  /** Asserts that the admin API shows exactly {@code before}: same version, rules and history. */
  void assertUnchanged(Snapshot before) {
    Snapshot now = snapshot();
    assertThat(now.etag()).as("ETag").isEqualTo(before.etag());
    assertThat(now.body()).as("rules").isEqualTo(before.body());
    assertThat(now.versions()).as("versions").isEqualTo(before.versions());
  }

  /** Asserts a 200 JSON answer; returns its body. */
  static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return TestServer.parse(response);
  }

  /** The version in a write answer. */
  static long version(JsonNode writeAnswer) {
    assertThat(writeAnswer.path("version").isIntegralNumber()).as("version in %s", writeAnswer)
        .isTrue();
    return writeAnswer.path("version").asLong();
  }

  static String etag(long version) {
    return "\"" + version + "\"";
  }
}
