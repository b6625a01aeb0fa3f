package id.iklan.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.CommonPoolBlocked;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class InMemoryDeliveryCountersTest {
  private final InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();

  @Test
  void served_sameId_isTheSameCounterAcrossCalls() {
    counters.served("c-1").add(3);

    assertThat(counters.served("c-1").get()).isEqualTo(3);
    assertThat(counters.served("c-2").get()).isZero();
  }

  @Test
  void tryAdd_neverPassesTheLimitUnderConcurrency() throws Exception {
    ServedCounter counter = counters.served("goal");
    List<Thread> threads = new ArrayList<>();
    int[] successes = new int[4];
    for (int t = 0; t < 4; t++) {
      int index = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          if (counter.tryAdd(1, 1_000)) {
            successes[index]++;
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(counter.get()).isEqualTo(1_000);
    assertThat(successes[0] + successes[1] + successes[2] + successes[3]).isEqualTo(1_000);
  }

  @Test
  void servedToUser_countsOnlyServesInsideTheWindow() {
    counters.recordUserServes("u", "c", 1_000, 1);
    counters.recordUserServes("u", "c", 5_000, 2);

    assertThat(counters.servedToUser("u", "c", 0)).isEqualTo(3);
    assertThat(counters.servedToUser("u", "c", 2_000)).isEqualTo(2);
    assertThat(counters.servedToUser("u", "other", 0)).isZero();
    assertThat(counters.servedToUser("someone-else", "c", 0)).isZero();
  }

  @Test
  void recordUserServes_manyServes_keepsTheNewestUpToTheLargestCap() {
    for (int i = 0; i < 2_500; i++) {
      counters.recordUserServes("u", "c", i, 1);
    }

    assertThat(counters.servedToUser("u", "c", 0)).isEqualTo(1_000);
    assertThat(counters.servedToUser("u", "c", 2_000)).isEqualTo(500);
  }

  @Test
  void users_areBoundedInNumber_evictedOnTheWritingThread() throws Exception {
    InMemoryDeliveryCounters small = new InMemoryDeliveryCounters(10, Duration.ofDays(1));
    // no cleanUp(), and the common pool busy: eviction handed to a pool thread could not have
    // run yet, so the bound holds only if maintenance runs on the caller
    try (CommonPoolBlocked blocked = new CommonPoolBlocked()) {
      for (int i = 0; i < 1_000; i++) {
        small.recordUserServes("u" + i, "c", 1, 1);
      }
      int remembered = 0;
      for (int i = 0; i < 1_000; i++) {
        remembered += small.servedToUser("u" + i, "c", 0);
      }
      assertThat(remembered).isLessThanOrEqualTo(10);
    }
  }
}
