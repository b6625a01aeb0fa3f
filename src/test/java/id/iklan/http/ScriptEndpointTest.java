package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ad tag's two addresses: {@code /iklan.js} and the versioned {@code /iklan.<hash>.js}. */
final class ScriptEndpointTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();

  private static String versionedPath() {
    return server.get("/iklan.js").headers().firstValue("Content-Location").orElseThrow();
  }

  @Test
  void latest_hasShortCacheEtagAndNamesItsVersionedAddress() {
    HttpResponse<String> response = server.get("/iklan.js");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue(ScriptHandler.LATEST_CACHE);
    assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(
        etag -> assertThat(etag).matches("\"[0-9a-f]{16}\""));
    assertThat(versionedPath()).matches("/iklan\\.[0-9a-f]{16}\\.js");
  }

  @Test
  void versioned_isTheSameScriptCachedImmutably() {
    HttpResponse<String> latest = server.get("/iklan.js");
    HttpResponse<String> versioned = server.get(versionedPath());

    assertThat(versioned.statusCode()).isEqualTo(200);
    assertThat(versioned.body()).isEqualTo(latest.body());
    assertThat(versioned.headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");
    assertThat(versioned.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(versioned.headers().firstValue("ETag")).isEqualTo(
        latest.headers().firstValue("ETag"));
    assertThat(versioned.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(server.get(versionedPath(), "Origin", "https://berita.example")
        .headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void versioned_olderHash_redirectsToLatest() {
    HttpResponse<String> response = server.get("/iklan.0000000000000000.js");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValue("/iklan.js");
  }

  @Test
  void versioned_malformedName_is404() {
    TestServer.assertProblem(server.get("/iklan.latest.js"), 404);
  }

  @Test
  void script_acceptGzip_isGzippedWithOwnEtag() throws IOException {
    HttpResponse<byte[]> response = server.sendBytes(server.request("/iklan.js")
        .header("Accept-Encoding", "gzip, deflate, br").GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(response.headers().firstValue("Vary")).hasValue("Accept-Encoding");
    assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(
        etag -> assertThat(etag).matches("\"[0-9a-f]{16}-gz\""));
    String unzipped;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(unzipped).isEqualTo(server.get("/iklan.js").body());
    assertThat(response.body().length).isLessThan(unzipped.length() / 2);
    // A guard against bloat: the tag, comments and all, stays small on the wire.
    assertThat(response.body().length).as("gzipped tag bytes").isLessThan(8 * 1024);
  }

  @Test
  void script_ifNoneMatchWithGzipEtag_is304() {
    String etag = server.sendBytes(server.request("/iklan.js").header("Accept-Encoding", "gzip")
        .GET().build()).headers().firstValue("ETag").orElseThrow();

    assertThat(server.get("/iklan.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
  }

  @Test
  void acceptsGzip_readsQualities() {
    assertThat(ScriptHandler.acceptsGzip("gzip")).isTrue();
    assertThat(ScriptHandler.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
    assertThat(ScriptHandler.acceptsGzip("*")).isTrue();
    assertThat(ScriptHandler.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(ScriptHandler.acceptsGzip("gzip; q=0.000")).isFalse();
    assertThat(ScriptHandler.acceptsGzip("identity")).isFalse();
    assertThat(ScriptHandler.acceptsGzip(null)).isFalse();
  }
}
