package id.iklan.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.RuleSet;
import id.iklan.selection.CompiledRules;
import id.iklan.store.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a click goes: the {@code clickUrl} of the token's creative in the rule version that
 * served it, never anything from the request. The click URLs of a few versions are kept in a
 * small cache; the live version is read from memory, older ones from the rule store.
 *
 * <p>{@link #cached} never blocks (call it on the event loop); {@link #resolve} may read a rule
 * file (call it on a worker). When the serving version is no longer kept by the store, the
 * creative's URL in the live version is used, if the creative is still there.
 */
public final class ClickTargets {
  /** A kept rule version's rule set, or empty when the store no longer has it. Blocking. */
  @FunctionalInterface
  public interface StoredVersions {
    Optional<RuleSet> ruleSet(long version) throws IOException;
  }

  /** Where to send a click; {@code url} is null when the ad is in neither version. */
  public record Target(String url) {
    static final Target NONE = new Target(null);
  }

  private static final Map<String, String> GONE = Map.of();

  private final Supplier<CompiledRules> live;
  private final StoredVersions stored;
  private final Cache<Long, Map<String, String>> versions;

  public ClickTargets(Supplier<CompiledRules> live, StoredVersions stored, int cachedVersions) {
    this.live = live;
    this.stored = stored;
    this.versions = Caffeine.newBuilder().maximumSize(cachedVersions).build();
  }

  /** The target if the versions it needs are in memory, else null: then call {@link #resolve}. */
  public Target cached(TrackingToken token) {
    Map<String, String> urls = versions.getIfPresent(token.ruleVersion());
    if (urls == null) {
      return null;
    }
    String url = urls.get(key(token.campaignId(), token.creativeId()));
    if (url != null) {
      return new Target(url);
    }
    CompiledRules current = live.get();
    Map<String, String> currentUrls = versions.getIfPresent(current.version());
    if (currentUrls == null) {
      return null;
    }
    return fallback(currentUrls, token);
  }

  /** The target, loading rule versions as needed. Blocking: not on an event loop. */
  public Target resolve(TrackingToken token) throws IOException {
    Map<String, String> serving;
    try {
      serving = urls(token.ruleVersion());
    } catch (StoreUnavailableException e) {
      serving = GONE; // the shared store is unreachable for now: the live version decides
    }
    String url = serving.get(key(token.campaignId(), token.creativeId()));
    if (url != null) {
      return new Target(url);
    }
    return fallback(urls(live.get().version()), token);
  }

  private static Target fallback(Map<String, String> currentUrls, TrackingToken token) {
    String url = currentUrls.get(key(token.campaignId(), token.creativeId()));
    return url == null ? Target.NONE : new Target(url);
  }

  private Map<String, String> urls(long version) throws IOException {
    Map<String, String> urls = versions.getIfPresent(version);
    if (urls != null) {
      return urls;
    }
    CompiledRules current = live.get();
    if (current.version() == version) {
      urls = index(current.ruleSet());
    } else {
      Optional<RuleSet> rules = stored.ruleSet(version);
      urls = rules.isPresent() ? index(rules.get()) : GONE;
    }
    versions.put(version, urls);
    return urls;
  }

  private static Map<String, String> index(RuleSet rules) {
    Map<String, String> urls = new HashMap<>();
    for (Campaign campaign : rules.campaigns()) {
      for (Creative creative : campaign.creatives()) {
        if (id.iklan.rules.RuleSetReader.isHttpUrl(creative.clickUrl())) {
          urls.put(key(campaign.id(), creative.id()), asciiUrl(creative.clickUrl()));
        }
      }
    }
    return Map.copyOf(urls);
  }

  private static String key(String campaignId, String creativeId) {
    return campaignId + '\u0000' + creativeId;
  }

  /** A Location header carries ASCII only: other characters are percent-encoded. */
  static String asciiUrl(String url) {
    try {
      return new URI(url).toASCIIString();
    } catch (URISyntaxException e) {
      return url;
    }
  }
}
