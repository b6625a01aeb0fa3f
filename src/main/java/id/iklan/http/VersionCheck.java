package id.iklan.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;

/**
 * Turns a request line with an HTTP version other than 1.0 or 1.1 ({@code GET / HTTP/2.0}, an
 * HTTP/2 preface sent to this HTTP/1.1-only server) into an invalid request, so that
 * {@link Problems#invalidRequest} answers it with a {@code 400} problem. Without this, Vert.x
 * answers such a request itself with {@code 501 Not Implemented} before any handler runs, and
 * bad input must never get a 5xx (SPEC §7).
 *
 * <p>This reaches into Vert.x's connection internals for the Netty pipeline (there is no public
 * hook before Vert.x's version check); when they change, the handler is simply not installed and
 * {@code HostileInputTest} says so.
 */
final class VersionCheck extends ChannelInboundHandlerAdapter {
  private static final String DECODER = "httpDecoder";

  private VersionCheck() {}

  /** Adds the check behind the HTTP/1.x decoder of {@code connection}, if it has one. */
  static void install(HttpConnection connection) {
    ChannelPipeline pipeline = http1Pipeline(connection);
    if (pipeline != null && pipeline.get(VersionCheck.class) == null) {
      pipeline.addAfter(DECODER, "iklanVersionCheck", new VersionCheck());
    }
  }

  /** Adds {@code handler} in front of the HTTP/1.x decoder; false when there is none. */
  static boolean addInFront(HttpConnection connection, String name,
      io.netty.channel.ChannelHandler handler) {
    ChannelPipeline pipeline = http1Pipeline(connection);
    if (pipeline == null) {
      return false;
    }
    pipeline.addBefore(DECODER, name, handler);
    return true;
  }

  /** The Netty pipeline of an HTTP/1.x connection, or null when it cannot be reached. */
  private static ChannelPipeline http1Pipeline(HttpConnection connection) {
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
      ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
      return pipeline.get(DECODER) != null ? pipeline : null;
    }
    return null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
        && request.protocolVersion() != HttpVersion.HTTP_1_1
        && request.protocolVersion() != HttpVersion.HTTP_1_0) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
      request.setDecoderResult(DecoderResult.failure(
          new IllegalArgumentException("unsupported HTTP version")));
    }
    super.channelRead(ctx, msg);
  }
}
