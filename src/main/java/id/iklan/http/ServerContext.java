package id.iklan.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.admin.RuleAdmin;
import id.iklan.config.IklanConfig;
import id.iklan.context.KeywordExtractor;
import id.iklan.geo.IpLocator;
import id.iklan.metrics.ServerMetrics;
import id.iklan.selection.LiveRules;
import id.iklan.selection.Selector;
import id.iklan.shared.Health;
import id.iklan.shared.RedisCounters;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.Tracking;
import java.time.Clock;

/**
 * Everything the HTTP layer is wired with; built once by the server and shared by verticles.
 * {@code ipLocator} is {@code null} when no IP database is configured; {@code sharedCounters}
 * is null in the embedded default. {@code adFragments} and {@code answerBuffers} are shared by the
 * event loops; {@code warmUp} marks the server's own requests while it warms up ({@link WarmUp}).
 */
public record ServerContext(
    IklanConfig config,
    ObjectMapper mapper,
    LiveRules rules,
    KeywordExtractor keywords,
    IpLocator ipLocator,
    Selector selector,
    TokenSigner signer,
    String adminToken,
    ServerMetrics metrics,
    RuleAdmin admin,
    Clock clock,
    Tracking tracking,
    Health health,
    RedisCounters sharedCounters,
    AdFragments adFragments,
    AnswerBuffers answerBuffers,
    WarmUp warmUp) {

  /** The embedded default: no shared services. */
  public ServerContext(IklanConfig config, ObjectMapper mapper, LiveRules rules,
      KeywordExtractor keywords, IpLocator ipLocator, Selector selector, TokenSigner signer,
      String adminToken, ServerMetrics metrics, RuleAdmin admin, Clock clock, Tracking tracking) {
    this(config, mapper, rules, keywords, ipLocator, selector, signer, adminToken, metrics, admin,
        clock, tracking, new Health(line -> { }), null,
        new AdFragments(mapper.getFactory(), config.adCacheMegabytes() * (1L << 20)),
        AnswerBuffers.pooled(), WarmUp.done());
  }

  public ServerContext {
    requireNonNull(config, "config");
    requireNonNull(mapper, "mapper");
    requireNonNull(rules, "rules");
    requireNonNull(keywords, "keywords");
    requireNonNull(selector, "selector");
    requireNonNull(signer, "signer");
    requireNonNull(adminToken, "adminToken");
    requireNonNull(metrics, "metrics");
    requireNonNull(admin, "admin");
    requireNonNull(clock, "clock");
    requireNonNull(tracking, "tracking");
    requireNonNull(health, "health");
    requireNonNull(adFragments, "adFragments");
    requireNonNull(answerBuffers, "answerBuffers");
    requireNonNull(warmUp, "warmUp");
  }
}
