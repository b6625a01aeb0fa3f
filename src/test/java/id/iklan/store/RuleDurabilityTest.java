package id.iklan.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.testing.ChildServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule writes survive the process (SPEC §5: "durable before it is acknowledged (it survives
 * {@code kill -9} right after the response)"), and a damaged newest version is skipped at start
 * with a warning in the log. Each test runs the real server in a child JVM and restarts it on the
 * same data directory.
 */
final class RuleDurabilityTest {
  private static final String TOKEN = "durability-admin-token";
  private static final Map<String, String> ENV =
      Map.of("IKLAN_ADMIN_TOKEN", TOKEN, "IKLAN_SECRET", "a-durability-test-secret-value");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<ChildServer> children = new ArrayList<>();

  /** A rule set of one untargeted 300x250 campaign, running from 2020 on without an end. */
  static String rules(String id) {
    return """
        {"campaigns": [
          {"id": "%1$s", "advertiser": "Pengiklan %1$s", "tier": "standard", "cpm": 10000,
           "start": "2020-01-01T00:00:00+07:00",
           "creatives": [{"id": "cr-%1$s", "format": "image", "size": [300, 250],
             "imageUrl": "https://cdn.contoh.id/%1$s.png",
             "clickUrl": "https://%1$s.contoh.id/"}]}
        ]}
        """.formatted(id);
  }

  @AfterEach
  void killChildren() {
    children.forEach(ChildServer::close);
  }

  @Test
  void put_acknowledgedThenKill9_newVersionIsLiveAfterRestart() throws Exception {
    Path config = config(rules("c-lama"));
    Path data = dir.resolve("data");
    ChildServer first = start(config, data);
    assertThat(first.get("/v1/admin/campaigns", auth()).headers().firstValue("ETag"))
        .hasValue("\"1\"");

    HttpResponse<String> put = first.send("PUT", "/v1/admin/campaigns", "application/json",
        rules("c-baru"), auth());
    first.kill9();

    assertThat(put.statusCode()).as("PUT answered %s", put.body()).isEqualTo(200);
    assertThat(JSON.readTree(put.body()).path("version").asLong()).isEqualTo(2);
    assertThat(first.isAlive()).isFalse();
    assertThat(first.logLinesContaining("shutting down"))
        .as("SIGKILL runs no shutdown hook").isEmpty();

    ChildServer second = start(config, data);
    HttpResponse<String> campaigns = second.get("/v1/admin/campaigns", auth());
    assertThat(campaigns.statusCode()).isEqualTo(200);
    assertThat(campaigns.headers().firstValue("ETag")).hasValue("\"2\"");
    assertThat(JSON.readTree(campaigns.body())).isEqualTo(JSON.readTree(rules("c-baru")));
    assertThat(winner(second)).isEqualTo("c-baru");
    JsonNode versions = JSON.readTree(second.get("/v1/admin/versions", auth()).body());
    assertThat(versions.path("current").asLong()).isEqualTo(2);
    assertThat(versions.path("versions").get(0).path("action").asText()).isEqualTo("replace");
  }

  @Test
  void start_newestVersionFileTruncated_servesThePreviousVersionAndSaysSoInLog()
      throws Exception {
    Path config = config(rules("c-lama"));
    Path data = dir.resolve("data");
    ChildServer first = start(config, data);
    HttpResponse<String> put = first.send("PUT", "/v1/admin/campaigns", "application/json",
        rules("c-baru"), auth());
    assertThat(put.statusCode()).as("PUT answered %s", put.body()).isEqualTo(200);
    assertThat(winner(first)).isEqualTo("c-baru");
    first.stop();

    Path newest = data.resolve("rules").resolve("v0000000002.json");
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));

    ChildServer second = start(config, data);
    assertThat(second.logLinesContaining("v0000000002.json", "skipped"))
        .as("log of the restart:%n%s", String.join("\n", second.logLines())).hasSize(1);
    HttpResponse<String> campaigns = second.get("/v1/admin/campaigns", auth());
    assertThat(campaigns.headers().firstValue("ETag")).hasValue("\"1\"");
    assertThat(JSON.readTree(campaigns.body())).isEqualTo(JSON.readTree(rules("c-lama")));
    assertThat(winner(second)).isEqualTo("c-lama");
    assertThat(second.get("/health").body()).contains("\"ruleVersion\":1");

    HttpResponse<String> next = second.send("PUT", "/v1/admin/campaigns", "application/json",
        rules("c-ketiga"), auth());
    assertThat(JSON.readTree(next.body()).path("version").asLong())
        .as("a new version never reuses the number of the damaged file").isEqualTo(3);
  }

  private ChildServer start(Path config, Path data) throws IOException {
    ChildServer child = ChildServer.start(config, data, ENV);
    children.add(child);
    return child;
  }

  private Path config(String seedRules) throws IOException {
    Path rules = dir.resolve("seed-rules.json");
    Files.writeString(rules, seedRules, StandardCharsets.UTF_8);
    return ChildServer.writeConfig(dir, rules);
  }

  private static String[] auth() {
    return new String[] {"Authorization", "Bearer " + TOKEN};
  }

  /** The campaign that fills one 300x250 slot of a nasional page. */
  private static String winner(ChildServer server) throws IOException {
    HttpResponse<String> response = server.send("POST", "/v1/ads", "application/json", """
        {"page": {"url": "https://kabarkita.contoh.id/nasional/berita", "section": "nasional"},
         "slots": [{"id": "kotak", "sizes": [[300, 250]]}]}
        """);
    assertThat(response.statusCode()).as("ads: %s", response.body()).isEqualTo(200);
    JsonNode ad = JSON.readTree(response.body()).path("slots").path("kotak");
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }
}
