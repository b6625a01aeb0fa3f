package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules swapped under load (SPEC §5: a write "is live for the next ad request without a restart
 * and without a single failed or stalled ad request"). Rule set {@code k} has one campaign per
 * slot of the page, each id tagged with {@code k} ({@code v17-top}, {@code v17-side}, ...), and
 * nothing else that could fill a slot; so every answer must fill every slot from one and the
 * same {@code k}. A failed, empty, partly filled or mixed answer is caught.
 */
final class HotSwapTest {
  private static final int UPLOADS = 100;
  private static final int AD_CLIENTS = 4;
  private static final int EVENT_LOOPS = 3;
  private static final long STALL_MS = 2_000;
  private static final List<String> SLOTS = List.of("top", "side", "mid", "native");
  private static final Pattern TAGGED = Pattern.compile("v(\\d+)-([a-z]+)");

  private static final String PAGE = """
      {"page": {"url": "https://kabarkita.contoh.id/nasional/2026/11/18/berita",
                "section": "nasional"},
       "slots": [{"id": "top", "sizes": [[728, 90]]}, {"id": "side", "sizes": [[300, 600]]},
                 {"id": "mid", "sizes": [[300, 250]]}, {"id": "native", "formats": ["native"]}],
       "user": {"id": "pembaca-hotswap"}, "device": {"type": "desktop"}}
      """;

  @TempDir Path dir;

  /** Rule set {@code k}: one campaign per slot, every id tagged {@code v<k>-}. */
  static String rules(int k) {
    String flight = Fixture.FLIGHT;
    return """
        {"campaigns": [
          {"id": "v%1$d-top", "advertiser": "Atas %1$d", "tier": "standard", "cpm": %2$d, %3$s,
           "creatives": [{"id": "cr-v%1$d-top", "format": "image", "size": [728, 90],
             "imageUrl": "https://cdn.contoh.id/v%1$d-728.png",
             "clickUrl": "https://iklan.contoh.id/v%1$d/top"}]},
          {"id": "v%1$d-side", "advertiser": "Samping %1$d", "tier": "standard", "cpm": %2$d,
           %3$s,
           "creatives": [{"id": "cr-v%1$d-side", "format": "html", "size": [300, 600],
             "html": "<b>versi %1$d</b>", "clickUrl": "https://iklan.contoh.id/v%1$d/side"}]},
          {"id": "v%1$d-mid", "advertiser": "Tengah %1$d", "tier": "remnant", "cpm": 1, %3$s,
           "creatives": [{"id": "cr-v%1$d-mid", "format": "image", "size": [300, 250],
             "imageUrl": "https://cdn.contoh.id/v%1$d-300.png",
             "clickUrl": "https://iklan.contoh.id/v%1$d/mid"}]},
          {"id": "v%1$d-native", "advertiser": "Asli %1$d", "tier": "house", %3$s,
           "creatives": [{"id": "cr-v%1$d-native", "format": "native", "title": "Versi %1$d",
             "imageUrl": "https://cdn.contoh.id/v%1$d-thumb.png", "sponsor": "Asli %1$d",
             "clickUrl": "https://iklan.contoh.id/v%1$d/native"}]}
        ]}
        """.formatted(k, 1_000 + k, flight);
  }

  @Test
  void put_hundredRuleSetsUnderConcurrentAdRequests_everyAnswerIsOneWholeVersion()
      throws Exception {
    Path seed = TestServer.writeRules(dir, rules(0));
    try (TestServer server = TestServer.start(TestServer.withEventLoops(
        TestServer.config(dir.resolve("data"), seed), EVENT_LOOPS))) {
      AdminClient admin = new AdminClient(server);
      AtomicBoolean uploading = new AtomicBoolean(true);
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      Map<Integer, Boolean> seen = new ConcurrentHashMap<>();
      AtomicLong answers = new AtomicLong();
      AtomicLong slowestMs = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(AD_CLIENTS);
      List<Future<?>> clients = new ArrayList<>();
      try {
        for (int c = 0; c < AD_CLIENTS; c++) {
          clients.add(pool.submit(() -> adClient(server, uploading, failures, seen, answers,
              slowestMs)));
        }
        long previous = 1; // the seed, rule set 0
        for (int k = 1; k <= UPLOADS; k++) {
          HttpResponse<String> put = admin.putJson(rules(k));
          long version = AdminClient.version(AdminClient.ok(put));
          assertThat(version).as("version of upload %d", k).isGreaterThan(previous);
          previous = version;
          int served = versionOf(check(server.postAds(PAGE), failures));
          assertThat(served).as("the ad request right after upload %d acknowledged", k)
              .isEqualTo(k);
        }
      } finally {
        uploading.set(false);
        pool.shutdown();
      }
      for (Future<?> client : clients) {
        client.get(30, TimeUnit.SECONDS);
      }
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(failures).as("failed, partial or mixed answers").isEmpty();
      assertThat(answers.get()).as("ad answers during the uploads").isGreaterThan(UPLOADS);
      assertThat(seen.keySet()).as("versions seen by the ad clients").hasSizeGreaterThan(5);
      assertThat(slowestMs.get()).as("slowest ad answer, ms").isLessThan(STALL_MS);
      assertThat(versionOf(server.ads(PAGE))).isEqualTo(UPLOADS);
    }
  }

  /** Sends ad requests back to back until the uploads end; a client never sees time go back. */
  private static void adClient(TestServer server, AtomicBoolean uploading, Queue<String> failures,
      Map<Integer, Boolean> seen, AtomicLong answers, AtomicLong slowestMs) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = server.request("/v1/ads").timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(PAGE, StandardCharsets.UTF_8)).build();
    int last = -1;
    boolean once = true;
    while (uploading.get() || once) {
      once = false;
      long started = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        failures.add("request failed: " + e);
        continue;
      }
      slowestMs.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
      answers.incrementAndGet();
      int k = versionOf(check(response, failures));
      if (k >= 0) {
        seen.put(k, Boolean.TRUE);
        if (k < last) {
          failures.add("version went back from " + last + " to " + k);
        }
        last = Math.max(last, k);
      }
    }
  }

  /**
   * Checks one answer: 200 JSON, exactly the four slots, each filled by the campaign of that slot
   * from one rule set. Returns the body, or null (after recording why) when it is not one whole
   * version.
   */
  private static JsonNode check(HttpResponse<String> response, Queue<String> failures) {
    if (response.statusCode() != 200) {
      failures.add("status " + response.statusCode() + ": " + response.body());
      return null;
    }
    JsonNode body;
    try {
      body = TestServer.JSON.readTree(response.body());
    } catch (Exception e) {
      failures.add("not JSON: " + response.body());
      return null;
    }
    JsonNode slots = body.path("slots");
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = slots.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    if (!names.equals(SLOTS)) {
      failures.add("slots " + names + " in " + body);
      return null;
    }
    Set<String> versions = new HashSet<>();
    for (String slot : SLOTS) {
      JsonNode ad = slots.get(slot);
      Matcher m = ad == null || ad.isNull() ? null
          : TAGGED.matcher(ad.path("campaignId").asText());
      if (m == null || !m.matches() || !m.group(2).equals(slot)
          || !ad.path("creativeId").asText().equals("cr-" + ad.path("campaignId").asText())
          || !ad.path("clickUrl").asText().contains("/v1/click?t=")) {
        failures.add("slot " + slot + " is not its campaign of one version: " + body);
        return null;
      }
      versions.add(m.group(1));
    }
    if (versions.size() != 1) {
      failures.add("versions mixed in one answer " + versions + ": " + body);
      return null;
    }
    return body;
  }

  /** The k of an answer {@link #check} accepted, or -1. */
  private static int versionOf(JsonNode body) {
    if (body == null) {
      return -1;
    }
    Matcher m = TAGGED.matcher(body.path("slots").path("top").path("campaignId").asText());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
