package id.iklan.http;

import id.iklan.metrics.ServerMetrics;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Selector;
import id.iklan.selection.SlotDecision;
import id.iklan.tracking.Tracking;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/ads}: parse, select (pure and synchronous, on the event loop: microseconds),
 * encode, end. One rules snapshot is read at the start and used throughout.
 *
 * <p><b>Deadline and shedding.</b> Selection takes microseconds; what can make an answer late is
 * the wait before the handler runs, in the socket and in a busy event loop. So the deadline
 * ({@code tmax}, else the default, capped) counts from the moment the request's first byte
 * reached the server ({@link ConnectionGuard#ARRIVED_NANOS}), and the server keeps half of it for
 * what it
 * cannot see (the part of the wait in front of the socket read, and the way back): the decision
 * must be made within the first half. A request whose time so far plus its event loop's lag
 * already passes that, or that arrives while its loop holds more than
 * {@code limits.maxInFlightPerLoop} requests, is answered at once with every slot {@code null},
 * without selecting or counting anything, and is counted as shed. Answering no-fill costs a
 * fraction of a decision (no selection, no signed links), so shedding frees the loop to catch up.
 */
final class AdsHandler implements Handler<RoutingContext> {
  private final AdRequestParser parser;
  private final AdResponseWriter writer;
  private final GeoResolver geo;
  private final AdminAuth adminAuth;
  private final LiveRules rules;
  private final Selector selector;
  private final Clock clock;
  private final ServerMetrics metrics;
  private final URI publicBaseUrl;
  private final int tmaxDefaultMs;
  private final int tmaxMaxMs;
  private final Tracking tracking;
  private final AdminThrottle throttle;
  private final ConnectionGuard guard;
  private final int maxInFlight;

  AdsHandler(AdRequestParser parser, AdResponseWriter writer, GeoResolver geo, AdminAuth adminAuth,
      AdminThrottle throttle, LiveRules rules, Selector selector, Clock clock,
      ServerMetrics metrics, URI publicBaseUrl, int tmaxDefaultMs, int tmaxMaxMs,
      Tracking tracking, ConnectionGuard guard, int maxInFlight) {
    this.parser = parser;
    this.writer = writer;
    this.geo = geo;
    this.adminAuth = adminAuth;
    this.throttle = throttle;
    this.guard = guard;
    this.maxInFlight = maxInFlight;
    this.rules = rules;
    this.selector = selector;
    this.clock = clock;
    this.metrics = metrics;
    this.publicBaseUrl = publicBaseUrl;
    this.tmaxDefaultMs = tmaxDefaultMs;
    this.tmaxMaxMs = tmaxMaxMs;
    this.tracking = tracking;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    HttpServerRequest http = ctx.request();
    AdRequest parsed;
    try {
      Buffer body = ctx.body().buffer();
      parsed = parser.parse(body == null ? new byte[0] : body.getBytes(), geo.resolve(http));
    } catch (ProblemException e) {
      metrics.recordRejected();
      throw e;
    }
    PageRequest request = parsed.request();
    CompiledRules snapshot = rules.current();
    int tmax = parsed.tmaxMs() == 0 ? tmaxDefaultMs : Math.min(parsed.tmaxMs(), tmaxMaxMs);
    Long arrived = ctx.get(ConnectionGuard.ARRIVED_NANOS);
    long decideBy = (arrived == null ? started : arrived)
        + TimeUnit.MILLISECONDS.toNanos(tmax) / 2;
    Instant now = clock.instant();

    Selector.Outcome outcome = null;
    if (guard.inFlight() <= maxInFlight && started + guard.lagNanos() - decideBy < 0) {
      boolean explain = parsed.explainAsked() && explainAllowed(http);
      outcome = selector.serve(request, snapshot, now, ThreadLocalRandom.current(), explain,
          decideBy);
    }
    PageDecision decision;
    if (outcome == null) {
      decision = noFill(request);
      metrics.recordShed(request.slots().size());
    } else {
      decision = outcome.decision();
      tracking.served(now.toEpochMilli(), request.page().section(), request.page().userId(),
          decision);
      metrics.recordDecision(request.slots().size(), decision.filledCount(),
          System.nanoTime() - started);
    }
    AdResponseWriter.Context links = new AdResponseWriter.Context(RequestIds.next(),
        baseUrl(http), request.page().section(), snapshot.version(), now.getEpochSecond());
    byte[] body = writer.write(links, decision, outcome == null ? null : outcome.explanation());
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(body));
  }

  /** Whether an explain may be given: the admin token, from an address not throttled. */
  private boolean explainAllowed(HttpServerRequest http) {
    String authorization = http.getHeader("Authorization");
    if (authorization == null || throttle.retryAfterSeconds(http) > 0) {
      return false;
    }
    if (adminAuth.isAdmin(authorization)) {
      return true;
    }
    throttle.failed(http);
    return false;
  }

  private static PageDecision noFill(PageRequest request) {
    List<SlotDecision> slots = new ArrayList<>(request.slots().size());
    request.slots().forEach(slot -> slots.add(SlotDecision.noFill(slot)));
    return new PageDecision(slots);
  }

  private String baseUrl(HttpServerRequest http) {
    if (publicBaseUrl != null) {
      return publicBaseUrl.toString();
    }
    HostAndPort authority = http.authority();
    String scheme = http.scheme() == null ? "http" : http.scheme();
    if (authority == null) {
      return scheme + "://" + http.localAddress().hostAddress() + ":" + http.localAddress().port();
    }
    int port = authority.port();
    boolean defaultPort = port < 0 || (port == 80 && scheme.equals("http"))
        || (port == 443 && scheme.equals("https"));
    String host = authority.host();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }
}
