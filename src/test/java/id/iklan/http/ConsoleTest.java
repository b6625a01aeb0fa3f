package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ad ops console's static files at {@code /console/}: served without a token, with a strict
 * Content Security Policy, nosniff, no framing and no referrer; and written so that the policy
 * holds (no inline script or style, no HTML parsed from data).
 */
final class ConsoleTest {
  private static final Path CONSOLE = Path.of("src/main/resources/web/console");
  @RegisterExtension static final TestServer server = TestServer.fixture();

  @Test
  void console_index_isHtmlWithoutToken() {
    HttpResponse<String> response = server.get("/console/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(response.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/console/", "/console/js/app.js", "/console/console.css",
      "/console/no-such-file.js", "/console"})
  void console_everyAnswer_carriesTheSecurityHeaders(String path) {
    HttpResponse<String> response = server.get(path);

    String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
        "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'");
    assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void console_withoutSlash_redirectsToTheIndex() {
    HttpResponse<String> response = server.get("/console");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValue("/console/");
  }

  @Test
  void console_script_isJavascript() {
    HttpResponse<String> response = server.get("/console/js/app.js");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
  }

  @Test
  void console_missingFile_is404Problem() {
    TestServer.assertProblem(server.get("/console/js/nothing.js"), 404);
  }

  @Test
  void adminApi_stillNeedsTheToken() {
    TestServer.assertProblem(server.get("/v1/admin/campaigns"), 401);
  }

  @Test
  void html_hasNoInlineScriptStyleOrHandlers() throws IOException {
    Pattern script = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    for (Path file : files(".html")) {
      String html = Files.readString(file);
      Matcher m = script.matcher(html);
      while (m.find()) {
        assertThat(m.group(1)).as("every script of %s has a src", file).contains("src=");
      }
      assertThat(html).as(file.toString())
          .doesNotContainPattern("(?i)<style\\b")
          .doesNotContainPattern("(?i)\\sstyle\\s*=")
          .doesNotContainPattern("(?i)\\son[a-z]+\\s*=")
          .doesNotContainPattern("(?i)javascript:");
    }
  }

  @Test
  void scripts_neverParseMarkupOrEvaluateCode() throws IOException {
    List<Path> scripts = files(".js");
    assertThat(scripts).isNotEmpty();
    for (Path file : scripts) {
      String js = Files.readString(file);
      assertThat(js).as(file.toString())
          .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
              "eval(", "new Function", "setAttribute('style'", "localStorage", "document.cookie");
    }
  }

  private static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(CONSOLE)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
