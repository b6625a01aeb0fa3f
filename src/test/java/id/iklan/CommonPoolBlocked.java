package id.iklan;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Occupies every worker of the common fork-join pool until closed, so a test can show that work
 * it expects on the calling thread (Caffeine's maintenance, say) was not handed to the pool: with
 * the pool blocked, handed-off work cannot run before the test looks.
 */
public final class CommonPoolBlocked implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);

  public CommonPoolBlocked() throws InterruptedException {
    int workers = ForkJoinPool.commonPool().getParallelism();
    CountDownLatch started = new CountDownLatch(workers);
    for (int i = 0; i < workers; i++) {
      ForkJoinPool.commonPool().execute(() -> {
        started.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    if (!started.await(10, TimeUnit.SECONDS)) {
      release.countDown();
      throw new IllegalStateException("the common pool's workers did not all start");
    }
  }

  @Override
  public void close() {
    release.countDown();
  }
}
