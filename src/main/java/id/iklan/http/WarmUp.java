package id.iklan.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The server's requests to itself before it says it is listening, so that the first readers'
 * requests do not pay for a cold JVM.
 *
 * <p><b>Why over HTTP.</b> Before this, the first ad request after a start took about 300 ms and
 * was answered with every slot {@code null}: loading the classes of Netty's HTTP codec, Vert.x
 * Web's router, the parser, the writer and HMAC signing spent its deadline (SPEC §7) before it
 * could be decided, and the second request, on the other event loop, took 60 ms. Running the
 * parts in-process would leave the HTTP path cold; sending real requests over loopback warms
 * exactly what a reader's request runs, on every event loop.
 *
 * <p><b>Counting nothing.</b> The requests carry a header with a key drawn at random at each
 * start and forgotten when the warm-up ends. {@code POST /v1/ads} decides such a request without
 * counting it ({@link id.iklan.selection.Selector#decide}: no goal, pacing, cap, event log or
 * report sees it) and leaves it out of Iklan's request, fill and latency metrics; Vert.x's
 * request counters by route and status, the ad cache's statistics and the connection gauge do
 * see them (a few hundred {@code 200}s of {@code /v1/ads} at each start). A reader's request
 * that arrives meanwhile lacks the key and is served and counted as always. While the warm-up
 * runs, {@code /health} answers {@code 503} {@code "STARTING"}, so a load balancer does not
 * send readers to a server that is still cold.
 *
 * <p>Bounded by rounds and by time: on a cold JVM the rounds take about a second, on a warm one
 * (a test suite starting servers one after another) a few milliseconds. No round starts after
 * the budget the server gives it, a round ends within a request's idle timeout (5 s), and the
 * warm-up ends at the latest 10 s after the budget, whatever happens.
 */
public final class WarmUp {
  static final String HEADER = "X-Iklan-Warm-Up";
  private static final long REQUEST_TIMEOUT_MS = 5_000;

  /** A request that fills the usual display sizes and a native slot, where rules allow. */
  private static final byte[] AD_REQUEST = ("{\"page\":{\"url\":\"https://warm.up.invalid/"
      + "nasional/pemanasan\",\"section\":\"nasional\",\"keywords\":[\"ekonomi\",\"olahraga\"]},"
      + "\"slots\":[{\"id\":\"atas\",\"sizes\":[[728,90],[970,250]]},"
      + "{\"id\":\"tengah\",\"sizes\":[[300,250]]},{\"id\":\"samping\",\"sizes\":[[300,600]]},"
      + "{\"id\":\"seluler\",\"sizes\":[[320,50],[320,100]]},"
      + "{\"id\":\"baca-juga\",\"formats\":[\"native\"]}],"
      + "\"user\":{\"id\":\"iklan-warm-up\"},\"device\":{\"type\":\"mobile\"}}")
      .getBytes(StandardCharsets.UTF_8);

  private volatile String key;

  /** A warm-up not yet run: its key is live until {@link #run} ends. */
  public WarmUp() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    key = HexFormat.of().formatHex(bytes);
  }

  /** A warm-up that is already over: no request is ever taken for one of its own. */
  public static WarmUp done() {
    WarmUp warmUp = new WarmUp();
    warmUp.key = null;
    return warmUp;
  }

  /** Whether the warm-up is still running. */
  boolean running() {
    return key != null;
  }

  /** Whether {@code request} is one of the warm-up's own. */
  boolean isOwn(HttpServerRequest request) {
    String own = key;
    return own != null && own.equals(request.getHeader(HEADER));
  }

  /**
   * Sends {@code rounds} rounds of requests over {@code connections} connections to the server
   * at {@code host}:{@code port} (an ad request on each), then ends the warm-up, whether they
   * succeeded or not: a warm-up that fails leaves the server as cold as before, not broken. It
   * stops early at the first round with a request that failed or was not answered {@code 200},
   * or once {@code budgetMillis} have passed; a round always settles (every request answered or
   * failed) before the key is forgotten, so no request of its own is counted. Only if a round
   * has not settled 10 s after the budget does the warm-up end without it.
   *
   * @return completes, never failed, with null when every round was answered, else with why
   *     the warm-up stopped early
   */
  public Future<String> run(Vertx vertx, String host, int port, int connections, int rounds,
      long budgetMillis) {
    String own = key;
    if (own == null) {
      return Future.succeededFuture();
    }
    // Every step is chained on the event loop, before any answer can arrive. Chained from the
    // thread that starts the server, an answer could arrive before the step reading its body
    // was attached; Vert.x 5.0 drops the body of an answer that has no handler yet (vert.x
    // issue 6038), and the warm-up waited for it until the start gave up after 30 s (one start
    // in a few dozen on PostgreSQL).
    Context context = vertx.getOrCreateContext();
    Promise<String> ended = Promise.promise();
    context.runOnContext(v -> {
      // Should an answer still be lost some other way, the server starts anyway; a request of
      // the warm-up's that arrives later is then counted as a reader's.
      long lastChance = budgetMillis + 2 * REQUEST_TIMEOUT_MS;
      long timer = vertx.setTimer(lastChance, t -> {
        if (ended.tryComplete("no answer within " + lastChance + " ms")) {
          key = null;
        }
      });
      rounds(vertx, own, host, port, connections, rounds, budgetMillis).onComplete(r -> {
        vertx.cancelTimer(timer);
        ended.tryComplete(r.result());
      });
    });
    return ended.future();
  }

  private Future<String> rounds(Vertx vertx, String own, String host, int port, int connections,
      int rounds, long budgetMillis) {
    long until = System.nanoTime() + budgetMillis * 1_000_000L;
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
        new PoolOptions().setHttp1MaxSize(connections));
    Buffer body = Buffer.buffer(AD_REQUEST);
    RequestOptions ads = new RequestOptions().setMethod(HttpMethod.POST).setHost(host)
        .setPort(port).setURI("/v1/ads").putHeader("Content-Type", "application/json")
        .putHeader(HEADER, own)
        .setIdleTimeout(REQUEST_TIMEOUT_MS); // a server it cannot reach ends the warm-up early
    // an IPv6 literal would go into the Host header without brackets, which the router refuses
    HostAndPort authority = HostAndPort.authority("localhost", port);
    Future<Void> all = Future.succeededFuture();
    for (int r = 0; r < rounds; r++) {
      all = all.compose(v -> System.nanoTime() - until > 0
          ? Future.failedFuture("it took longer than " + budgetMillis + " ms")
          : round(client, ads, authority, body, connections));
    }
    return all.<String>map(v -> null)
        .otherwise(e -> e.getMessage() == null ? e.toString() : e.getMessage())
        .eventually(() -> {
          key = null;
          return client.close();
        });
  }

  /** One request per connection; settles when every one has (not at the first failure). */
  private static Future<Void> round(HttpClient client, RequestOptions ads, HostAndPort authority,
      Buffer body, int connections) {
    List<Future<?>> answers = new ArrayList<>(connections);
    for (int c = 0; c < connections; c++) {
      // the body is asked for in the answer's own callback, never later
      answers.add(client.request(ads)
          .compose(req -> req.authority(authority).send(body)
              .compose(response -> response.body().compose(b -> response.statusCode() == 200
                  ? Future.succeededFuture()
                  : Future.failedFuture("an ad request was answered " + response.statusCode())))));
    }
    return Future.join(answers).mapEmpty();
  }
}
