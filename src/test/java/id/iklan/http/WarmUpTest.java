package id.iklan.http;

import static id.iklan.http.TestServer.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server sends itself ad requests before it says it is listening ({@link WarmUp}), and they
 * count nothing: a campaign with a goal of one impression that would win every warm-up slot is
 * still there for the first reader, no report row or Iklan metric shows the warm-up, and
 * {@code /health} says {@code UP} once it is over.
 */
final class WarmUpTest {
  private static final String RULES = """
      {"campaigns": [
        {"id": "c-satu-tayang", "advertiser": "Kopi Senja", "tier": "sponsorship", "cpm": 90000,
         "start": "2026-11-01T00:00:00+07:00", "goal": {"impressions": 1},
         "creatives": [
           {"id": "cr-kotak", "format": "image", "size": [300, 250],
            "imageUrl": "https://cdn.contoh.id/kopi-300.png", "clickUrl": "https://kopi.contoh.id/"},
           {"id": "cr-leaderboard", "format": "image", "size": [728, 90],
            "imageUrl": "https://cdn.contoh.id/kopi-728.png", "clickUrl": "https://kopi.contoh.id/"}]},
        {"id": "c-rumah", "advertiser": "Kabar Kita", "tier": "house",
         "start": "2026-11-01T00:00:00+07:00",
         "creatives": [
           {"id": "cr-rumah", "format": "image", "size": [300, 250],
            "imageUrl": "https://cdn.contoh.id/rumah.png", "clickUrl": "https://kabarkita.contoh.id/"}]}
      ]}
      """;

  @TempDir static Path dir;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.config(dir.resolve("data"),
        TestServer.writeRules(dir, RULES)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void warmUp_sendsRequestsButCountsNothing_soAGoalOfOneIsLeftForTheFirstReader() {
    String metrics = server.get("/metrics").body();
    assertThat(counter(metrics, "vertx_http_server_requests_total\\{code=\"200\","
        + "method=\"POST\",route=\"/v1/ads\"\\}")).as("the warm-up's own requests").isPositive();
    assertThat(counter(metrics, "iklan_ad_requests_total")).isZero();
    assertThat(counter(metrics, "iklan_slots_requested_total")).isZero();
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    assertThat(TestServer.parse(server.get("/health")).path("status").asText()).isEqualTo("UP");
    JsonNode report = TestServer.parse(server.get("/v1/admin/report?by=campaign",
        "Authorization", "Bearer " + ADMIN_TOKEN));
    assertThat(report.path("rows")).as("report before any reader").isEmpty();

    JsonNode first = server.ads(Fixture.oneSlot("nasional", "kotak"));
    JsonNode second = server.ads(Fixture.oneSlot("nasional", "kotak"));

    assertThat(first.path("slots").path("kotak").path("campaignId").asText())
        .isEqualTo("c-satu-tayang");
    assertThat(second.path("slots").path("kotak").path("campaignId").asText())
        .as("the goal of one was reached by the first reader").isEqualTo("c-rumah");
    assertThat(counter(server.get("/metrics").body(), "iklan_ad_requests_total")).isEqualTo(2);

    server.postAds(Fixture.oneSlot("ekonomi", "kotak"), WarmUp.HEADER, "a-guessed-key");
    assertThat(counter(server.get("/metrics").body(), "iklan_ad_requests_total"))
        .as("a reader's request that carries the header is counted").isEqualTo(3);
  }

  /**
   * A warm-up that cannot reach its server (nothing listens, or a peer that never answers) ends,
   * successfully and within its request timeout, and the server starts cold rather than not at all.
   */
  @Test
  void warmUp_serverUnreachableOrSilent_endsAndStopsMarkingRequests() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      int closedPort;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        closedPort = s.getLocalPort();
      }
      for (int port : new int[] {closedPort, silent.getLocalPort()}) {
        WarmUp warmUp = new WarmUp();
        assertThat(warmUp.running()).isTrue();
        long started = System.nanoTime();

        String stoppedEarly = warmUp.run(vertx, "127.0.0.1", port, 2, 40, 60_000)
            .toCompletionStage().toCompletableFuture()
            .get(20, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(stoppedEarly).as("port %d", port).isNotBlank();
        assertThat(warmUp.running()).as("port %d", port).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(15_000_000_000L);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Answers other than 200, or a budget used up, end the warm-up early, saying why. */
  @Test
  void warmUp_refusedOrTooSlow_stopsEarlySayingWhy() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpServer refusing = vertx.createHttpServer()
          .requestHandler(request -> request.response().setStatusCode(404).end())
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
      io.vertx.core.http.HttpServer slow = vertx.createHttpServer()
          .requestHandler(request -> vertx.setTimer(200, t -> request.response().end("{}")))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();

      String refused = new WarmUp().run(vertx, "127.0.0.1", refusing.actualPort(), 2, 40, 60_000)
          .toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
      long started = System.nanoTime();
      String tooSlow = new WarmUp().run(vertx, "127.0.0.1", slow.actualPort(), 2, 40, 500)
          .toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(refused).contains("404");
      assertThat(tooSlow).contains("longer than 500 ms");
      assertThat(System.nanoTime() - started).as("40 rounds of 200 ms would take 8 s")
          .isLessThan(3_000_000_000L);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static final String ANSWER = "{\"pad\":\"" + "x".repeat(6000) + "\"}";

  /**
   * Started from a thread outside Vert.x, as {@code IklanServer.start} does, the warm-up chained
   * its steps from that thread; when an answer arrived before the step reading its body was
   * attached (the starting thread descheduled for a moment), Vert.x dropped the body and the
   * warm-up waited for it until the start gave up after 30 s. A race, made likelier here by
   * threads that keep both CPUs busy and by eight connections per round; it cannot be forced.
   */
  @Test
  void warmUp_startedOutsideVertx_neverLosesAnAnswer() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    for (int t = 0; t < 2; t++) {
      Thread spinner = new Thread(() -> {
        while (busy.get()) {
          Thread.onSpinWait();
        }
      }, "warm-up-test-spinner-" + t);
      spinner.setDaemon(true);
      spinner.start();
    }
    try {
      io.vertx.core.http.HttpServer fast = vertx.createHttpServer()
          .requestHandler(request -> request.body().onSuccess(b -> request.response().end(ANSWER)))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();

      for (int start = 0; start < STARTS; start++) {
        java.util.concurrent.CompletableFuture<String> warmUp =
            new WarmUp().run(vertx, "127.0.0.1", fast.actualPort(), 8, 1, 60_000)
                .toCompletionStage().toCompletableFuture();

        assertThat(warmUp).as("start %d", start)
            .succeedsWithin(java.time.Duration.ofSeconds(10)).isNull();
      }
    } finally {
      busy.set(false);
      vertx.close().toCompletionStage().toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static final int STARTS = 600;

  private static double counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
