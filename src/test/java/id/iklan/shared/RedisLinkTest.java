package id.iklan.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How the link tells its owner that Redis went away. Needs no Redis: nothing listens. */
final class RedisLinkTest {
  /**
   * The owner records the outage (with the servers it had seen) in {@code onDown}; a request on
   * another event loop that already sees Redis down must find that outage, not the state from
   * before it (which let one server serve the whole remaining goal instead of its share).
   */
  @Test
  void send_redisUnreachable_recordsTheOutageBeforeHealthSaysDown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    try {
      Health.Dependency health = new Health(line -> { }).add("redis");
      AtomicReference<Boolean> upWhenOnDownRan = new AtomicReference<>();
      RedisLink link = new RedisLink(vertx, "redis://127.0.0.1:" + closedPort + "/0", health,
          () -> upWhenOnDownRan.set(health.up()));

      link.send(Request.cmd(Command.PING), 2_000).toCompletionStage().toCompletableFuture()
          .handle((ok, failed) -> null).get(10, TimeUnit.SECONDS);

      assertThat(health.up()).isFalse();
      assertThat(upWhenOnDownRan.get()).as("health when the outage was recorded").isTrue();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
