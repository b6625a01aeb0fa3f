package id.iklan.load;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The physical limit of the HTTP stack on this machine: a plain Vert.x 5 server, one verticle per
 * core on one shared port, with the same {@link HttpServerOptions} as Iklan's
 * {@code HttpVerticle}, that answers {@code POST /v1/ads} by reading the whole body and ending
 * with a fixed JSON body of the typical response size. No routing, no parsing, no decision.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar id.iklan.load.BareServer --port 8081 --response-bytes 1800
 * java -cp benchmarks/target/benchmarks.jar id.iklan.load.BareServer --port 8081 --response-file r.json
 * </pre>
 *
 * {@code GET /health} answers 200 so that a runner can wait for it. It runs until killed.
 */
public final class BareServer extends VerticleBase {
  private final String host;
  private final int port;
  private final Buffer response;

  BareServer(String host, int port, Buffer response) {
    this.host = host;
    this.port = port;
    this.response = response;
  }

  public static void main(String[] args) throws Exception {
    Args a;
    try {
      a = Args.parse(args, Set.of("--host", "--port", "--response-bytes", "--response-file",
          "--instances"), Set.of());
    } catch (IllegalArgumentException e) {
      System.err.println("BareServer: " + e.getMessage());
      System.err.println("usage: BareServer [--host 127.0.0.1] [--port 8081]"
          + " [--response-bytes 1024 | --response-file FILE] [--instances CPUS]");
      System.exit(2);
      return;
    }
    String host = a.text("--host", "127.0.0.1");
    int port = a.integer("--port", 8081);
    int instances = a.integer("--instances", Runtime.getRuntime().availableProcessors());
    byte[] body;
    if (a.has("--response-file")) {
      body = Files.readAllBytes(Path.of(a.required("--response-file")));
    } else {
      body = paddedJson(a.integer("--response-bytes", 1024));
    }
    Buffer response = Buffer.buffer(body);
    // the same transport as Iklan (epoll on Linux x86-64 and ARM64), so that the two differ
    // only in what Iklan does
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    CountDownLatch started = new CountDownLatch(1);
    vertx.deployVerticle(() -> new BareServer(host, port, response),
            new DeploymentOptions().setInstances(instances))
        .onComplete(ar -> {
          if (ar.failed()) {
            System.err.println("BareServer: " + ar.cause());
            System.exit(1);
          }
          System.out.printf(
              "BareServer listening on %s:%d, %d instances on %s, %d-byte responses%n", host,
              port, instances, vertx.isNativeTransportEnabled() ? "epoll" : "nio", body.length);
          started.countDown();
        });
    started.await();
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout(60)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setDecompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
    return vertx.createHttpServer(options).requestHandler(this::handle).listen();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.POST && request.path().equals("/v1/ads")) {
      request.body().onSuccess(body -> request.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(response));
    } else if (request.method() == HttpMethod.GET && request.path().equals("/health")) {
      request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  /** A JSON object of exactly {@code size} bytes (at least 12): {@code {"pad":"xxx…"}}. */
  static byte[] paddedJson(int size) {
    String prefix = "{\"pad\":\"";
    String suffix = "\"}";
    int fill = Math.max(0, size - prefix.length() - suffix.length());
    return (prefix + "x".repeat(fill) + suffix).getBytes(StandardCharsets.US_ASCII);
  }
}
