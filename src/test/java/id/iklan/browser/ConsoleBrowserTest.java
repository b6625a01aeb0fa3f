package id.iklan.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import id.iklan.IklanServer;
import id.iklan.config.IklanConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ad ops console in a real browser: starts the real server in-process on fixture rules and
 * a week of seeded traffic, then runs the Playwright tests of {@code browser-tests/console/}
 * ({@code node --test}) against it, in Debian's Chromium. Skipped, with a message saying how to
 * install them, when node, Chromium or playwright-core are missing. Screenshots of every page
 * land in {@code target/screenshots/console-*.png}.
 */
final class ConsoleBrowserTest {
  static final String ADMIN_TOKEN = "console-browser-test-token";
  private static final Path TESTS = Path.of("browser-tests/console");
  private static final Path PLAYWRIGHT = Path.of("browser-tests/node_modules/playwright-core/package.json");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration RUN_LIMIT = Duration.ofMinutes(8);

  @TempDir static Path dir;
  static IklanServer server;
  static ShiftedClock clock;

  /** Why the browser tests cannot run here, or null when they can. */
  static String missing;

  @BeforeAll
  static void start() throws Exception {
    missing = missingTool();
    if (missing != null) {
      return; // the test reports the skip, with this message
    }
    Instant now = Instant.now();
    clock = new ShiftedClock(Duration.ofDays(6));
    IllegalStateException failure = null;
    // The fixture's creatives show the server's own demo images, so their URLs name the port:
    // a free port is picked first (and another one if it was taken meanwhile) instead of port 0.
    for (int attempt = 0; attempt < 3 && server == null; attempt++) {
      int port = freePort();
      Path rules = dir.resolve("rules-" + attempt + ".json");
      Files.writeString(rules, ConsoleFixture.rules("http://127.0.0.1:" + port, now),
          StandardCharsets.UTF_8);
      IklanConfig config = IklanConfig.builder().port(port).host("127.0.0.1")
          .dataDir(dir.resolve("data-" + attempt)).rules(rules).tmax(10_000, 10_000)
          .eventLoops(1).build();
      try {
        server = IklanServer.start(config, clock,
            Map.of("IKLAN_ADMIN_TOKEN", ADMIN_TOKEN, "IKLAN_SECRET", "a-console-test-secret-of-some-length"));
      } catch (Exception e) {
        failure = new IllegalStateException("could not start on port " + port, e);
      }
    }
    if (server == null) {
      throw failure;
    }
    new ConsoleFixture.Traffic(baseUrl(), clock).seedWeek();
    clock.shift(Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void console_inChromium_passesTheBrowserTests() throws Exception {
    assumeTrue(missing == null, () -> missing + " (skipping the console browser tests)");
    Files.createDirectories(Path.of("target/screenshots"));
    ProcessBuilder builder = new ProcessBuilder("node", "--test", TESTS.toString() + "/")
        .redirectErrorStream(true);
    builder.environment().put("IKLAN_URL", baseUrl());
    builder.environment().put("IKLAN_ADMIN_TOKEN", ADMIN_TOKEN);
    Process process = builder.start();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          System.out.println("[browser] " + line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 200) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        System.out.println("[browser] output ended: " + e.getMessage());
      }
    }, "browser-test-output");
    reader.start();
    boolean finished = process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    reader.join(10_000);
    String output;
    synchronized (tail) {
      output = String.join("\n", tail);
    }
    assertThat(finished).as("node --test finished within %s; last output:\n%s", RUN_LIMIT, output)
        .isTrue();
    assertThat(process.exitValue()).as("exit code of node --test %s; last output:\n%s", TESTS,
        output).isZero();
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(output);
    assertThat(pass.find() && Integer.parseInt(pass.group(1)) > 0)
        .as("node --test ran tests; last output:\n%s", output).isTrue();
  }

  private static String missingTool() {
    if (nodeVersion() == null) {
      return "node is not on the PATH: install Node.js 20 or newer, then `npm ci --prefix browser-tests`";
    }
    if (!Files.isRegularFile(PLAYWRIGHT) || !Files.isDirectory(TESTS)) {
      return "playwright-core is not installed: run `npm ci --prefix browser-tests`";
    }
    if (!Files.isExecutable(CHROMIUM)) {
      return "Chromium is not installed: run `apt-get install chromium`";
    }
    return null;
  }

  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** The system clock moved back by a settable amount, so the seeded week falls on past days. */
  static final class ShiftedClock extends Clock {
    private volatile Duration back;

    ShiftedClock(Duration back) {
      this.back = back;
    }

    void shift(Duration value) {
      back = value;
    }

    @Override
    public Instant instant() {
      return Instant.now().minus(back);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the server reads instants only");
    }
  }
}
