package id.iklan.http;

import id.iklan.config.IklanConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One HTTP event loop. The server deploys one instance per core; they share the listening port.
 */
public final class HttpVerticle extends VerticleBase {
  /** Largest request head (request line and headers). */
  static final int MAX_HEADER_BYTES = 16 * 1024;
  /** Largest request line (method, path and query). */
  static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;

  private final ServerContext context;
  private final String host;
  private final int port;
  private HttpServer server;

  public HttpVerticle(ServerContext context, String host, int port) {
    this.context = context;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    IklanConfig.Limits limits = context.config().limits();
    ConnectionGuard guard = new ConnectionGuard(vertx, context.metrics(), limits);
    server = vertx.createHttpServer(options(host, port, limits))
        .connectionHandler(guard::onConnection)
        .invalidRequestHandler(Problems::invalidRequest)
        .requestHandler(HttpApi.router(vertx, context, guard));
    guard.start();
    return server.listen();
  }

  /**
   * The protocol limits (SPEC §7; docs/API.md#limits): small heads, no compression, no forms,
   * HTTP/1.1 only (no cleartext HTTP/2: one request per connection at a time is what the
   * connection guard reasons about, and a CDN in front speaks HTTP/2 to browsers anyway). No
   * WebSocket compression either: Iklan serves no WebSockets, and with it on (Vert.x's default)
   * every connection's pipeline carries Netty's extension handler, which every request and every
   * answer passes through.
   */
  static HttpServerOptions options(String host, int port, IklanConfig.Limits limits) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout(limits.idleTimeoutSeconds())
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
        .setMaxChunkSize(8 * 1024)
        .setMaxFormAttributeSize(8 * 1024)
        .setMaxFormFields(64)
        .setMaxFormBufferedBytes(8 * 1024)
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
