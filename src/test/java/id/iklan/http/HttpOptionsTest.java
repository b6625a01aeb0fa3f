package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.config.IklanConfig;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;

/** The protocol options every HTTP event loop listens with (SPEC §7; docs/API.md#limits). */
final class HttpOptionsTest {
  private final HttpServerOptions options =
      HttpVerticle.options("127.0.0.1", 0, IklanConfig.Limits.DEFAULT);

  @Test
  void options_noCompressionOfAnyKind() {
    assertThat(options.isCompressionSupported()).isFalse();
    assertThat(options.isDecompressionSupported()).isFalse();
    // with either on, Netty's WebSocket extension handler sits in every connection's pipeline
    assertThat(options.getPerFrameWebSocketCompressionSupported()).isFalse();
    assertThat(options.getPerMessageWebSocketCompressionSupported()).isFalse();
  }

  @Test
  void options_http1OnlyWithSmallHeads() {
    assertThat(options.isHttp2ClearTextEnabled()).isFalse();
    // the limits docs/API.md promises
    assertThat(options.getMaxHeaderSize()).isEqualTo(16 * 1024);
    assertThat(options.getMaxInitialLineLength()).isEqualTo(8 * 1024);
  }
}
