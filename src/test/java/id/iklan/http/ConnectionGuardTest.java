package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.config.IklanConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients and overload (SPEC §7): a slowloris head or body is cut off within
 * {@code limits.requestTimeoutMs} while other readers keep being served; connections beyond
 * {@code limits.maxConnections} are closed at once; an ad request that waited past the first half
 * of its {@code tmax}, or that arrives while its event loop holds too many requests, is answered
 * at once with no fill and counted as shed.
 */
final class ConnectionGuardTest {
  private static final int TIMEOUT_MS = 1_000;
  /** An internasional page whose 728x90 slot the fixture always fills. */
  static final String PAGE = """
      {"page": {"url": "https://kabarkita.contoh.id/internasional/2026/11/18/berita",
                "section": "internasional"},
       "slots": [{"id": "atas", "sizes": [[728, 90]]}, {"id": "bawah", "sizes": [[320, 50]]}]%s}
      """;

  @TempDir Path dir;
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer start(int maxConnections, int maxInFlight) throws Exception {
    return start(maxConnections, maxInFlight, IklanConfig.Limits.DEFAULT.idleTimeoutSeconds());
  }

  private TestServer start(int maxConnections, int maxInFlight, int idleSeconds)
      throws Exception {
    IklanConfig base = TestServer.config(dir.resolve("data"),
        TestServer.writeRules(dir, Fixture.RULES));
    IklanConfig.Limits d = base.limits();
    server = TestServer.start(base.toBuilder().limits(new IklanConfig.Limits(maxConnections,
        TIMEOUT_MS, idleSeconds, maxInFlight, d.adminAuthFailuresPerMinute()))
        .build());
    return server;
  }

  @Test
  void slowloris_headOneBytePerTenthSecond_isCutOffWithinTheTimeoutWhileOthersAreServed()
      throws Exception {
    start(100, 100);
    byte[] head = RawHttp.request("POST", "/v1/ads", "application/json",
        page("").getBytes(StandardCharsets.UTF_8));
    AtomicBoolean slowDone = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RawHttp slow = RawHttp.connect(server.port())) {
      long opened = System.nanoTime();
      Future<Long> cut = pool.submit(() -> {
        try {
          for (int i = 0; i < head.length; i++) {
            slow.send(new byte[] {head[i]});
            Thread.sleep(100);
          }
          return -1L; // the whole head went through: not cut off
        } catch (java.io.IOException e) {
          return (System.nanoTime() - opened) / 1_000_000;
        } finally {
          slowDone.set(true);
        }
      });
      int served = 0;
      while (!slowDone.get()) {
        JsonNode answer = server.ads(page(""));
        assertThat(answer.path("slots").path("atas").path("campaignId").asText())
            .isEqualTo("c-maskapai-tokyo");
        served++;
        Thread.sleep(20);
      }
      long cutAfterMs = cut.get();
      // The server closes at the deadline; the client notices on its next write or two.
      assertThat(cutAfterMs).as("ms until the slow head was cut off").isBetween(
          (long) TIMEOUT_MS, TIMEOUT_MS + 1_000L);
      assertThat(served).as("ad answers to another client meanwhile").isGreaterThan(10);
    } finally {
      pool.shutdownNow();
    }
    assertThat(metric("iklan_connections_timed_out_total")).isEqualTo(1);
  }

  @Test
  void connectionThatNeverSendsAByte_isLeftToTheIdleTimeout_notTheRequestTimeout()
      throws Exception {
    start(100, 100, 2);
    try (RawHttp idle = RawHttp.connect(server.port(), "127.0.0.1", 5_000)) {
      long opened = System.nanoTime();
      assertThat(idle.closedByServer()).isTrue();
      // Pools and browsers open connections ahead of need: closing one at the request timeout
      // would race with its first request.
      assertThat((System.nanoTime() - opened) / 1_000_000).isBetween(2_000L - 50, 3_500L);
    }
  }

  @Test
  void slowBody_ofAnAdRequest_isCutOffWithinTheTimeoutOfItsHead() throws Exception {
    start(100, 100);
    byte[] body = page("").getBytes(StandardCharsets.UTF_8);
    try (RawHttp slow = RawHttp.connect(server.port(), "127.0.0.1", 5_000)) {
      slow.send(headOnly(body.length));
      long sent = System.nanoTime();
      slow.send(new byte[] {body[0]});
      assertThat(slow.closedByServer()).isTrue();
      assertThat((System.nanoTime() - sent) / 1_000_000).isBetween((long) TIMEOUT_MS - 50,
          TIMEOUT_MS + 1_000L);
    }
  }

  @Test
  void keepAliveConnection_idleLongerThanTheTimeoutStaysOpen_butASlowNextHeadIsCutOff()
      throws Exception {
    start(100, 100);
    byte[] request = RawHttp.request("POST", "/v1/ads", "application/json",
        page("").getBytes(StandardCharsets.UTF_8));
    try (RawHttp client = RawHttp.connect(server.port(), "127.0.0.1", 5_000)) {
      client.send(request);
      assertThat(client.read().status()).isEqualTo(200);
      // Idle between requests, the connection owes nothing (the idle timeout is 60 s): closing
      // it after the request timeout would race with a client reusing it just then.
      Thread.sleep(TIMEOUT_MS * 3 / 2);
      client.send(request);
      assertThat(client.read().status()).as("answered on the same connection").isEqualTo(200);
      client.send(java.util.Arrays.copyOf(request, 5)); // "POST " and then nothing more
      long firstByte = System.nanoTime();
      assertThat(client.closedByServer()).isTrue();
      assertThat((System.nanoTime() - firstByte) / 1_000_000).isBetween((long) TIMEOUT_MS - 50,
          TIMEOUT_MS + 1_000L);
    }
  }

  @Test
  void connectionsBeyondMaxConnections_areClosedAtOnce_andLaterOnesServedAgain()
      throws Exception {
    start(3, 100);
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(RawHttp.connect(server.port(), "127.0.0.1", 5_000));
      }
      Thread.sleep(100);
      try (RawHttp extra = RawHttp.connect(server.port(), "127.0.0.1", 500)) {
        long opened = System.nanoTime();
        assertThat(extra.closedByServer()).isTrue();
        assertThat((System.nanoTime() - opened) / 1_000_000).isLessThan(TIMEOUT_MS / 2);
      }
    } finally {
      for (RawHttp h : held) {
        h.close();
      }
    }
    Thread.sleep(100);
    assertThat(server.ads(page("")).path("slots").path("atas").isObject()).isTrue();
    assertThat(metric("iklan_connections_refused_total")).isEqualTo(1);
  }

  @Test
  void adRequest_thatWaitedPastHalfItsTmax_isAnsweredNoFillAndCountedAsShed() throws Exception {
    start(100, 100);
    assertThat(server.ads(page(", \"tmax\": 200")).path("slots").path("atas").isObject())
        .as("a prompt request with the same tmax is filled").isTrue();
    byte[] body = page(", \"tmax\": 200").getBytes(StandardCharsets.UTF_8);
    try (RawHttp late = RawHttp.connect(server.port())) {
      late.send(headOnly(body.length));
      late.send(java.util.Arrays.copyOf(body, 10));
      Thread.sleep(150); // past 100 ms, half of tmax, since the head arrived
      late.send(java.util.Arrays.copyOfRange(body, 10, body.length));
      RawHttp.Response response = late.read();
      assertThat(response.status()).isEqualTo(200);
      JsonNode slots = TestServer.JSON.readTree(response.body()).path("slots");
      assertThat(slots.path("atas").isNull()).isTrue();
      assertThat(slots.path("bawah").isNull()).isTrue();
    }
    assertThat(metric("iklan_ad_requests_shed_total")).isEqualTo(1);
  }

  @Test
  void adRequest_whileTheEventLoopHoldsMoreThanMaxInFlight_isShedAtOnce() throws Exception {
    start(100, 2);
    byte[] body = page("").getBytes(StandardCharsets.UTF_8);
    List<RawHttp> pending = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        RawHttp p = RawHttp.connect(server.port());
        p.send(headOnly(body.length)); // in flight: head read, body still to come
        pending.add(p);
      }
      Thread.sleep(100);
      long asked = System.nanoTime();
      JsonNode answer = server.ads(page(""));
      assertThat((System.nanoTime() - asked) / 1_000_000).isLessThan(TIMEOUT_MS / 2);
      assertThat(answer.path("slots").path("atas").isNull()).isTrue();
      assertThat(metric("iklan_ad_requests_shed_total")).isEqualTo(1);
      for (RawHttp p : pending) {
        p.send(body);
        assertThat(p.read().status()).isEqualTo(200);
      }
    } finally {
      for (RawHttp p : pending) {
        p.close();
      }
    }
    assertThat(server.ads(page("")).path("slots").path("atas").isObject())
        .as("served again once the loop holds fewer").isTrue();
  }

  private static byte[] headOnly(int contentLength) {
    return ("POST /v1/ads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  static String page(String extra) {
    return PAGE.formatted(extra);
  }

  private long metric(String name) {
    HttpResponse<String> response = server.get("/metrics");
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(
        response.body());
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
