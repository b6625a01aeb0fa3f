package id.iklan.scale;

import static id.iklan.scale.Deployment.ad;
import static id.iklan.scale.Deployment.admin;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Iklan servers in their own JVMs, one deployment on real PostgreSQL (a fresh database,
 * reached through a relay the test can cut) and a real Redis (the test's own): the same rules
 * everywhere within a second, caps that hold across servers, goals within the documented bound,
 * beacons counted once, and PostgreSQL going away and coming back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TwoServersTest {
  static final String RULES = """
      {"campaigns": [
        {"id": "c-cap", "advertiser": "Parfum Melati", "tier": "sponsorship", "cpm": 90000,
         "start": "2020-01-01T00:00:00+07:00", "frequencyCap": {"count": 2, "window": "PT1H"},
         "targeting": {"sections": {"include": ["gaya"]}},
         "creatives": [{"id": "cr-cap", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/melati.png", "clickUrl": "https://melati.contoh.id/"}]},
        {"id": "c-goal", "advertiser": "Sepatu Garuda", "tier": "sponsorship", "cpm": 80000,
         "start": "2020-01-01T00:00:00+07:00", "goal": {"impressions": 400},
         "targeting": {"sections": {"include": ["bola"]}},
         "creatives": [{"id": "cr-goal", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/garuda.png", "clickUrl": "https://garuda.contoh.id/"}]},
        {"id": "c-plain", "advertiser": "Kopi Senja", "tier": "remnant", "cpm": 1000,
         "start": "2020-01-01T00:00:00+07:00",
         "creatives": [{"id": "cr-plain", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/kopi.png", "clickUrl": "https://kopi.contoh.id/"}]}
      ]}
      """;

  @TempDir static Path dir;
  static TestDatabase database;
  static TcpProxy postgres;
  static RedisProcess redis;
  static Deployment deployment;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(RedisProcess.available(), "redis-server is not installed: scale tests skipped");
    database = TestDatabase.create();
    assumeTrue(database != null,
        "PostgreSQL is not reachable on 127.0.0.1:5432: scale tests skipped (.ci/run starts it)");
    postgres = new TcpProxy(5432);
    redis = RedisProcess.start(dir.resolve("redis"), false);
    String url = database.url().replace(":5432/", ":" + postgres.port() + "/");
    deployment = Deployment.start(dir, RULES, url, redis.url(2), 2);
  }

  @AfterAll
  static void stop() {
    if (deployment != null) {
      deployment.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test @Order(1)
  void write_onServerA_isLiveOnServerB_withinOneSecond() {
    ChildServer a = deployment.server(0);
    ChildServer b = deployment.server(1);
    long before = json(b.get("/health").body()).path("ruleVersion").asLong();

    HttpResponse<String> write = a.send("POST", "/v1/admin/campaigns", "application/json", """
        {"id": "c-new", "advertiser": "Bank Mandala", "tier": "sponsorship", "cpm": 95000,
         "start": "2020-01-01T00:00:00+07:00", "targeting": {"sections": {"include": ["ekonomi"]}},
         "creatives": [{"id": "cr-new", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/bank.png", "clickUrl": "https://bank.contoh.id/"}]}
        """, admin());
    long written = System.nanoTime();
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    long version = json(write.body()).path("version").asLong();
    assertThat(version).isEqualTo(before + 1);

    long seenAfterMs = -1;
    while (System.nanoTime() - written < 3_000_000_000L) {
      if (json(b.get("/health").body()).path("ruleVersion").asLong() == version) {
        seenAfterMs = (System.nanoTime() - written) / 1_000_000;
        break;
      }
      sleep(10);
    }
    assertThat(seenAfterMs).as("ms until server B serves version %d", version)
        .isBetween(0L, 1000L);
    assertThat(campaign(ad(b, page("ekonomi", null, 0)))).isEqualTo("c-new");
    assertThat(json(b.get("/v1/admin/versions", admin()).body()).path("current").asLong())
        .isEqualTo(version);
  }

  @Test @Order(2)
  void ifMatch_holdsAcrossServers() {
    ChildServer a = deployment.server(0);
    ChildServer b = deployment.server(1);
    String etag = a.get("/v1/admin/campaigns", admin()).headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> onB = b.send("DELETE", "/v1/admin/campaigns/c-new", null, null,
        "Authorization", "Bearer " + Deployment.ADMIN, "If-Match", etag);
    HttpResponse<String> onA = a.send("DELETE", "/v1/admin/campaigns/c-plain", null, null,
        "Authorization", "Bearer " + Deployment.ADMIN, "If-Match", etag);

    assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
    assertThat(onA.statusCode()).as("a write on A based on the version B replaced: %s",
        onA.body()).isEqualTo(412);
    assertThat(campaign(ad(a, page("umum", null, 0)))).as("c-plain is still live on A")
        .isEqualTo("c-plain");
  }

  /**
   * Caps hold across servers, and a slot whose capped campaign the other server's serves used up
   * goes to the next campaign (here the remnant {@code c-plain}) instead of staying empty: the
   * third request, on A, is decided with A's view of one serve, refused by Redis, and refilled.
   */
  @Test @Order(3)
  void readerCappedAt2_getsExactly2_acrossAlternatingServers_andTheOtherSlotsAreFilled() {
    List<String> served = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      served.add(campaign(ad(deployment.server(i % 2), page("gaya", "reader-1", 0))));
    }
    assertThat(served.stream().filter("c-cap"::equals).count()).isEqualTo(2);
    assertThat(served).as("no slot left empty by a refused cap").containsOnly("c-cap", "c-plain");

    // the same at once: 24 concurrent requests of one reader spread over both servers
    List<CompletableFuture<String>> burst = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ChildServer server = deployment.server(i % 2);
      burst.add(CompletableFuture.supplyAsync(
          () -> campaign(ad(server, page("gaya", "reader-2", 0)))));
    }
    List<String> answers = burst.stream().map(CompletableFuture::join).toList();
    assertThat(answers.stream().filter("c-cap"::equals).count()).isEqualTo(2);
    assertThat(answers).containsOnly("c-cap", "c-plain");
  }

  @Test @Order(4)
  void goalOfN_isServedAtMostNPlusTheDocumentedBound_acrossServers() throws Exception {
    int goal = 400;
    AtomicInteger served = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    AtomicLong lastServedAt = new AtomicLong();
    long started = System.nanoTime();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      ChildServer server = deployment.server(w % 2);
      workers.add(CompletableFuture.runAsync(() -> {
        long quietSince = System.nanoTime();
        // until no goal ad for 500 ms (the goal is reached everywhere), at most 20 s
        while (System.nanoTime() - quietSince < 500_000_000L
            && System.nanoTime() - started < 20_000_000_000L) {
          requests.incrementAndGet();
          if ("c-goal".equals(campaign(ad(server, page("bola", null, 0))))) {
            served.incrementAndGet();
            lastServedAt.set(System.nanoTime());
            quietSince = System.nanoTime();
          }
        }
      }));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    double seconds = (lastServedAt.get() - started) / 1e9;
    double ratePerSecond = served.get() / Math.max(seconds, 0.001);
    // docs/deployment.md: overshoot <= the campaign's serve rate over all servers
    // x (flush interval + refresh interval + one Redis round trip and any pause of a server,
    // taken as 100 ms on a shared CI machine)
    long bound = (long) Math.ceil(ratePerSecond
        * (Deployment.FLUSH_MS + Deployment.REFRESH_MS + 100) / 1000.0);

    System.out.printf("goal %d: served %d (overshoot %d, bound %d) at %.0f/s in %d requests%n",
        goal, served.get(), served.get() - goal, bound, ratePerSecond, requests.get());
    assertThat(served.get()).as("reaches the goal").isGreaterThanOrEqualTo(goal);
    assertThat((long) served.get()).as("goal %d + bound %d", goal, bound)
        .isLessThanOrEqualTo(goal + bound);
    sleep(3 * Deployment.FLUSH_MS);
    assertThat(Long.parseLong(redis.command(2, "GET iklan:served:c-goal")))
        .as("Redis counted every serve once").isEqualTo(served.get());
    assertThat(redis.command(0, "GET iklan:served:c-goal"))
        .as("the database index of the Redis URL is honoured").isNull();
  }

  @Test @Order(5)
  void beaconReplayedOnTheOtherServer_isCountedOnce() {
    ChildServer a = deployment.server(0);
    ChildServer b = deployment.server(1);
    JsonNode ad = ad(a, page("teknologi", null, 0));
    assertThat(campaign(ad)).isEqualTo("c-plain");
    String impression = pathOf(ad.path("impressionUrl").asText());
    String click = pathOf(ad.path("clickUrl").asText());

    assertThat(a.get(impression).statusCode()).isEqualTo(204);
    assertThat(b.get(impression).statusCode()).isEqualTo(204);
    assertThat(b.get(impression).statusCode()).isEqualTo(204);
    assertThat(b.get(click).statusCode()).isEqualTo(302);
    assertThat(a.get(click).statusCode()).isEqualTo(302);

    JsonNode row = null;
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < deadline) {
      row = reportRow(b, "c-plain");
      if (row != null && row.path("impressions").asLong() >= 1 && row.path("clicks").asLong() >= 1) {
        break;
      }
      sleep(50);
    }
    sleep(3 * Deployment.FLUSH_MS);
    for (ChildServer server : deployment.servers) {
      row = reportRow(server, "c-plain");
      assertThat(row).isNotNull();
      assertThat(row.path("impressions").asLong()).as("impressions in %s", row).isEqualTo(1);
      assertThat(row.path("clicks").asLong()).as("clicks in %s", row).isEqualTo(1);
    }
  }

  @Test @Order(6)
  void postgresUnreachable_serversServeTheirLastVersion_writesAre503_andRecoverByThemselves()
      throws Exception {
    ChildServer a = deployment.server(0);
    ChildServer b = deployment.server(1);
    long version = json(a.get("/health").body()).path("ruleVersion").asLong();
    postgres.cut();
    try {
      HttpResponse<String> write = a.send("DELETE", "/v1/admin/campaigns/c-plain", null, null,
          admin());
      assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
      assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(write.headers().firstValue("Retry-After")).isPresent();
      for (ChildServer server : deployment.servers) {
        assertThat(campaign(ad(server, page("teknologi", null, 0)))).isEqualTo("c-plain");
        JsonNode health = awaitHealth(server, "DEGRADED");
        assertThat(health.path("dependencies").path("postgres").asText()).isEqualTo("DOWN");
        assertThat(health.path("dependencies").path("redis").asText()).isEqualTo("UP");
        assertThat(health.path("ruleVersion").asLong()).isEqualTo(version);
      }
    } finally {
      postgres.open();
    }
    for (ChildServer server : deployment.servers) {
      awaitHealth(server, "UP");
    }
    HttpResponse<String> write = a.send("DELETE", "/v1/admin/campaigns/c-plain", null, null,
        admin());
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    long next = json(write.body()).path("version").asLong();
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (json(b.get("/health").body()).path("ruleVersion").asLong() != next
        && System.nanoTime() < deadline) {
      sleep(20);
    }
    assertThat(json(b.get("/health").body()).path("ruleVersion").asLong()).isEqualTo(next);
    assertThat(ad(b, page("teknologi", null, 0))).isNull();
  }

  private static JsonNode awaitHealth(ChildServer server, String status) {
    JsonNode health = null;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      health = json(server.get("/health").body());
      if (health.path("status").asText().equals(status)) {
        return health;
      }
      sleep(50);
    }
    throw new AssertionError("health never became " + status + ": " + health);
  }


  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
