package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.testing.ChildServer;
import java.io.IOException;
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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety (SPEC §5, §6) under a stream of writes: a real server in a child JVM takes rule
 * uploads and ad requests with impression beacons from two client threads and is killed with
 * SIGKILL at a random (seeded) moment: two chains of 15 kills run side by side, each on its own
 * data directory (30 kills in all; two at a time halves the wall time of the JVM starts). After
 * each restart:
 *
 * <ul>
 *   <li><b>Rules.</b> One writer sends {@code PUT}s one after another, so at most one is in
 *       flight when the kill comes. The live rules must be exactly the last acknowledged version
 *       (same number, same document), or the next number with the document of the one in-flight
 *       {@code PUT} (written, but its answer lost with the process). Anything else, an older
 *       version included, is a lost version.
 *   <li><b>Counters.</b> Served ads and impressions in the report must be at least what was
 *       counted before plus everything acknowledged more than one second before the kill, and at
 *       most what was counted before plus everything sent (no double counting).
 * </ul>
 */
final class CrashSafetyTest {
  private static final int CHAINS = 2;
  private static final int ITERATIONS = 15;
  private static final long SEED = 42L;
  private static final String TOKEN = "crash-admin-token";
  private static final Map<String, String> ENV =
      Map.of("IKLAN_ADMIN_TOKEN", TOKEN, "IKLAN_SECRET", "crash-test-secret-of-enough-length");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final String PAGE = """
      {"page": {"url": "https://kabarkita.contoh.id/nasional/1", "section": "nasional"},
       "slots": [{"id": "kotak", "sizes": [[300, 250]]}]}
      """;

  @TempDir Path dir;
  private final List<ChildServer> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    synchronized (children) {
      children.forEach(ChildServer::close);
    }
  }

  /** Rule set {@code k}: one untargeted campaign whose advertiser names {@code k}. */
  static String rules(long k) {
    return """
        {"campaigns": [
          {"id": "c-crash", "advertiser": "Versi %1$d", "tier": "standard", "cpm": %1$d,
           "start": "2020-01-01T00:00:00+07:00",
           "creatives": [{"id": "cr-crash", "format": "image", "size": [300, 250],
             "imageUrl": "https://cdn.contoh.id/crash.png",
             "clickUrl": "https://crash.contoh.id/%1$d"}]}
        ]}
        """.formatted(k);
  }

  @Test
  void kill9AtRandomMomentsDuringWrites_rulesAreAnAcknowledgedVersion_countsLoseAtMostOneSecond()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CHAINS);
    List<Future<Chain>> chains = new ArrayList<>();
    for (int c = 0; c < CHAINS; c++) {
      Path chainDir = Files.createDirectories(dir.resolve("chain-" + c));
      long seed = SEED + c;
      chains.add(pool.submit(() -> chain(chainDir, seed)));
    }
    pool.shutdown();
    List<String> failures = new ArrayList<>();
    int kills = 0;
    int versionsLost = 0;
    int nextVersionSeen = 0;
    long puts = 0;
    long beacons = 0;
    for (Future<Chain> f : chains) {
      Chain chain = f.get(10, TimeUnit.MINUTES);
      failures.addAll(chain.failures);
      kills += chain.kills;
      versionsLost += chain.versionsLost;
      nextVersionSeen += chain.nextVersionSeen;
      puts += chain.puts;
      beacons += chain.beacons;
    }
    System.out.printf("kill -9: %d iterations, %d acknowledged uploads, %d acknowledged "
        + "impressions; in-flight uploads found applied after restart: %d; rule versions lost: "
        + "%d%n", kills, puts, beacons, nextVersionSeen, versionsLost);
    assertThat(failures).isEmpty();
    assertThat(kills).isEqualTo(CHAINS * ITERATIONS);
    assertThat(versionsLost).isZero();
    assertThat(puts).as("acknowledged uploads over all runs").isGreaterThan(kills);
    assertThat(beacons).as("acknowledged impressions over all runs").isGreaterThan(kills);
  }

  /** What one chain of kills saw. */
  private static final class Chain {
    final List<String> failures = new ArrayList<>();
    int kills;
    int versionsLost;
    int nextVersionSeen;
    long puts;
    long beacons;
  }

  private Chain chain(Path dir, long seed) throws Exception {
    Path rulesFile = dir.resolve("seed.json");
    Files.writeString(rulesFile, rules(0), StandardCharsets.UTF_8);
    Path config = ChildServer.writeConfig(dir, rulesFile);
    Path data = dir.resolve("data");
    Random random = new Random(seed);
    Chain chain = new Chain();
    List<String> failures = chain.failures;

    long ackedVersion = 1;
    long ackedK = 0;
    Long inFlightK = null;
    long[] floor = {0, 0}; // served, impressions: what must be there
    long[] ceiling = {0, 0}; // what may be there

    for (int i = 0; i <= ITERATIONS; i++) {
      ChildServer server = ChildServer.start(config, data, ENV);
      synchronized (children) {
        children.add(server);
      }
      Client client = new Client(server);

      // Check what the previous run left.
      HttpResponse<String> live = client.get("/v1/admin/campaigns");
      long version = Long.parseLong(live.headers().firstValue("ETag").orElseThrow()
          .replace("\"", ""));
      JsonNode document = JSON.readTree(live.body());
      boolean isAcked = version == ackedVersion && document.equals(JSON.readTree(rules(ackedK)));
      boolean isInFlight = inFlightK != null && version == ackedVersion + 1
          && document.equals(JSON.readTree(rules(inFlightK)));
      if (!isAcked && !isInFlight) {
        chain.versionsLost++;
        failures.add(dir.getFileName() + " run " + i + ": live version " + version + " "
            + live.body() + " is neither acknowledged version " + ackedVersion + " (rules "
            + ackedK + ") nor the in-flight upload " + inFlightK);
      }
      if (isInFlight) {
        chain.nextVersionSeen++;
        ackedVersion = version;
        ackedK = inFlightK;
      }
      long[] counted = client.counts();
      for (int c = 0; c < 2; c++) {
        if (counted[c] < floor[c] || counted[c] > ceiling[c]) {
          failures.add(dir.getFileName() + " run " + i + ": " + (c == 0 ? "served"
              : "impressions") + " = " + counted[c] + ", expected " + floor[c] + ".."
              + ceiling[c]);
        }
      }
      if (i == ITERATIONS) {
        server.stop();
        break;
      }

      // Stream writes, then kill at a random moment.
      Stream stream = new Stream(client, ackedVersion, ackedK);
      stream.start(i);
      Thread.sleep(100 + random.nextInt(500));
      long killedAt = System.nanoTime();
      server.kill9();
      chain.kills++;
      stream.stop();
      ackedVersion = stream.ackedVersion;
      ackedK = stream.ackedK;
      inFlightK = stream.inFlightK;
      chain.puts += stream.puts;
      chain.beacons += stream.impressionsAcked;
      long[] before = stream.countedBefore(killedAt - SECOND);
      floor = new long[] {counted[0] + before[0], counted[1] + before[1]};
      ceiling = new long[] {counted[0] + stream.adsSent, counted[1] + stream.impressionsSent};
    }
    return chain;
  }

  /** The two client threads of one run, and what they saw acknowledged, with when. */
  private static final class Stream {
    final Client client;
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Long> adAcks = new ArrayList<>();
    final List<Long> impressionAcks = new ArrayList<>();
    volatile long ackedVersion;
    volatile long ackedK;
    volatile Long inFlightK;
    long puts;
    long adsSent;
    long impressionsSent;
    long impressionsAcked;
    private final List<Thread> threads = new ArrayList<>();

    Stream(Client client, long ackedVersion, long ackedK) {
      this.client = client;
      this.ackedVersion = ackedVersion;
      this.ackedK = ackedK;
    }

    /** Uploads rule sets {@code (run + 1) * 100000 + 1, + 2, ...}: unique over all runs. */
    void start(int run) {
      threads.add(new Thread(() -> {
        long k = (run + 1) * 100_000L;
        while (running.get()) {
          k++;
          inFlightK = k;
          try {
            HttpResponse<String> put = client.send("PUT", "/v1/admin/campaigns", rules(k));
            if (put.statusCode() != 200) {
              break; // the answer of a dying server; the upload may or may not have landed
            }
            ackedVersion = JSON.readTree(put.body()).path("version").asLong();
            ackedK = k;
            inFlightK = null;
            puts++;
          } catch (Exception e) {
            break; // killed: k stays in flight
          }
        }
      }, "crash-rules"));
      threads.add(new Thread(() -> {
        while (running.get()) {
          try {
            adsSent++;
            HttpResponse<String> ad = client.send("POST", "/v1/ads", PAGE);
            if (ad.statusCode() != 200) {
              break;
            }
            JsonNode slot = JSON.readTree(ad.body()).path("slots").path("kotak");
            synchronized (this) {
              adAcks.add(System.nanoTime());
            }
            URI imp = URI.create(slot.path("impressionUrl").asText());
            impressionsSent++;
            HttpResponse<String> beacon = client.get(imp.getRawPath() + "?" + imp.getRawQuery());
            if (beacon.statusCode() != 204) {
              break;
            }
            synchronized (this) {
              impressionAcks.add(System.nanoTime());
              impressionsAcked++;
            }
          } catch (Exception e) {
            break;
          }
        }
      }, "crash-beacons"));
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(15_000);
      }
    }

    /** Served ads and impressions acknowledged before {@code nanos}. */
    synchronized long[] countedBefore(long nanos) {
      return new long[] {adAcks.stream().filter(t -> t - nanos < 0).count(),
          impressionAcks.stream().filter(t -> t - nanos < 0).count()};
    }
  }

  private static final class Client {
    final ChildServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    Client(ChildServer server) {
      this.server = server;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return http.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + TOKEN).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body)
        throws IOException, InterruptedException {
      return http.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + TOKEN)
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Served ads and impressions in the report, yesterday to tomorrow. */
    long[] counts() throws Exception {
      LocalDate today = LocalDate.now(ZoneId.of("Asia/Jakarta"));
      HttpResponse<String> report = get("/v1/admin/report?from=" + today.minusDays(1) + "&to="
          + today.plusDays(1) + "&by=day");
      assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
      long[] sums = new long[2];
      for (JsonNode row : JSON.readTree(report.body()).path("rows")) {
        sums[0] += row.path("served").asLong();
        sums[1] += row.path("impressions").asLong();
      }
      return sums;
    }
  }
}
