package id.iklan.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.testing.ChildServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Iklan servers in their own JVMs that share one PostgreSQL database and one Redis: one
 * deployment, as docs/deployment.md runs it. Flush and refresh intervals are those of the
 * shipped defaults or shorter, so tests run fast; everything else is the default.
 */
final class Deployment implements AutoCloseable {
  static final String ADMIN = "scale-admin-token";
  static final String SECRET = "a-scale-test-secret-of-enough-length";
  static final int FLUSH_MS = 100;
  static final int REFRESH_MS = 100;
  static final ObjectMapper JSON = new ObjectMapper();

  final List<ChildServer> servers;

  private Deployment(List<ChildServer> servers) {
    this.servers = servers;
  }

  /** Starts {@code count} servers together (in parallel: a JVM start is the slow part). */
  static Deployment start(Path dir, String rulesJson, String postgresUrl, String redisUrl,
      int count) throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, rulesJson, StandardCharsets.UTF_8);
    Path config = dir.resolve("iklan-scale.json");
    Files.writeString(config, """
        {"port": 0, "eventLoops": 1, "rules": "%s", "tmaxDefaultMs": 10000, "tmaxMaxMs": 10000,
         "shared": {"flushIntervalMs": %d, "refreshIntervalMs": %d, "rulePollIntervalMs": 500}}
        """.formatted(rules.toAbsolutePath().toString().replace("\\", "\\\\"), FLUSH_MS,
        REFRESH_MS), StandardCharsets.UTF_8);
    Map<String, String> env = Map.of("IKLAN_ADMIN_TOKEN", ADMIN, "IKLAN_SECRET", SECRET,
        "IKLAN_POSTGRES_URL", postgresUrl, "IKLAN_REDIS_URL", redisUrl);
    List<CompletableFuture<ChildServer>> starting = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path data = dir.resolve("data-" + i);
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return ChildServer.start(config, data, env);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    List<ChildServer> servers = new ArrayList<>();
    try {
      for (CompletableFuture<ChildServer> s : starting) {
        servers.add(s.join());
      }
    } catch (RuntimeException e) {
      servers.forEach(ChildServer::close);
      starting.forEach(s -> s.thenAccept(ChildServer::close));
      throw e;
    }
    return new Deployment(servers);
  }

  ChildServer server(int i) {
    return servers.get(i);
  }

  static String page(String section, String user, int tmaxMs) {
    return """
        {"page": {"url": "https://kabar.example/%s/1", "section": "%s"},
         "slots": [{"id": "s", "sizes": [[300, 250]]}]%s%s}
        """.formatted(section, section, user == null ? "" : ", \"user\": {\"id\": \"" + user
        + "\"}", tmaxMs > 0 ? ", \"tmax\": " + tmaxMs : "");
  }

  /** The ad of slot {@code s}, or null; the request must answer 200. */
  static JsonNode ad(ChildServer server, String body) {
    HttpResponse<String> response = server.send("POST", "/v1/ads", "application/json", body);
    assertThat(response.statusCode()).as("ad request: %s", response.body()).isEqualTo(200);
    JsonNode slot = json(response.body()).path("slots").path("s");
    return slot.isNull() || slot.isMissingNode() ? null : slot;
  }

  static String campaign(JsonNode ad) {
    return ad == null ? null : ad.path("campaignId").asText();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** The report row of one campaign on one server, or null (none yet, or no report). */
  static JsonNode reportRow(ChildServer server, String campaign) {
    HttpResponse<String> report = server.get("/v1/admin/report?by=campaign", admin());
    if (report.statusCode() != 200) {
      return null;
    }
    for (JsonNode row : json(report.body()).path("rows")) {
      if (row.path("campaign").asText().equals(campaign)) {
        return row;
      }
    }
    return null;
  }

  /** A tracking link's path and query, to send to any server of the deployment. */
  static String pathOf(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }

  static String[] admin() {
    return new String[] {"Authorization", "Bearer " + ADMIN};
  }

  @Override
  public void close() {
    servers.forEach(ChildServer::close);
  }
}
