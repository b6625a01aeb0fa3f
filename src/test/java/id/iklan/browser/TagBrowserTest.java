package id.iklan.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import id.iklan.IklanServer;
import id.iklan.config.IklanConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ad tag in a real browser. Starts the real server with the shipped demo rules, then runs
 * {@code node --test browser-tests/tag/} (playwright-core driving Debian's Chromium) against it
 * and expects every test there to pass. The node tests' output is streamed to this test's output
 * ({@code target/surefire-reports/id.iklan.browser.TagBrowserTest-output.txt}); a failure shows
 * its tail. Screenshots of the demo pages go to {@code target/screenshots/}.
 *
 * <p>The demo rules address their images to {@code http://localhost:8080/demo/img/…}; the
 * browser tests route those requests to this server, so the images show on its free port too.
 *
 * <p>For "the ad server is stopped" a second server is started and closed first; its address is
 * passed as {@code IKLAN_STOPPED_URL}, where nothing listens any more.
 *
 * <p>Skipped, with how to install them, when node, Chromium or playwright-core are missing.
 */
final class TagBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final Path TESTS = Path.of("browser-tests", "tag");
  private static final Path PLAYWRIGHT =
      Path.of("browser-tests", "node_modules", "playwright-core", "package.json");
  private static final String INSTALL = "install them with: apt-get install chromium; "
      + "npm ci --prefix browser-tests";
  private static final String ADMIN_TOKEN = "browser-test-admin-token";
  private static final Map<String, String> ENV = Map.of(
      "IKLAN_ADMIN_TOKEN", ADMIN_TOKEN, "IKLAN_SECRET", "a-browser-test-secret-of-enough-length");
  /** Wednesday 2026-11-18, 10:00 in Jakarta: inside every demo flight, whatever today is. */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-18T03:00:00Z"), ZoneOffset.UTC);
  private static final long TIMEOUT_MINUTES = 10;

  @TempDir Path dir;

  @Test
  void tagTests_inChromium_againstTheDemoServer_allPass() throws Exception {
    assumeTrue(nodeVersion() != null, "skipped: node is not on the PATH; " + INSTALL
        + " (and Node.js 20 or newer)");
    assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "skipped: " + CHROMIUM + " is missing; "
        + INSTALL);
    assumeTrue(Files.isRegularFile(PLAYWRIGHT), "skipped: " + PLAYWRIGHT.getParent()
        + " is missing; " + INSTALL);

    String stoppedUrl;
    try (IklanServer stopped = start(dir.resolve("stopped"))) {
      stoppedUrl = "http://127.0.0.1:" + stopped.port();
    }
    try (IklanServer server = start(dir.resolve("live"))) {
      Run run = runNode(Map.of(
          "IKLAN_URL", "http://127.0.0.1:" + server.port(),
          "IKLAN_STOPPED_URL", stoppedUrl,
          "IKLAN_ADMIN_TOKEN", ADMIN_TOKEN));

      assertThat(run.exitCode).as("exit code of node --test; its output ends:%n%s", run.tail)
          .isZero();
      assertThat(run.passed).as("tests passed; output ends:%n%s", run.tail).isPositive();
      assertThat(run.failed).as("tests failed; output ends:%n%s", run.tail).isZero();
    }
  }

  private static IklanServer start(Path dataDir) throws Exception {
    IklanConfig config = IklanConfig.builder()
        .port(0)
        .host("127.0.0.1")
        .dataDir(dataDir)
        .rules(Path.of("config", "demo-rules.json"))
        .eventLoops(1)
        .build();
    return IklanServer.start(config, CLOCK, ENV);
  }

  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private record Run(int exitCode, int passed, int failed, String tail) {}

  private static final Pattern PASS = Pattern.compile("^(?:ℹ|#) pass (\\d+)$");
  private static final Pattern FAIL = Pattern.compile("^(?:ℹ|#) fail (\\d+)$");

  /** Runs the node tests, streaming their output, and returns the exit code and counts. */
  private static Run runNode(Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of(
        "node", "--test", "--test-reporter=spec", TESTS + "/"))
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    System.out.println("running: node --test --test-reporter=spec " + TESTS + "/ with " + env);
    Process process = builder.start();
    Deque<String> tail = new ArrayDeque<>();
    int[] counts = {-1, -1};
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          System.out.println(line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 120) {
              tail.removeFirst();
            }
          }
          Matcher pass = PASS.matcher(line.trim());
          Matcher fail = FAIL.matcher(line.trim());
          if (pass.matches()) {
            counts[0] = Integer.parseInt(pass.group(1));
          } else if (fail.matches()) {
            counts[1] = Integer.parseInt(fail.group(1));
          }
        }
      } catch (IOException e) {
        System.out.println("(reading the node output failed: " + e + ")");
      }
    }, "node-test-output");
    reader.start();
    boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    String lastLines;
    synchronized (tail) {
      lastLines = String.join("\n", tail);
    }
    if (!finished) {
      return new Run(-1, counts[0], counts[1],
          lastLines + "\n(node --test did not finish within " + TIMEOUT_MINUTES + " minutes)");
    }
    System.out.println("screenshots: " + Path.of("target", "screenshots").toAbsolutePath());
    return new Run(process.exitValue(), counts[0], counts[1], lastLines);
  }
}
