package id.iklan.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One HTTP event loop. The server deploys one instance per core; they share the listening port.
 */
public final class HttpVerticle extends VerticleBase {
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
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout(60)
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024)
        .setDecompressionSupported(false);
    server = vertx.createHttpServer(options).requestHandler(HttpApi.router(vertx, context));
    return server.listen();
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
