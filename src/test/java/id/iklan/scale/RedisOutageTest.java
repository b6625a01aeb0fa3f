package id.iklan.scale;

import static id.iklan.scale.Deployment.campaign;
import static id.iklan.scale.Deployment.json;
import static id.iklan.scale.Deployment.page;
import static id.iklan.scale.Deployment.pathOf;
import static id.iklan.scale.Deployment.reportRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.testing.ChildServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis killed ({@code kill -9}) and restarted while two servers are under load: no ad request
 * fails or misses its deadline, capped campaigns pause and come back, the servers report the
 * outage in {@code /health}, and once Redis is back every served ad and every impression of the
 * outage is counted, exactly once. The test's Redis writes an append-only file on every
 * command (as a production Redis should, docs/deployment.md), so the restart keeps what it
 * acknowledged; what the servers buffered meanwhile is theirs to deliver.
 */
final class RedisOutageTest {
  private static final int TMAX_MS = 300;
  /** A page that nothing fills (no creative is 1x1): warms up without counting anything. */
  private static final String WARM_UP = """
      {"page": {"url": "https://kabar.example/umum/0", "section": "umum"},
       "slots": [{"id": "s", "sizes": [[1, 1]]}], "user": {"id": "warm"}}
      """;

  @TempDir Path dir;

  @Test
  void redisKilledAndRestartedMidLoad_noFailedAdRequest_andCountsRecover() throws Exception {
    assumeTrue(RedisProcess.available(), "redis-server is not installed: scale tests skipped");
    try (TestDatabase database = TestDatabase.create()) {
      assumeTrue(database != null,
          "PostgreSQL is not reachable on 127.0.0.1:5432: scale tests skipped");
      try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"), true);
          Deployment deployment = Deployment.start(dir, TwoServersTest.RULES, database.url(),
              redis.url(0), 2)) {
        run(redis, deployment);
      }
    }
  }

  private void run(RedisProcess redis, Deployment deployment) throws Exception {
    for (int i = 0; i < 30; i++) { // warm both JVMs up: their first answers are slow to compile
      for (ChildServer server : deployment.servers) {
        server.send("POST", "/v1/ads", "application/json", WARM_UP);
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger plainServed = new AtomicInteger();
    AtomicInteger cappedServed = new AtomicInteger();
    AtomicInteger impressionsSent = new AtomicInteger();
    AtomicLong slowest = new AtomicLong();
    List<String> failures = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> perReader = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    AtomicBoolean down = new AtomicBoolean();
    List<Long> outageLatencies = new CopyOnWriteArrayList<>();
    for (int w = 0; w < 4; w++) {
      int worker = w;
      ChildServer server = deployment.server(w % 2);
      ChildServer other = deployment.server((w + 1) % 2);
      workers.add(CompletableFuture.runAsync(() -> {
        int i = 0;
        while (!stop.get()) {
          i++;
          boolean capped = i % 2 == 0;
          String reader = "reader-" + worker + "-" + (i / 6);
          String body = capped ? page("gaya", reader, TMAX_MS) : page("umum", null, TMAX_MS);
          long started = System.nanoTime();
          HttpResponse<String> response;
          try {
            response = server.send("POST", "/v1/ads", "application/json", body);
          } catch (RuntimeException e) {
            failures.add("request failed: " + e);
            continue;
          }
          long tookMs = (System.nanoTime() - started) / 1_000_000;
          slowest.accumulateAndGet(tookMs, Math::max);
          if (down.get()) {
            outageLatencies.add(tookMs);
          }
          requests.incrementAndGet();
          if (response.statusCode() != 200) {
            failures.add(response.statusCode() + " " + response.body());
            continue;
          }
          JsonNode ad = json(response.body()).path("slots").path("s");
          String campaign = ad.isObject() ? campaign(ad) : null;
          if ("c-plain".equals(campaign)) {
            plainServed.incrementAndGet();
            if (i % 3 == 0) { // a beacon for every third ad, on the other server
              HttpResponse<String> imp = other.get(pathOf(ad.path("impressionUrl").asText()));
              if (imp.statusCode() == 204) {
                impressionsSent.incrementAndGet();
              } else {
                failures.add("impression " + imp.statusCode());
              }
            }
          } else if ("c-cap".equals(campaign)) {
            cappedServed.incrementAndGet();
            perReader.computeIfAbsent(reader, r -> new AtomicInteger()).incrementAndGet();
          }
        }
      }));
    }

    sleep(1_000);
    int beforeKill = requests.get();
    redis.kill9();
    down.set(true);
    sleep(700);
    int cappedAtKill = cappedServed.get();
    for (ChildServer server : deployment.servers) {
      JsonNode health = json(server.get("/health").body());
      assertThat(health.path("status").asText()).as("health during the outage: %s", health)
          .isEqualTo("DEGRADED");
      assertThat(health.path("dependencies").path("redis").asText()).isEqualTo("DOWN");
    }
    sleep(800);
    int cappedDuringOutage = cappedServed.get() - cappedAtKill;
    int duringOutage = requests.get() - beforeKill;
    down.set(false);
    redis.start();
    sleep(1_500);
    stop.set(true);
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();

    List<Long> sorted = outageLatencies.stream().sorted().toList();
    long median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    System.out.printf("redis outage: %d requests (%d during the outage, median %d ms there), "
        + "slowest %d ms; c-plain %d, c-cap %d (%d while Redis was down), impressions %d%n",
        requests.get(), duringOutage, median, slowest.get(), plainServed.get(),
        cappedServed.get(), cappedDuringOutage, impressionsSent.get());
    assertThat(failures).as("failed ad requests").isEmpty();
    assertThat(duringOutage).as("requests answered while Redis was down").isPositive();
    // Each request asks for tmax 300 ms, which the server enforces; measured from the client
    // on a shared 2-core machine, only the typical answer and the absence of a hang are stable.
    assertThat(median).as("median answer while Redis was down, ms").isLessThan(TMAX_MS);
    assertThat(slowest.get()).as("slowest answer, ms").isLessThan(5_000L);
    assertThat(cappedDuringOutage).as("capped ads while Redis was down (after the first 700 ms)")
        .isZero();
    assertThat(perReader.values()).allSatisfy(n -> assertThat(n.get()).isLessThanOrEqualTo(2));

    for (ChildServer server : deployment.servers) {
      awaitHealthUp(server);
    }
    // every serve and beacon of the outage reaches Redis once it is back
    long deadline = System.nanoTime() + 5_000_000_000L;
    JsonNode row = null;
    while (System.nanoTime() < deadline) {
      row = reportRow(deployment.server(0), "c-plain");
      if (row != null && row.path("served").asLong() == plainServed.get()
          && row.path("impressions").asLong() == impressionsSent.get()) {
        break;
      }
      sleep(100);
    }
    sleep(300);
    row = reportRow(deployment.server(1), "c-plain");
    assertThat(row).isNotNull();
    assertThat(row.path("served").asLong()).as("served in the report").isEqualTo(plainServed.get());
    assertThat(row.path("impressions").asLong()).as("impressions in the report")
        .isEqualTo(impressionsSent.get());
    assertThat(Long.parseLong(redis.command("GET iklan:served:c-plain")))
        .as("the served total of c-plain").isEqualTo(plainServed.get());
    JsonNode cap = reportRow(deployment.server(1), "c-cap");
    assertThat(cap == null ? 0 : cap.path("served").asLong()).isEqualTo(cappedServed.get());
  }

  private static void awaitHealthUp(ChildServer server) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    JsonNode health = null;
    while (System.nanoTime() < deadline) {
      health = json(server.get("/health").body());
      if (health.path("status").asText().equals("UP")) {
        return;
      }
      sleep(50);
    }
    throw new AssertionError("health after Redis came back: " + health);
  }


  private static void sleep(long ms) {
    TwoServersTest.sleep(ms);
  }
}
