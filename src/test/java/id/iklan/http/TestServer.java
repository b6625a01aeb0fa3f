package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.IklanServer;
import id.iklan.config.IklanConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Iklan server on a free port, called over real HTTP with the JDK client: what the HTTP
 * tests share. One per test class: either started by {@link #start} in {@code @BeforeAll} and
 * closed in {@code @AfterAll}, or, for the common case of the fixture rules, registered as
 * {@code @RegisterExtension static final TestServer server = TestServer.fixture();}, which
 * starts it in a temporary directory before the class's tests and closes it after them.
 */
final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final String ADMIN_TOKEN = "test-admin-token";
  static final String SECRET = "a-test-secret-of-enough-length";
  static final Map<String, String> ENV =
      Map.of("IKLAN_ADMIN_TOKEN", ADMIN_TOKEN, "IKLAN_SECRET", SECRET);
  /** Wednesday 2026-11-18, 10:00 in Jakarta: inside every fixture flight. */
  static final Instant NOW = Instant.parse("2026-11-18T03:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private IklanServer server;
  /** The temporary directory of a {@link #fixture()} server; null for the others. */
  private Path fixtureDir;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();

  private TestServer(IklanServer server) {
    this.server = server;
  }

  /**
   * The defaults, on a free port, with {@code rules}, except two settings that would make the
   * suite depend on the machine: one event loop (the default is one per core; several are
   * covered by {@code ServerStartTest}), and a default deadline of 10 s instead of 100 ms, since a
   * cold JVM on a busy CI machine can miss 100 ms on its first request and rightly answer it with
   * no fill (SPEC §7), which is not what these tests are about. A request's own {@code tmax}
   * still applies. Failed admin logins are not throttled, as by default; {@code
   * AdminThrottleTest} covers the throttle.
   */
  static IklanConfig config(Path dataDir, Path rules) {
    return IklanConfig.builder().port(0).dataDir(dataDir).rules(rules).tmax(10_000, 10_000)
        .eventLoops(1)
        .build();
  }

  /** {@code config} with the given public base URL and CORS origins. */
  static IklanConfig with(IklanConfig c, URI publicBaseUrl, List<String> corsOrigins) {
    return c.toBuilder().publicBaseUrl(publicBaseUrl).corsOrigins(corsOrigins).build();
  }

  static IklanConfig withEventLoops(IklanConfig c, int eventLoops) {
    return c.toBuilder().eventLoops(eventLoops).build();
  }

  /** A server on the fixture rules that starts and stops with its test class (see above). */
  static TestServer fixture() {
    return new TestServer(null);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    fixtureDir = Files.createTempDirectory("iklan-test-");
    server = startWithFixture(fixtureDir).server;
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    if (fixtureDir != null) {
      try (Stream<Path> files = Files.walk(fixtureDir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
      fixtureDir = null;
    }
  }

  /** Writes the fixture rules into {@code dir} and starts a server on them. */
  static TestServer startWithFixture(Path dir) throws Exception {
    return start(config(dir.resolve("data"), writeRules(dir, Fixture.RULES)));
  }

  static TestServer start(IklanConfig config) throws Exception {
    return start(config, CLOCK);
  }

  /** A server on its own clock (for tests that move time: token expiry, report days). */
  static TestServer start(IklanConfig config, Clock clock) throws Exception {
    return new TestServer(IklanServer.start(config, clock, ENV));
  }

  static Path writeRules(Path dir, String json) throws IOException {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  int port() {
    return server.port();
  }

  String transport() {
    return server.transport();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
  }

  /** {@code POST /v1/ads} with a JSON body and extra headers given as name, value, name, ... */
  HttpResponse<String> postAds(String body, String... headers) {
    HttpRequest.Builder b = request("/v1/ads")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  /** {@code POST /v1/ads} that must answer 200 JSON; returns the parsed body. */
  JsonNode ads(String body, String... headers) {
    HttpResponse<String> response = postAds(body, headers);
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return parse(response);
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = request(path).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> sendBytes(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /** Asserts an RFC 9457 problem with {@code status}; returns its body. */
  static JsonNode assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = parse(response);
    assertThat(problem.path("type").isTextual()).as("type in %s", problem).isTrue();
    assertThat(problem.path("title").isTextual()).as("title in %s", problem).isTrue();
    assertThat(problem.path("status").asInt()).as("status in %s", problem).isEqualTo(status);
    assertThat(problem.path("detail").asText()).as("detail in %s", problem).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    return problem;
  }

  @Override
  public void close() {
    server.close();
  }
}
