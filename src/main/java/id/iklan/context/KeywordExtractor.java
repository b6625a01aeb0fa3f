package id.iklan.context;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

/**
 * Extracts the rule keywords of an article, once per article and rule version: results are kept
 * in a bounded Caffeine cache, because a popular article is asked for on every one of its page
 * views while its text does not change.
 *
 * <p>The key is the rule version, the page URL, the declared language and a SHA-256 digest of
 * the title and the text (truncated to 128 bits). An edited article has another digest and so is
 * read again; a new rule version, whose vocabulary may differ, reads every article again. The
 * digest rather than a fast non-cryptographic hash, so that nobody can craft a text that takes
 * the cache entry of another article; with SHA-NI it costs about a microsecond per kilobyte.
 *
 * <p>Thread-safe; {@link #extract} runs on the event loop and never blocks (on a miss, two
 * requests for the same new article may both analyse it; that is cheaper than making one wait).
 */
public final class KeywordExtractor {
  private final Analyzers analyzers;
  /** Null when the cache is off (size 0): Caffeine would still keep entries until maintenance. */
  private final Cache<Key, ArticleKeywords> cache;
  private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  });

  /** What identifies an extraction: article (URL and digest of its text), language, rules. */
  private record Key(long ruleVersion, String url, String language, long digestHigh,
      long digestLow) {}

  /** @param maximumEntries how many articles to remember; 0 turns the cache off */
  public KeywordExtractor(Analyzers analyzers, long maximumEntries) {
    this.analyzers = requireNonNull(analyzers, "analyzers");
    if (maximumEntries < 0) {
      throw new IllegalArgumentException("maximumEntries must be >= 0");
    }
    this.cache = maximumEntries == 0 ? null
        : Caffeine.newBuilder()
            .executor(Runnable::run) // maintenance on the caller: see docs/design.md, "Caches"
            .maximumSize(maximumEntries).recordStats().build();
  }

  /**
   * The keywords of {@code matcher} (compiled for {@code ruleVersion}) found in the article;
   * {@link ArticleKeywords#NONE} when the article has neither title nor text.
   */
  public ArticleKeywords extract(Article article, KeywordMatcher matcher, long ruleVersion) {
    if (!article.hasText()) {
      return ArticleKeywords.NONE;
    }
    if (cache == null) {
      return analyse(article, matcher);
    }
    Key key = key(article, ruleVersion);
    ArticleKeywords cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    ArticleKeywords extracted = analyse(article, matcher);
    cache.put(key, extracted);
    return extracted;
  }

  /** The extraction itself, without the cache. */
  public ArticleKeywords analyse(Article article, KeywordMatcher matcher) {
    String title = nfkc(article.title());
    String text = nfkc(article.text());
    Language language = analyzers.languageOf(article.language(), title, text);
    return matcher.match(title, text, language);
  }

  /** Hits, misses and evictions since start. */
  public CacheStats stats() {
    return cache == null ? CacheStats.empty() : cache.stats();
  }

  /** Articles remembered now (an estimate, as Caffeine gives it). */
  public long size() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  /** Runs the cache's pending maintenance (evictions) now; for tests. */
  void cleanUp() {
    if (cache != null) {
      cache.cleanUp();
    }
  }

  private Key key(Article article, long ruleVersion) {
    MessageDigest digest = sha256.get();
    digest.reset();
    if (article.title() != null) {
      digest.update(article.title().getBytes(UTF_8));
    }
    digest.update((byte) 0); // no title "ab" + text "c" is title "a" + text "bc"
    if (article.text() != null) {
      digest.update(article.text().getBytes(UTF_8));
    }
    byte[] d = digest.digest();
    String language = article.language() == null ? "" : article.language();
    return new Key(ruleVersion, article.url(), language, longAt(d, 0), longAt(d, 8));
  }

  private static long longAt(byte[] b, int at) {
    long v = 0;
    for (int i = at; i < at + 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /**
   * Rule keywords are NFKC-normalised; the article is too, so that full-width letters or
   * ligatures meet them. Nearly all news text is already in NFKC, which the quick check sees
   * without copying.
   */
  private static String nfkc(String s) {
    if (s == null || Normalizer.isNormalized(s, Normalizer.Form.NFKC)) {
      return s;
    }
    return Normalizer.normalize(s, Normalizer.Form.NFKC);
  }
}
