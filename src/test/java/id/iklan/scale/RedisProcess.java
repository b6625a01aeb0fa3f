package id.iklan.scale;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own ({@code redis-server} child process on a free port), so a test
 * can stop and restart it without touching the machine's shared Redis. With {@code durable}, it
 * keeps an append-only file written on every command in its directory, so a restart keeps what
 * it acknowledged (as a production Redis with {@code appendfsync always} would).
 */
final class RedisProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final boolean durable;
  private Process process;

  private RedisProcess(Path dir, int port, boolean durable) {
    this.dir = dir;
    this.port = port;
    this.durable = durable;
  }

  /** Whether {@code redis-server} can be run here. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static RedisProcess start(Path dir, boolean durable) throws IOException {
    Files.createDirectories(dir);
    RedisProcess redis = new RedisProcess(dir, freePort(), durable);
    redis.start();
    return redis;
  }

  int port() {
    return port;
  }

  String url(int db) {
    return "redis://127.0.0.1:" + port + "/" + db;
  }

  void start() throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--dir",
        dir.toAbsolutePath().toString(), "--logfile", "redis.log"));
    command.addAll(durable ? List.of("--appendonly", "yes", "--appendfsync", "always")
        : List.of("--appendonly", "no"));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.out").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if ("+PONG".equals(command("PING"))) {
        return;
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  /** {@code kill -9}: every connection drops at once. */
  void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code kill -STOP} ({@code stopped}) or {@code kill -CONT}: Redis hangs, connections stay. */
  void pause(boolean stopped) throws IOException, InterruptedException {
    new ProcessBuilder("kill", stopped ? "-STOP" : "-CONT", Long.toString(process.pid()))
        .inheritIO().start().waitFor();
  }

  /**
   * One inline command; its first reply line ({@code +PONG}, {@code :42}, {@code $3} …), or
   * null when Redis does not answer.
   */
  String command(String inline) {
    return command(0, inline);
  }

  /** {@link #command(String)} in database {@code db}. */
  String command(int db, String inline) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(("SELECT " + db + "\r\n" + inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      readLine(in); // +OK of SELECT
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\r') {
        line.append((char) c);
      }
      if (line.toString().equals("$-1")) {
        return null;
      }
      if (line.length() > 0 && line.charAt(0) == '$') {
        in.read(); // '\n'
        StringBuilder value = new StringBuilder();
        while ((c = in.read()) >= 0 && c != '\r') {
          value.append((char) c);
        }
        return value.toString();
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill9();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
