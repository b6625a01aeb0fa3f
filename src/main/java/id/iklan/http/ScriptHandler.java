package id.iklan.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the ad tag from the jar, at two addresses:
 * <ul>
 *   <li>{@code /iklan.js}, what publishers' pages load: cached for a short while
 *       ({@link #LATEST_CACHE}) and revalidated by {@code ETag}, so a new release reaches every
 *       page within minutes. Its {@code Content-Location} names the versioned address;</li>
 *   <li>{@code /iklan.<hash>.js}, the same bytes under a name that changes with them, cached for a
 *       year as {@code immutable}. The hash is the first 16 hex digits of the SHA-256 of the
 *       script. Another well-formed hash (a page that pinned an older release) is redirected to
 *       {@code /iklan.js}, so it keeps getting ads.</li>
 * </ul>
 * The script is read and gzipped once; a client that accepts gzip gets the compressed bytes.
 */
final class ScriptHandler {
  static final String LATEST_CACHE = "public, max-age=600, stale-while-revalidate=3600";
  static final String VERSIONED_CACHE = "public, max-age=31536000, immutable";
  /** Route pattern of the versioned address. */
  static final String VERSIONED_PATTERN = "/iklan\\.[0-9a-f]{16}\\.js";

  private final Buffer body;
  private final Buffer gzipped;
  private final String hash;

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
    this.gzipped = Buffer.buffer(gzip(bytes));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      this.hash = HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The versioned address of this release, e.g. {@code /iklan.0123456789abcdef.js}. */
  String versionedPath() {
    return "/iklan." + hash + ".js";
  }

  /** {@code GET /iklan.js}. */
  void latest(RoutingContext ctx) {
    ctx.response().putHeader("Content-Location", versionedPath());
    send(ctx, LATEST_CACHE);
  }

  /** {@code GET /iklan.<hash>.js}. */
  void versioned(RoutingContext ctx) {
    if (!ctx.request().path().equals(versionedPath())) {
      ctx.response()
          .setStatusCode(302)
          .putHeader("Location", "/iklan.js")
          .putHeader("Cache-Control", "no-cache")
          .end();
      return;
    }
    send(ctx, VERSIONED_CACHE);
  }

  private void send(RoutingContext ctx, String cacheControl) {
    boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
    // One strong ETag per encoding; either one revalidates, the script is the same.
    String etag = "\"" + hash + (gzip ? "-gz" : "") + "\"";
    ctx.response()
        .putHeader("ETag", etag)
        .putHeader("Cache-Control", cacheControl)
        .putHeader("Vary", "Accept-Encoding")
        .putHeader("X-Content-Type-Options", "nosniff");
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch != null && (ifNoneMatch.contains("\"" + hash + "\"")
        || ifNoneMatch.contains("\"" + hash + "-gz\"") || ifNoneMatch.trim().equals("*"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "text/javascript; charset=utf-8");
    if (gzip) {
      ctx.response().putHeader("Content-Encoding", "gzip").end(gzipped);
    } else {
      ctx.response().end(body);
    }
  }

  /** Whether {@code Accept-Encoding} names gzip (or {@code *}) without {@code q=0}. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] pieces = part.split(";");
      String coding = pieces[0].trim();
      if (!coding.equals("gzip") && !coding.equals("*")) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < pieces.length; i++) {
        String param = pieces[i].replace(" ", "");
        if (param.matches("q=0(\\.0{0,3})?")) {
          refused = true;
        }
      }
      return !refused;
    }
    return false;
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
    try (GZIPOutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
