package id.iklan.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The fixed members of an ad in the {@code POST /v1/ads} answer, as JSON bytes: everything except
 * the two signed links. Those members are the same every time a creative of a campaign serves;
 * escaping them on every answer was the largest single cost of a request (15% of the server's
 * time), while copying the bytes costs next to nothing.
 *
 * <p><b>Why a cache and not the compiled rules.</b> Encoding every creative of a rule version when
 * it compiles would cost time and memory in proportion to the whole rule set (hundreds of MB at a
 * million campaigns), for the small share of creatives that actually serve. So the fragments are
 * made on first use and kept in a Caffeine cache keyed by the campaign id, advertiser and the
 * creative's value (everything a fragment is made of): an upload that leaves them unchanged keeps
 * the fragment, and one creative shared by two campaigns has an entry for each.
 *
 * <p><b>Bounded by bytes.</b> An html creative may hold 100,000 characters, so the bound is on
 * the memory the entries keep, not their number: each weighs its fragment plus about as much for
 * the creative's own strings, which the key keeps alive.
 *
 * <p>Thread-safe; one per server, shared by the event loops.
 */
public final class AdFragments {
  private final JsonFactory factory;
  /** Null when the cache is off (size 0). */
  private final Cache<Key, byte[]> cache;

  /**
   * What a fragment is made of. Not a record: its hash is computed once, from strings that cache
   * their own, and equality tries the creative's identity first (the same rule version serves
   * the same creative object every time), so a hit costs a few comparisons.
   */
  private static final class Key {
    private final String campaignId;
    private final String advertiser;
    private final Creative creative;
    private final int hash;

    Key(String campaignId, String advertiser, Creative creative) {
      this.campaignId = campaignId;
      this.advertiser = advertiser;
      this.creative = creative;
      this.hash = 31 * (31 * campaignId.hashCode() + advertiser.hashCode())
          + creative.id().hashCode();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && campaignId.equals(k.campaignId)
          && advertiser.equals(k.advertiser)
          && (creative == k.creative || creative.equals(k.creative));
    }
  }

  /**
   * @param maximumBytes about how much memory the kept fragments may take; 0 encodes every ad
   *     afresh
   */
  public AdFragments(JsonFactory factory, long maximumBytes) {
    if (maximumBytes < 0) {
      throw new IllegalArgumentException("maximumBytes must be >= 0");
    }
    this.factory = factory;
    this.cache = maximumBytes == 0 ? null : Caffeine.newBuilder()
        .executor(Runnable::run) // maintenance on the caller: see docs/design.md, "Caches"
        .maximumWeight(maximumBytes)
        .weigher((Key key, byte[] json) -> 2 * json.length + 200) // 200: the key and entry
        .recordStats()
        .build();
  }

  /**
   * The ad's members from {@code "campaignId"} to its last creative member, without braces or a
   * trailing comma, as UTF-8 JSON. The returned array is shared: never modify it.
   */
  byte[] of(Campaign campaign, Creative creative) {
    if (cache == null) {
      return encode(campaign, creative);
    }
    Key key = new Key(campaign.id(), campaign.advertiser(), creative);
    byte[] json = cache.getIfPresent(key);
    if (json == null) {
      json = encode(campaign, creative);
      cache.put(key, json);
    }
    return json;
  }

  public CacheStats stats() {
    return cache == null ? CacheStats.empty() : cache.stats();
  }

  public long size() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  /** The weight of what is kept, after pending evictions; for tests. */
  long weightedBytes() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** Encodes the fixed members with Jackson: the escaping is Jackson's, the layout SPEC §2's. */
  byte[] encode(Campaign campaign, Creative creative) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator g = factory.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("campaignId", campaign.id());
      g.writeStringField("creativeId", creative.id());
      g.writeStringField("advertiser", campaign.advertiser());
      g.writeStringField("format", creative.format().wireName());
      if (creative.size() != null && creative.format().isDisplay()) {
        g.writeArrayFieldStart("size");
        g.writeNumber(creative.size().width());
        g.writeNumber(creative.size().height());
        g.writeEndArray();
      }
      switch (creative.format()) {
        case IMAGE -> {
          g.writeStringField("imageUrl", creative.imageUrl());
          g.writeStringField("alt",
              creative.alt() != null ? creative.alt() : campaign.advertiser());
        }
        case HTML -> g.writeStringField("html", creative.html());
        case NATIVE -> {
          g.writeStringField("title", creative.title());
          if (creative.body() != null) {
            g.writeStringField("body", creative.body());
          }
          g.writeStringField("imageUrl", creative.imageUrl());
          g.writeStringField("sponsor", creative.sponsor());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] object = bytes.toByteArray();
    return Arrays.copyOfRange(object, 1, object.length - 1); // the members, without { and }
  }
}
