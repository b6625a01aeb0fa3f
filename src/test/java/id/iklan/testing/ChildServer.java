package id.iklan.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Iklan server in its own JVM ({@code java -cp <test class path> id.iklan.Main}), for what
 * an in-process server cannot show: a {@code kill -9}, a restart on the same data directory, and
 * the log as an operator reads it. The child's stdout and stderr are collected line by line.
 *
 * <pre>{@code
 * try (ChildServer server = ChildServer.start(ChildServer.writeConfig(dir, rules), dataDir,
 *     Map.of("IKLAN_ADMIN_TOKEN", TOKEN))) {
 *   server.send("PUT", "/v1/admin/campaigns", "application/json", body, "Authorization", ...);
 *   server.kill9();
 * }
 * }</pre>
 *
 * Always close it (try-with-resources or {@code @AfterEach}): {@link #close} kills a child that
 * is still running. Start-up is kept short with C1-only JIT and the serial collector.
 */
public final class ChildServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Iklan listening on port (\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(REQUEST_TIMEOUT)
      .build();

  private final Thread reader;

  private ChildServer(Process process) {
    this.process = process;
    reader = new Thread(this::readOutput, "child-server-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Writes a configuration file for a child in {@code dir}: one event loop, a free port, the
   * given seed rules, and a 10 s default deadline (a cold JVM must not shed its first requests).
   */
  public static Path writeConfig(Path dir, Path rules) throws IOException {
    Path file = dir.resolve("iklan-child.json");
    String json = """
        {"port": 0, "eventLoops": 1, "rules": "%s", "tmaxDefaultMs": 10000, "tmaxMaxMs": 10000}
        """.formatted(rules.toAbsolutePath().toString().replace("\\", "\\\\"));
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Starts {@code id.iklan.Main --config config --port 0 --data-dir dataDir} with {@code env}
   * added to the environment, and returns once it prints the port it listens on.
   *
   * @throws IllegalStateException when the child exits or stays silent instead; its log is in
   *     the message
   */
  public static ChildServer start(Path config, Path dataDir, Map<String, String> env)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"),
        "id.iklan.Main", "--config", config.toAbsolutePath().toString(), "--port", "0",
        "--data-dir", dataDir.toAbsolutePath().toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(config.toAbsolutePath().getParent().toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    ChildServer child = new ChildServer(builder.start());
    try {
      child.port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return child;
    } catch (ExecutionException | TimeoutException e) {
      child.kill9();
      throw new IllegalStateException("the child server did not start: "
          + (e.getCause() != null ? e.getCause().getMessage() : "no port after " + START_TIMEOUT)
          + "\n" + String.join("\n", child.log), e);
    } catch (InterruptedException e) {
      child.kill9();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        log.add(line);
        Matcher m = LISTENING.matcher(line);
        if (!port.isDone() && m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the stream closes when the child dies
    }
    port.completeExceptionally(new IllegalStateException(
        "the child server exited before listening"));
  }

  public int port() {
    return port.join();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Every line the child has printed so far (stdout and stderr). */
  public List<String> logLines() {
    return List.copyOf(log);
  }

  /** The lines containing every one of {@code parts}. */
  public List<String> logLinesContaining(String... parts) {
    return log.stream().filter(line -> {
      for (String part : parts) {
        if (!line.contains(part)) {
          return false;
        }
      }
      return true;
    }).toList();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  /**
   * Any request; {@code contentType} and {@code body} may be null, extra headers are given as
   * name, value, name, ...
   */
  public HttpResponse<String> send(String method, String path, String contentType, String body,
      String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code kill -9}: SIGKILL on Linux and macOS; no shutdown hook runs. Waits until it is gone. */
  public void kill9() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** A clean shutdown (SIGTERM, shutdown hooks run); SIGKILL if it takes over 10 seconds. */
  public void stop() {
    // Through the handle: Process.destroy() would also close our end of the child's output,
    // and lose what it logs while shutting down.
    process.toHandle().destroy();
    if (!awaitExit(Duration.ofSeconds(10))) {
      kill9();
    }
  }

  /** Waits for the exit, then for the last lines of output to be collected. */
  private boolean awaitExit(Duration timeout) {
    try {
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exited) {
        reader.join(5_000);
      }
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Kills the child if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill9();
    }
  }
}
