package id.iklan.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves the ad tag from the jar. The script is read once; its ETag is a hash of its content, so
 * browsers revalidate cheaply and a new release is picked up without stale copies.
 */
final class ScriptHandler implements Handler<RoutingContext> {
  private final Buffer body;
  private final String etag;

  ScriptHandler(String resource) {
    byte[] bytes;
    try (InputStream in = ScriptHandler.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.body = Buffer.buffer(bytes);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      this.etag = "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader("ETag", etag)
        .putHeader("Cache-Control", "public, max-age=3600");
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8")
        .end(body);
  }
}
