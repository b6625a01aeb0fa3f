package id.iklan.http;

import id.iklan.context.ArticleKeywords;
import id.iklan.context.KeywordExtractor;
import id.iklan.metrics.ServerMetrics;
import id.iklan.rules.Campaign;
import id.iklan.selection.Explanation;
import id.iklan.shared.RedisCounters;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Selector;
import id.iklan.selection.SlotDecision;
import id.iklan.tracking.Tracking;
import io.vertx.core.Context;
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
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/ads}: parse, extract the article's keywords (cached; on a miss tens of
 * microseconds), select (pure and synchronous, on the event loop: microseconds), encode, end. One
 * rules snapshot is read at the start and used throughout, for the keywords too. With counters
 * shared on Redis, a page that serves capped campaigns is answered when Redis has checked and
 * counted their caps (without waiting on the event loop, and within the request's deadline).
 */
final class AdsHandler implements Handler<RoutingContext> {
  private final AdRequestParser parser;
  private final AdResponseWriter writer;
  private final GeoResolver geo;
  private final AdminAuth adminAuth;
  private final LiveRules rules;
  private final KeywordExtractor keywords;
  private final Selector selector;
  private final Clock clock;
  private final ServerMetrics metrics;
  private final URI publicBaseUrl;
  private final int tmaxDefaultMs;
  private final int tmaxMaxMs;
  private final Tracking tracking;
  /** Null in the embedded default, where caps are checked in this process only. */
  private final RedisCounters shared;

  AdsHandler(AdRequestParser parser, AdResponseWriter writer, GeoResolver geo, AdminAuth adminAuth,
      LiveRules rules, KeywordExtractor keywords, Selector selector, Clock clock,
      ServerMetrics metrics, URI publicBaseUrl, int tmaxDefaultMs, int tmaxMaxMs,
      Tracking tracking, RedisCounters shared) {
    this.parser = parser;
    this.writer = writer;
    this.geo = geo;
    this.adminAuth = adminAuth;
    this.rules = rules;
    this.keywords = keywords;
    this.selector = selector;
    this.clock = clock;
    this.metrics = metrics;
    this.publicBaseUrl = publicBaseUrl;
    this.tmaxDefaultMs = tmaxDefaultMs;
    this.tmaxMaxMs = tmaxMaxMs;
    this.tracking = tracking;
    this.shared = shared;
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
    CompiledRules snapshot = rules.current();
    PageRequest request = withArticleKeywords(parsed, snapshot);
    boolean explain = parsed.explainAsked() && adminAuth.isAdmin(http.getHeader("Authorization"));
    int tmax = parsed.tmaxMs() == 0 ? tmaxDefaultMs : Math.min(parsed.tmaxMs(), tmaxMaxMs);
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(tmax);
    Instant now = clock.instant();

    Selector.Outcome outcome = selector.serve(request, snapshot, now, ThreadLocalRandom.current(),
        explain, deadline);
    if (outcome == null) {
      metrics.recordShed(request.slots().size());
      answer(ctx, request, snapshot, now, noFill(request), null);
      return;
    }
    List<RedisCounters.CapAsk> asks = shared == null ? List.of() : capAsks(outcome.decision());
    if (asks.isEmpty()) {
      served(ctx, request, snapshot, now, outcome.decision(), outcome.explanation(), started);
      return;
    }
    // Capped campaigns are checked and counted in Redis before the answer: exact caps across
    // servers. The event loop does not wait; the answer is written when Redis replies, or
    // without the capped ads when it does not reply within the request's deadline.
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - 1;
    Context context = ctx.vertx().getOrCreateContext();
    shared.reserve(request.page().userId(), asks, now.toEpochMilli(), leftMs)
        .onComplete(result -> context.runOnContext(v -> {
          PageDecision decision = outcome.decision();
          if (result.failed()) { // not expected (a refusal is a result): never risk a cap
            decision = without(decision, asks.stream().map(RedisCounters.CapAsk::campaignId)
                .collect(java.util.stream.Collectors.toSet()));
          } else if (!result.result().isEmpty()) {
            decision = without(decision, result.result());
          }
          served(ctx, request, snapshot, now, decision, outcome.explanation(), started);
        }));
  }

  /** The request with the article's keywords, matched against the snapshot that selects. */
  private PageRequest withArticleKeywords(AdRequest parsed, CompiledRules snapshot) {
    PageRequest request = parsed.request();
    if (parsed.article() == null) {
      return request;
    }
    ArticleKeywords extracted = keywords.extract(parsed.article(), snapshot.keywordMatcher(),
        snapshot.version()); // cached per article and rule version
    return new PageRequest(request.page().withExtracted(extracted), request.slots());
  }

  private void served(RoutingContext ctx, PageRequest request, CompiledRules snapshot,
      Instant now, PageDecision decision, Explanation explanation, long started) {
    tracking.served(now.toEpochMilli(), request.page().section(), request.page().userId(),
        decision);
    metrics.recordDecision(request.slots().size(), decision.filledCount(),
        System.nanoTime() - started);
    answer(ctx, request, snapshot, now, decision, explanation);
  }

  private void answer(RoutingContext ctx, PageRequest request, CompiledRules snapshot,
      Instant now, PageDecision decision, Explanation explanation) {
    if (ctx.response().closed()) {
      return;
    }
    HttpServerRequest http = ctx.request();
    AdResponseWriter.Context links = new AdResponseWriter.Context(RequestIds.next(),
        baseUrl(http), request.page().section(), snapshot.version(), now.getEpochSecond());
    byte[] body = writer.write(links, decision, explanation);
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(body));
  }

  /** The capped campaigns a decision serves, with how many slots each takes. */
  private static List<RedisCounters.CapAsk> capAsks(PageDecision decision) {
    List<RedisCounters.CapAsk> asks = null;
    for (SlotDecision slot : decision.slots()) {
      Campaign c = slot.campaign();
      if (c == null || c.frequencyCap() == null) {
        continue;
      }
      if (asks == null) {
        asks = new ArrayList<>(2);
      }
      int found = -1;
      for (int i = 0; i < asks.size(); i++) {
        if (asks.get(i).campaignId().equals(c.id())) {
          found = i;
        }
      }
      if (found >= 0) {
        RedisCounters.CapAsk a = asks.get(found);
        asks.set(found, new RedisCounters.CapAsk(a.campaignId(), a.times() + 1, a.capCount(),
            a.windowMillis()));
      } else {
        asks.add(new RedisCounters.CapAsk(c.id(), 1, c.frequencyCap().count(),
            c.frequencyCap().window().toMillis()));
      }
    }
    return asks == null ? List.of() : asks;
  }

  /** The decision with the slots of {@code refused} campaigns left unfilled. */
  private static PageDecision without(PageDecision decision, Set<String> refused) {
    List<SlotDecision> slots = new ArrayList<>(decision.slots().size());
    for (SlotDecision slot : decision.slots()) {
      slots.add(slot.filled() && refused.contains(slot.campaign().id())
          ? SlotDecision.noFill(slot.slot()) : slot);
    }
    return new PageDecision(slots);
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
