package id.iklan.http;

import id.iklan.context.ArticleKeywords;
import id.iklan.context.KeywordExtractor;
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
 * {@code POST /v1/ads}: parse, extract the article's keywords (cached; on a miss tens of
 * microseconds), select (pure and synchronous, on the event loop: microseconds), encode, end. One
 * rules snapshot is read at the start and used throughout, for the keywords too.
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

  AdsHandler(AdRequestParser parser, AdResponseWriter writer, GeoResolver geo, AdminAuth adminAuth,
      LiveRules rules, KeywordExtractor keywords, Selector selector, Clock clock,
      ServerMetrics metrics, URI publicBaseUrl, int tmaxDefaultMs, int tmaxMaxMs,
      Tracking tracking) {
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
    PageRequest request = parsed.request();
    if (parsed.article() != null) {
      // Matched against the keywords of the very snapshot that selects (cached per version).
      ArticleKeywords extracted = keywords.extract(parsed.article(), snapshot.keywordMatcher(),
          snapshot.version());
      request = new PageRequest(request.page().withExtracted(extracted), request.slots());
    }
    boolean explain = parsed.explainAsked() && adminAuth.isAdmin(http.getHeader("Authorization"));
    int tmax = parsed.tmaxMs() == 0 ? tmaxDefaultMs : Math.min(parsed.tmaxMs(), tmaxMaxMs);
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(tmax);
    Instant now = clock.instant();

    Selector.Outcome outcome = selector.serve(request, snapshot, now, ThreadLocalRandom.current(),
        explain, deadline);
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
