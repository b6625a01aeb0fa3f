package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise of SPEC §6 with a real server process: {@code kill -9} loses at most
 * the last second, a clean stop (SIGTERM) loses nothing, and after either, served counts (goals),
 * frequency-cap history, the replay guard of beacons and the report continue where they were.
 */
final class RestartDurabilityTest {
  private static final String ADMIN = "durability-admin-token";
  private static final Pattern LISTENING = Pattern.compile("Iklan listening on port (\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

  private static final String RULES = """
      {"campaigns": [
        {"id": "c-goal", "advertiser": "Sepatu Bola Garuda", "tier": "standard", "cpm": 50000,
         "start": "2020-01-01T00:00:00+07:00", "goal": {"impressions": 3},
         "targeting": {"sections": {"include": ["bola"]}},
         "creatives": [{"id": "cr-goal", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/sepatu.png",
           "clickUrl": "https://sepatu.contoh.id/bola"}]},
        {"id": "c-bola-cadangan", "advertiser": "Toko Olahraga", "tier": "remnant", "cpm": 1000,
         "start": "2020-01-01T00:00:00+07:00",
         "targeting": {"sections": {"include": ["bola"]}},
         "creatives": [{"id": "cr-bola-cadangan", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/toko.png",
           "clickUrl": "https://toko.contoh.id/"}]},
        {"id": "c-capped", "advertiser": "Parfum Melati", "tier": "standard", "cpm": 40000,
         "start": "2020-01-01T00:00:00+07:00",
         "frequencyCap": {"count": 2, "window": "PT1H"},
         "targeting": {"sections": {"include": ["gaya"]}},
         "creatives": [{"id": "cr-capped", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/parfum.png",
           "clickUrl": "https://parfum.contoh.id/"}]},
        {"id": "h-gaya", "advertiser": "Kabar Kita", "tier": "house",
         "start": "2020-01-01T00:00:00+07:00",
         "targeting": {"sections": {"include": ["gaya"]}},
         "creatives": [{"id": "cr-gaya", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/kabar.png",
           "clickUrl": "https://kabarkita.contoh.id/"}]}
      ]}
      """;

  @TempDir Path dir;
  private final List<Child> children = new ArrayList<>();
  /** served, impressions, clicks per campaign, as this test counted them. */
  private final Map<String, long[]> tally = new TreeMap<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(c -> c.process.destroyForcibly());
  }

  @Test
  void restart_afterKill9AndAfterSigterm_countsGoalsCapsAndReplayGuardAreIntact()
      throws Exception {
    Path config = writeConfig();

    // Run 1: serve and beacon, wait two seconds (> one group commit), kill -9.
    Child first = start(config);
    JsonNode goal1 = first.serve("bola", null);
    JsonNode goal2 = first.serve("bola", null);
    JsonNode capped1 = first.serve("gaya", "pembaca-1");
    JsonNode capped2 = first.serve("gaya", "pembaca-1");
    JsonNode house1 = first.serve("gaya", "pembaca-1");
    assertThat(ids(goal1, goal2, capped1, capped2, house1))
        .containsExactly("c-goal", "c-goal", "c-capped", "c-capped", "h-gaya");
    for (JsonNode ad : List.of(goal1, goal2, capped1, house1)) {
      first.impression(ad);
    }
    first.impression(goal1);
    first.impression(goal1);
    first.click(goal1);
    first.click(goal1);
    first.click(capped1);
    assertThat(first.report()).isEqualTo(expected());
    Thread.sleep(2_000);
    first.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(first.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    // Run 2: everything is back; goals and caps continue; replays still count nothing.
    Child second = start(config);
    assertThat(second.report()).as("after kill -9").isEqualTo(expected());
    second.impression(goal1, false);
    second.click(goal1, false);
    assertThat(second.report()).as("replays after the restart").isEqualTo(expected());
    JsonNode goal3 = second.serve("bola", null);
    JsonNode afterGoal = second.serve("bola", null);
    JsonNode stillCapped = second.serve("gaya", "pembaca-1");
    JsonNode otherReader = second.serve("gaya", "pembaca-2");
    assertThat(ids(goal3, afterGoal, stillCapped, otherReader))
        .containsExactly("c-goal", "c-bola-cadangan", "h-gaya", "c-capped");
    second.impression(goal3);
    // The very last event, then a clean stop at once: nothing may be lost.
    second.click(otherReader);
    second.process.destroy();
    assertThat(second.process.waitFor(20, TimeUnit.SECONDS)).isTrue();

    // Run 3: the clean stop kept the last event too.
    Child third = start(config);
    assertThat(third.report()).as("after SIGTERM").isEqualTo(expected());
    assertThat(ids(third.serve("bola", null))).containsExactly("c-bola-cadangan");
    third.process.destroy();
    third.process.waitFor(20, TimeUnit.SECONDS);
  }

  // ---- the child server ----

  private Path writeConfig() throws IOException {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, RULES, StandardCharsets.UTF_8);
    Path config = dir.resolve("iklan.json");
    Files.writeString(config, """
        {"eventLoops": 1, "host": "127.0.0.1", "rules": "%s", "adminToken": "%s",
         "secret": "durability-secret-of-enough-length",
         "tmaxDefaultMs": 10000, "tmaxMaxMs": 10000}
        """.formatted(rules.toAbsolutePath().toString().replace("\\", "\\\\"), ADMIN),
        StandardCharsets.UTF_8);
    return config;
  }

  private Child start(Path config) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        "id.iklan.Main", "--config", config.toString(), "--port", "0",
        "--data-dir", dir.resolve("data").toString())
        .redirectErrorStream(true);
    Process process = builder.start();
    Child child = new Child(process);
    children.add(child);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          child.log.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      port.completeExceptionally(new IllegalStateException("the server ended before listening:\n"
          + String.join("\n", child.log)));
    }, "child-server-log");
    reader.setDaemon(true);
    reader.start();
    child.port = port.get(60, TimeUnit.SECONDS);
    return child;
  }

  private final class Child {
    final Process process;
    final List<String> log = new CopyOnWriteArrayList<>();
    int port;

    Child(Process process) {
      this.process = process;
    }

    /** One page with one 300x250 slot; tallies what it was served. */
    JsonNode serve(String section, String user) throws Exception {
      String body = "{\"page\": {\"url\": \"https://kabarkita.contoh.id/" + section + "/1\", "
          + "\"section\": \"" + section + "\"}, \"slots\": [{\"id\": \"kotak\", \"sizes\": "
          + "[[300, 250]]}]" + (user == null ? "" : ", \"user\": {\"id\": \"" + user + "\"}")
          + "}";
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/ads"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode ad = TestServer.JSON.readTree(response.body()).path("slots").path("kotak");
      if (ad.isObject()) {
        tally.computeIfAbsent(ad.path("campaignId").asText(), c -> new long[3])[0]++;
      }
      return ad;
    }

    void impression(JsonNode ad) throws Exception {
      impression(ad, true);
    }

    /** Fires the ad's impression URL; {@code first}: the first time it counts. */
    void impression(JsonNode ad, boolean countIfFirst) throws Exception {
      HttpResponse<String> response = send(HttpRequest.newBuilder(
          uri(TrackingEndpointsTest.path(ad.path("impressionUrl").asText()))).GET());
      assertThat(response.statusCode()).isEqualTo(204);
      beacon(ad, 1, countIfFirst);
    }

    void click(JsonNode ad) throws Exception {
      click(ad, true);
    }

    void click(JsonNode ad, boolean countIfFirst) throws Exception {
      HttpResponse<String> response = send(HttpRequest.newBuilder(
          uri(TrackingEndpointsTest.path(ad.path("clickUrl").asText()))).GET());
      assertThat(response.statusCode()).isEqualTo(302);
      beacon(ad, 2, countIfFirst);
    }

    private void beacon(JsonNode ad, int index, boolean countIfFirst) {
      String key = index + ad.path("impressionUrl").asText();
      if (countIfFirst && seen.add(key)) {
        tally.computeIfAbsent(ad.path("campaignId").asText(), c -> new long[3])[index]++;
      }
    }

    /** The report of yesterday to tomorrow (any clock edge is inside), by campaign. */
    Map<String, List<Long>> report() throws Exception {
      LocalDate today = LocalDate.now(ZoneId.of("Asia/Jakarta"));
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/admin/report?from="
          + today.minusDays(1) + "&to=" + today.plusDays(1) + "&by=campaign"))
          .header("Authorization", "Bearer " + ADMIN).GET());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Map<String, List<Long>> rows = new TreeMap<>();
      for (JsonNode row : TestServer.JSON.readTree(response.body()).path("rows")) {
        rows.put(row.path("campaign").asText(), List.of(row.path("served").asLong(),
            row.path("impressions").asLong(), row.path("clicks").asLong()));
      }
      return rows;
    }

    private URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
  }

  /** Beacons counted in any run, shared: a replay in a later run is not a first time. */
  private final java.util.Set<String> seen = new java.util.HashSet<>();

  /** The tally as report rows: campaign to [served, impressions, clicks]. */
  private Map<String, List<Long>> expected() {
    Map<String, List<Long>> rows = new TreeMap<>();
    tally.forEach((campaign, c) -> rows.put(campaign, List.of(c[0], c[1], c[2])));
    return rows;
  }

  private static List<String> ids(JsonNode... ads) {
    List<String> ids = new ArrayList<>();
    for (JsonNode ad : ads) {
      ids.add(ad.isObject() ? ad.path("campaignId").asText() : null);
    }
    return ids;
  }
}
