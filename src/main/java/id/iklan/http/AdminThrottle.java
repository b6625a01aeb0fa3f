package id.iklan.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.iklan.metrics.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Rate-limits failed admin authentications per client address (the socket peer): a token bucket
 * of {@code failuresPerMinute} failures that refills continuously over a minute. While an
 * address's bucket is empty, every admin request from it is refused with {@code 429} and
 * {@code Retry-After} before its token is even looked at, so guessing gets nothing back; and an
 * explain from it is ignored. Successful requests cost nothing. Buckets live in a bounded
 * Caffeine cache and are forgotten ten minutes after their last use (a full bucket then).
 *
 * <p><b>Off by default</b> ({@code failuresPerMinute} 0: failures are only counted in the
 * metrics). A throttle that refuses to look at tokens must refuse the right one too, or guessing
 * would learn from it; so while it holds, the address's ad ops get {@code 429} where SPEC §5
 * promises them their answer, and behind a CDN or load balancer, where every reader shares the
 * proxy's address, anyone could keep them out with a few wrong tokens on the public ad route.
 * Generated tokens have 256 random bits and cannot be guessed online; a deployment that sets a
 * short token of its own and faces clients directly can turn the throttle on (SECURITY.md).
 *
 * <p>One instance serves every event loop of a server ({@link #shared}).
 */
final class AdminThrottle implements Shareable {
  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final double perMinute;
  private final ServerMetrics metrics;
  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .maximumSize(100_000)
      .expireAfterAccess(Duration.ofMinutes(10))
      .build();

  AdminThrottle(int failuresPerMinute, ServerMetrics metrics) {
    this.perMinute = failuresPerMinute;
    this.metrics = metrics;
  }

  /** The one throttle of the server that {@code vertx} runs, shared by its event loops. */
  static AdminThrottle shared(Vertx vertx, int failuresPerMinute, ServerMetrics metrics) {
    return vertx.sharedData().<String, AdminThrottle>getLocalMap("iklan.http")
        .computeIfAbsent("adminThrottle", k -> new AdminThrottle(failuresPerMinute, metrics));
  }

  /**
   * Seconds until the address of {@code request} may try again, or 0 when it may try now.
   * Counts a refusal in the metrics when it is not 0.
   */
  long retryAfterSeconds(HttpServerRequest request) {
    if (perMinute == 0) {
      return 0;
    }
    Bucket bucket = buckets.getIfPresent(address(request));
    if (bucket == null) {
      return 0;
    }
    long wait = bucket.nanosUntilToken(perMinute);
    if (wait <= 0) {
      return 0;
    }
    metrics.adminAuthThrottled();
    return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
  }

  /** Records one failed authentication from the address of {@code request}. */
  void failed(HttpServerRequest request) {
    metrics.adminAuthFailed();
    if (perMinute == 0) {
      return;
    }
    buckets.get(address(request), a -> new Bucket(perMinute)).take(perMinute);
  }

  private static String address(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    return host == null ? "unknown" : host;
  }

  /** Failures an address may still make, refilled at {@code perMinute} a minute. */
  private static final class Bucket {
    private double tokens;
    private long updated = System.nanoTime();

    Bucket(double capacity) {
      tokens = capacity;
    }

    synchronized void take(double perMinute) {
      refill(perMinute);
      tokens = Math.max(0, tokens - 1);
    }

    synchronized long nanosUntilToken(double perMinute) {
      refill(perMinute);
      return tokens >= 1 ? 0 : (long) ((1 - tokens) * MINUTE_NANOS / perMinute);
    }

    private void refill(double perMinute) {
      long now = System.nanoTime();
      tokens = Math.min(perMinute, tokens + (now - updated) * perMinute / MINUTE_NANOS);
      updated = now;
    }
  }
}
