package id.iklan.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.config.IklanConfig;
import id.iklan.delivery.ServedCounter;
import id.iklan.rules.RuleSet;
import id.iklan.rules.RuleSetReader;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.shared.Health;
import id.iklan.shared.RedisCounters;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared counters of two servers (two {@link RedisCounters} in one JVM) on the test's own
 * Redis: goals within a share while Redis is down, caps that one reader cannot exceed from
 * either server, and counts that survive a lost answer.
 */
final class RedisCountersTest {
  private static final String RULES = """
      {"campaigns": [{"id": "c-goal", "advertiser": "Garuda", "tier": "standard",
        "start": "2020-01-01T00:00:00Z", "goal": {"impressions": 100},
        "creatives": [{"id": "cr", "format": "image", "size": [300, 250],
          "imageUrl": "https://cdn.contoh.id/a.png", "clickUrl": "https://contoh.id/"}]}]}
      """;
  private static final IklanConfig.SharedConfig SETTINGS =
      IklanConfig.SharedConfig.NONE.withIntervals(50, 50, 1000);

  @TempDir Path dir;
  private RedisProcess redis;
  private Vertx vertx;
  private RedisCounters a;
  private RedisCounters b;
  private Health.Dependency healthA;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(RedisProcess.available(), "redis-server is not installed: scale tests skipped");
    redis = RedisProcess.start(dir, false);
    vertx = Vertx.vertx();
    RuleSet rules = new RuleSetReader(ZoneId.of("Asia/Jakarta"))
        .read(new ObjectMapper().readTree(RULES));
    healthA = new Health(line -> { }).add("redis");
    a = RedisCounters.start(vertx, redis.url(0), Clock.systemUTC(), SETTINGS, healthA, w -> { });
    b = RedisCounters.start(vertx, redis.url(0), Clock.systemUTC(), SETTINGS,
        new Health(line -> { }).add("redis"), w -> { });
    for (RedisCounters counters : List.of(a, b)) {
      counters.load(List.of("c-goal"));
      counters.follow(new LiveRules(CompiledRules.compile(rules, 1, counters)));
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (a != null) {
      a.close();
      b.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void tryAdd_whileRedisIsDown_servesOnlyThisServersShareOfTheGoal() {
    ServedCounter goalA = a.served("c-goal");
    ServedCounter goalB = b.served("c-goal");
    for (int i = 0; i < 20; i++) {
      assertThat(i % 2 == 0 ? goalA.tryAdd(1, 100) : goalB.tryAdd(1, 100)).isTrue();
    }
    await(() -> goalA.get() == 20 && goalB.get() == 20 && a.metricsText().contains(
        "iklan_shared_servers 2"), "both servers see 20 served and each other");

    redis.kill9();
    await(() -> !healthA.up(), "server A notices that Redis is down");
    int served = 0;
    while (goalA.tryAdd(1, 100)) {
      served++;
    }
    assertThat(served).as("A's share of the 80 left, with 2 servers").isEqualTo(40);
    assertThat(goalA.get()).isEqualTo(60);
  }

  @Test
  void reserve_readerCappedAt2_getsTwoFromEitherServer_andTheViewsLearnIt() throws Exception {
    long now = System.currentTimeMillis();
    List<RedisCounters.CapAsk> one = List.of(new RedisCounters.CapAsk("c-goal", 1, 2, 60_000));
    assertThat(join(a.reserve("reader", one, now, 1_000))).isEmpty();
    assertThat(join(b.reserve("reader", one, now, 1_000))).isEmpty();
    assertThat(join(a.reserve("reader", one, now, 1_000))).containsExactly("c-goal");
    assertThat(a.servedToUser("reader", "c-goal", now - 60_000)).isEqualTo(2);
    assertThat(join(b.reserve("other", List.of(new RedisCounters.CapAsk("c-goal", 3, 2,
        60_000)), now, 1_000))).as("a roadblock of 3 slots under a cap of 2")
        .containsExactly("c-goal");
  }

  @Test
  void reserve_redisHangs_answersWithinItsTimeLimit_withTheCappedCampaignsRefused()
      throws Exception {
    List<RedisCounters.CapAsk> one = List.of(new RedisCounters.CapAsk("c-goal", 1, 2, 60_000));
    join(a.reserve("warm", one, System.currentTimeMillis(), 1_000));
    redis.pause(true);
    try {
      long started = System.nanoTime();
      Set<String> refused = join(a.reserve("reader", one, System.currentTimeMillis(), 80));
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      assertThat(refused).containsExactly("c-goal");
      assertThat(tookMs).as("answered after its 80 ms, not when Redis wakes").isLessThan(1_000);
      assertThat(healthA.up()).as("a request's short time limit says nothing about Redis")
          .isTrue();
    } finally {
      redis.pause(false);
    }
  }

  @Test
  void reserve_manyShortTimeLimits_doNotMarkRedisDown() throws Exception {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 200; i++) {
      join(a.reserve("reader-" + i, List.of(new RedisCounters.CapAsk("c-goal", 1, 2, 60_000)),
          now, 2));
    }
    assertThat(healthA.up()).isTrue();
  }

  private static Set<String> join(io.vertx.core.Future<Set<String>> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
