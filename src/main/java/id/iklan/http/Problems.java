package id.iklan.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import id.iklan.metrics.ServerMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every error as RFC 9457 {@code application/problem+json}, and is the router's one
 * failure handler: whatever went wrong, the client gets a problem document, never a stack trace;
 * unexpected failures are logged here with their cause and answered with a generic 500.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private final ObjectWriter writer;
  private final ServerMetrics metrics;

  Problems(ObjectMapper mapper, ServerMetrics metrics) {
    this.writer = mapper.writer();
    this.metrics = metrics;
  }

  void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException problem) {
      send(ctx, problem);
      return;
    }
    int deliberate = ctx.statusCode();
    // A handler that refused the request on purpose (CORS: 403, body limit: 413) says so with
    // its status; only an unexplained failure while the body was being read lands here.
    if (failure != null && !ctx.request().isEnded() && (deliberate < 400 || deliberate >= 500)) {
      // Failed while the body was still being read: broken framing (a bad chunk size), or the
      // client went away. The request's fault, never the server's; Vert.x closes the connection.
      LOG.debug("request body of {} {} could not be read: {}", ctx.request().method(),
          ctx.request().path(), failure.toString());
      ctx.response().putHeader("Connection", "close");
      send(ctx, ProblemException.of(400, "Bad request", "the request body could not be read"));
      return;
    }
    int status = ctx.statusCode();
    switch (status) {
      case 400 -> send(ctx, ProblemException.of(400, "Bad request",
          "the request could not be read"));
      case 404 -> send(ctx, notFound(ctx));
      case 405 -> send(ctx, methodNotAllowed(ctx));
      case 413 -> send(ctx, ProblemException.of(413, "Request too large",
          "the body is larger than the limit of this endpoint"));
      case 415 -> send(ctx, ProblemException.of(415, "Unsupported media type",
          "send the body as application/json"));
      default -> {
        if (status >= 400 && status < 500) {
          // Vert.x's CORS handler answers 403 for an origin outside the configured list.
          send(ctx, status == 403
              ? ProblemException.of(403, "Forbidden", "this origin is not allowed to call the ad "
                  + "server; add it to corsOrigins in the configuration")
              : ProblemException.of(status, "Request refused", "the request was refused"));
        } else {
          LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(),
              failure);
          metrics.internalError();
          send(ctx, ProblemException.of(500, "Internal server error",
              "the server failed to answer; the cause is in its log"));
        }
      }
    }
  }

  /**
   * The server's handler of requests that are not HTTP (a head too long, bad framing, bytes that
   * are no request at all): like Vert.x's own, {@code 414}, {@code 431} or {@code 400} and the
   * connection closed, but with a problem document like every other error.
   */
  static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    int status;
    String title;
    String detail;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      status = 414;
      title = "URI too long";
      detail = "the request line is longer than " + HttpVerticle.MAX_INITIAL_LINE_BYTES + " bytes";
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      status = 431;
      title = "Request header fields too large";
      detail = "the request headers are larger than " + HttpVerticle.MAX_HEADER_BYTES + " bytes";
    } else {
      status = 400;
      title = "Bad request";
      detail = "the request is not valid HTTP/1.1";
    }
    String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
        + ",\"detail\":\"" + detail + "\"}";
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Connection", "close")
        .end(body)
        .onComplete(done -> request.connection().close());
  }

  void notFound404(RoutingContext ctx) {
    send(ctx, notFound(ctx));
  }

  void methodNotAllowed405(RoutingContext ctx) {
    String allowed = HttpApi.ALLOWED_METHODS.get(ctx.request().path());
    if (allowed != null) {
      ctx.response().putHeader("Allow", allowed);
    }
    send(ctx, methodNotAllowed(ctx));
  }

  private static ProblemException notFound(RoutingContext ctx) {
    return ProblemException.of(404, "Not found", "there is nothing at " + safePath(ctx));
  }

  private static ProblemException methodNotAllowed(RoutingContext ctx) {
    return ProblemException.of(405, "Method not allowed",
        ctx.request().method() + " is not allowed on " + safePath(ctx));
  }

  private static String safePath(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null) {
      return "this path";
    }
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }

  void send(RoutingContext ctx, ProblemException problem) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", problem.title);
    body.put("status", problem.status);
    body.put("detail", problem.getMessage());
    if (problem.field != null) {
      body.put("field", problem.field);
    }
    if (problem.problems != null) {
      body.put("problems", problem.problems);
    }
    byte[] bytes;
    try {
      bytes = writer.writeValueAsBytes(body);
    } catch (Exception e) {
      bytes = ("{\"title\":\"Error\",\"status\":" + problem.status + "}").getBytes();
    }
    if (problem.retryAfterSeconds > 0) {
      ctx.response().putHeader("Retry-After", Integer.toString(problem.retryAfterSeconds));
    }
    ctx.response()
        .setStatusCode(problem.status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(bytes));
  }
}
