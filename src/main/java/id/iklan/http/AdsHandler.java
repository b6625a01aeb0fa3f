package id.iklan.http;

import id.iklan.context.ArticleKeywords;
import id.iklan.context.KeywordExtractor;
import id.iklan.metrics.ServerMetrics;
import id.iklan.rules.Campaign;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.Explanation;
import id.iklan.selection.LiveRules;
import id.iklan.selection.Location;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Selector;
import id.iklan.selection.SlotDecision;
import id.iklan.shared.RedisCounters;
import id.iklan.tracking.Tracking;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
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
 *
 * <p><b>Deadline and shedding.</b> Selection takes microseconds; what can make an answer late is
 * the wait before the handler runs, in the socket and in a busy event loop. So the deadline
 * ({@code tmax}, else the default, capped) counts from the moment the request's first byte
 * reached the server ({@link ConnectionGuard#arrivedNanos}), and the server keeps half of it for
 * what it
 * cannot see (the part of the wait in front of the socket read, and the way back): the decision
 * must be made within the first half. A request whose time so far plus its event loop's lag
 * already passes that, or that arrives while its loop holds more than
 * {@code limits.maxInFlightPerLoop} requests, is answered at once with every slot {@code null},
 * without selecting or counting anything, and is counted as shed. Answering no-fill costs a
 * fraction of a decision (no selection, no signed links), so shedding frees the loop to catch up.
 */
final class AdsHandler implements Handler<RoutingContext> {
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

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
  private final AdminThrottle throttle;
  private final ConnectionGuard guard;
  private final int maxInFlight;
  private final String publicBaseUrlText;
  private final WarmUp warmUp;
  private String lastHost;
  private boolean lastSsl;
  private String lastBaseUrl;

  AdsHandler(AdRequestParser parser, AdResponseWriter writer, GeoResolver geo, AdminAuth adminAuth,
      AdminThrottle throttle, LiveRules rules, KeywordExtractor keywords, Selector selector,
      Clock clock, ServerMetrics metrics, URI publicBaseUrl, int tmaxDefaultMs, int tmaxMaxMs,
      Tracking tracking, RedisCounters shared, ConnectionGuard guard, int maxInFlight,
      WarmUp warmUp) {
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
    this.throttle = throttle;
    this.guard = guard;
    this.maxInFlight = maxInFlight;
    this.publicBaseUrlText = publicBaseUrl == null ? null : publicBaseUrl.toString();
    this.warmUp = warmUp;
  }

  /**
   * Reads the body, then answers. The body is read here rather than by Vert.x Web's body
   * handler, which copied every body into a buffer of its own (about 1 KB per request, LOAD.md):
   * a body that arrives in one piece, as nearly all do, is parsed in the buffer it came in. The
   * rest is what that handler did: a declared length over the limit is refused before reading
   * ({@code 413}), so is a body that grows past it, {@code Expect: 100-continue} is honoured,
   * and a body that cannot be read fails the request. The media type is checked first
   * ({@code 415}): a body that will be refused is not read.
   */
  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    String declared = http.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declaredTooLong(declared)) {
      ctx.fail(413);
      return;
    }
    String contentType = http.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null && !HttpApi.isJson(contentType)) {
      ctx.fail(415);
      return;
    }
    if (http.isEnded()) { // not expected: the router pauses a request until a handler reads it
      decideAndAnswer(ctx, null);
      return;
    }
    String expect = http.getHeader(HttpHeaders.EXPECT);
    if (expect != null && expect.equalsIgnoreCase("100-continue")) {
      if (http.version() == HttpVersion.HTTP_1_0) {
        ctx.fail(417);
        return;
      }
      http.response().writeContinue();
    }
    BodyReader reader = new BodyReader(ctx);
    http.exceptionHandler(ctx::fail);
    http.handler(reader);
    http.endHandler(v -> reader.end());
    http.resume();
  }

  /** Whether a Content-Length is over the limit (a malformed one is Vert.x's to refuse). */
  private static boolean declaredTooLong(String declared) {
    try {
      return Long.parseLong(declared.trim()) > HttpApi.MAX_AD_REQUEST_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The chunks of one request's body: the first kept as it came, more joined in a copy. */
  private final class BodyReader implements Handler<Buffer> {
    private final RoutingContext ctx;
    private Buffer first;
    private Buffer joined;
    private long length;
    private boolean refused;

    BodyReader(RoutingContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void handle(Buffer chunk) {
      if (refused) {
        return;
      }
      length += chunk.length();
      if (length > HttpApi.MAX_AD_REQUEST_BYTES) {
        refused = true;
        ctx.fail(413);
      } else if (first == null) {
        first = chunk; // Vert.x hands each chunk over in a heap buffer of its own
      } else {
        if (joined == null) {
          joined = Buffer.buffer((int) Math.min(HttpApi.MAX_AD_REQUEST_BYTES, length * 2))
              .appendBuffer(first);
        }
        joined.appendBuffer(chunk);
      }
    }

    void end() {
      if (refused) {
        return;
      }
      try {
        decideAndAnswer(ctx, joined != null ? joined : first);
      } catch (RuntimeException e) {
        ctx.fail(e); // what the router does with a handler's exception
      }
    }
  }

  private void decideAndAnswer(RoutingContext ctx, Buffer body) {
    long started = System.nanoTime();
    HttpServerRequest http = ctx.request();
    AdRequest parsed;
    try {
      parsed = parse(body, geo.resolve(http));
    } catch (ProblemException e) {
      metrics.recordRejected();
      throw e;
    }
    CompiledRules snapshot = rules.current();
    PageRequest request = withArticleKeywords(parsed, snapshot);
    if (warmUp.isOwn(http)) { // decided, never counted: see WarmUp
      Instant now = clock.instant();
      answer(ctx, request, snapshot, now,
          selector.decide(request, snapshot, now, ThreadLocalRandom.current()), null);
      return;
    }
    int tmax = parsed.tmaxMs() == 0 ? tmaxDefaultMs : Math.min(parsed.tmaxMs(), tmaxMaxMs);
    long arrival = guard.arrivedNanos(ctx, started);
    long deadline = arrival + TimeUnit.MILLISECONDS.toNanos(tmax);
    long decideBy = arrival + TimeUnit.MILLISECONDS.toNanos(tmax) / 2;
    Instant now = clock.instant();

    Selector.Outcome outcome = decide(ctx, parsed, request, snapshot, now, started, decideBy);
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
    reserveThenServe(ctx, request, snapshot, now, outcome.decision(), asks,
        outcome.explanation(), started, deadline, decideBy, 1);
  }

  /**
   * Asks Redis for the caps of {@code asks}, then answers. A slot whose capped campaign Redis
   * refused (another server served the reader first) goes to the next best campaign, as if the
   * refused one had not been eligible (SPEC §4): decided again with the others kept, and, when
   * that places capped campaigns anew, asked once more ({@code refills} times at most); a slot
   * refused again, or past the deadline, stays empty.
   */
  private void reserveThenServe(RoutingContext ctx, PageRequest request, CompiledRules snapshot,
      Instant now, PageDecision decision, List<RedisCounters.CapAsk> asks,
      Explanation explanation, long started, long deadline, long decideBy, int refills) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - 1;
    Context context = ctx.vertx().getOrCreateContext();
    shared.reserve(request.page().userId(), asks, now.toEpochMilli(), leftMs)
        .onComplete(result -> context.runOnContext(v -> {
          // a failure is not expected (a refusal is a result): never risk a cap
          Set<String> refused = result.failed()
              ? asks.stream().map(RedisCounters.CapAsk::campaignId)
                  .collect(java.util.stream.Collectors.toSet())
              : result.result();
          if (refused.isEmpty()) {
            served(ctx, request, snapshot, now, decision, explanation, started);
            return;
          }
          PageDecision kept = without(decision, refused);
          if (refills == 0) {
            served(ctx, request, snapshot, now, kept, explanation, started);
            return;
          }
          Selector.Outcome again = selector.refill(request, kept, snapshot, now,
              ThreadLocalRandom.current(), explanation != null, decideBy);
          PageDecision refilled = again.decision();
          Explanation explained = again.explanation() != null ? again.explanation() : explanation;
          List<RedisCounters.CapAsk> more = capAsks(newlyFilled(kept, refilled));
          if (more.isEmpty()) {
            served(ctx, request, snapshot, now, refilled, explained, started);
            return;
          }
          reserveThenServe(ctx, request, snapshot, now, refilled, more, explained, started,
              deadline, decideBy, refills - 1);
        }));
  }

  /** The slots {@code after} fills that {@code before} left empty; the others empty. */
  private static PageDecision newlyFilled(PageDecision before, PageDecision after) {
    List<SlotDecision> slots = new ArrayList<>(after.slots().size());
    for (int i = 0; i < after.slots().size(); i++) {
      SlotDecision slot = after.slots().get(i);
      slots.add(before.slots().get(i).filled() ? SlotDecision.noFill(slot.slot()) : slot);
    }
    return new PageDecision(slots);
  }

  /**
   * Parses the body where it lies when it is a heap buffer (Vert.x hands chunks over in those),
   * else a copy. {@code BufferInternal} is in Vert.x's internal package (not public API, so it
   * may change between releases; the fallback then still works); the slice it returns shares the
   * bytes and is only read here.
   */
  private AdRequest parse(Buffer body, Location location) {
    if (body == null) {
      return parser.parse(new byte[0], location);
    }
    if (body instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf();
      if (bytes.hasArray()) {
        return parser.parse(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(),
            bytes.readableBytes(), location);
      }
    }
    return parser.parse(body.getBytes(), location);
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
    ByteBuf body = writer.write(links, decision, explanation);
    Future<Void> written;
    try {
      written = ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
          .end(BufferInternal.buffer(body));
    } catch (RuntimeException e) {
      writer.release(body);
      throw e;
    }
    written.onComplete(done -> writer.release(body)); // sent or failed: Netty is done with it
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

  /**
   * The decision, or null when it would come too late: the event loop holds too many requests,
   * or the request's time so far plus the loop's lag already passes {@code decideBy}.
   */
  private Selector.Outcome decide(RoutingContext ctx, AdRequest parsed, PageRequest request,
      CompiledRules snapshot, Instant now, long started, long decideBy) {
    if (guard.inFlight() > maxInFlight || started + guard.lagNanos() - decideBy >= 0) {
      return null;
    }
    boolean explain = parsed.explainAsked() && explainAllowed(ctx.request());
    return selector.serve(request, snapshot, now, ThreadLocalRandom.current(), explain, decideBy);
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

  /**
   * The base of the tracking links: the configured public URL, else the scheme and authority
   * the page used. Pages reach a server under one or a few names, so the last one is kept (this
   * handler belongs to one event loop) and the authority is parsed only when the name changes.
   */
  private String baseUrl(HttpServerRequest http) {
    if (publicBaseUrl != null) {
      return publicBaseUrlText;
    }
    String host = http.getHeader(HttpHeaders.HOST);
    boolean ssl = http.isSSL();
    if (host != null && host.equals(lastHost) && ssl == lastSsl) {
      return lastBaseUrl;
    }
    String base = requestBaseUrl(http);
    if (host != null && http.authority() != null) { // else the base is the connection's own
      lastHost = host;
      lastSsl = ssl;
      lastBaseUrl = base;
    }
    return base;
  }

  private static String requestBaseUrl(HttpServerRequest http) {
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
