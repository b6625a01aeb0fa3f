package id.iklan.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connection to Redis: the Vert.x client (a small pool of pipelined connections), a time
 * limit on every command, Lua scripts run by their SHA-1 (loaded again after a Redis restart),
 * and the Redis dependency of {@link Health}: a command that fails for want of a connection or
 * an answer marks Redis down, any answer marks it up again.
 */
final class RedisLink implements AutoCloseable {
  /** A Lua script and its SHA-1, for {@code EVALSHA}. */
  record Script(String text, String sha) {
    static Script of(String text) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-1")
            .digest(text.getBytes(StandardCharsets.UTF_8));
        return new Script(text, HexFormat.of().formatHex(digest));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Redis redis;
  private final Health.Dependency health;
  private final Runnable onDown;

  /**
   * @param url {@code redis://host:port/db}; the database index is selected on every connection
   * @param onDown called when Redis goes from up to down
   */
  RedisLink(Vertx vertx, String url, Health.Dependency health, Runnable onDown) {
    this.redis = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(8192)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(1_000)
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)));
    this.health = health;
    this.onDown = onDown;
  }

  boolean up() {
    return health.up();
  }

  /** Sends one command; fails when Redis does not answer within {@code timeoutMs}. */
  Future<Response> send(Request request, long timeoutMs) {
    return send(request, timeoutMs, true);
  }

  /**
   * @param timeoutMeansDown whether a time-out marks Redis down. Not for the cap reservations
   *     of ad requests: their time limit is what is left of the request's {@code tmax}, which a
   *     client chooses, so a short one says nothing about Redis (and must not let a client pause
   *     capped campaigns for everyone). A lost connection marks Redis down whatever the caller.
   */
  Future<Response> send(Request request, long timeoutMs, boolean timeoutMeansDown) {
    return watch(redis.send(request).timeout(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS),
        timeoutMeansDown);
  }

  /** Runs a script by its SHA-1, sending its text when Redis does not have it (yet, or again). */
  Future<Response> eval(Script script, List<String> keys, List<String> args, long timeoutMs) {
    return eval(script, keys, args, timeoutMs, true);
  }

  /** {@link #eval}, with {@code timeoutMeansDown} as in {@link #send(Request, long, boolean)}. */
  Future<Response> eval(Script script, List<String> keys, List<String> args, long timeoutMs,
      boolean timeoutMeansDown) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return send(request(Command.EVALSHA, script.sha(), keys, args), timeoutMs, timeoutMeansDown)
        .recover(e -> {
          if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            return send(request(Command.EVAL, script.text(), keys, args), left, timeoutMeansDown);
          }
          return Future.failedFuture(e);
        });
  }

  private static Request request(Command command, String script, List<String> keys,
      List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    for (String key : keys) {
      request.arg(key);
    }
    for (String arg : args) {
      request.arg(arg);
    }
    return request;
  }

  private Future<Response> watch(Future<Response> future, boolean timeoutMeansDown) {
    return future.andThen(result -> {
      if (result.succeeded() || isErrorReply(result.cause())) {
        health.markUp();
      } else if (!timeoutMeansDown && result.cause() instanceof java.util.concurrent.TimeoutException) {
        return; // Redis may well be fine: the caller's time was short
      } else if (health.up()) {
        // the outage is recorded first: whoever sees Redis down must also see its outage
        // (with the servers seen before it), never the state from before it began
        onDown.run();
        health.markDown(String.valueOf(result.cause().getMessage()));
      }
    });
  }

  /** An error answered by Redis itself (it is up), as opposed to no answer at all. */
  private static boolean isErrorReply(Throwable e) {
    return e.getClass().getName().equals("io.vertx.redis.client.impl.types.ErrorType");
  }

  @Override
  public void close() {
    redis.close();
  }
}
