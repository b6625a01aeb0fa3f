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
 * The fixed members of an ad in the {@code POST /v1/ads} answer, as JSON bytes: everything but
 * the two signed links, which are the same every time a creative of a campaign serves. Escaping
 * those strings on every answer was the largest single cost of a request (15% of the server's
 * time); copying the bytes costs next to nothing.
 *
 * <p><b>Why a cache and not the compiled rules.</b> Encoding every creative of a rule version when
 * it compiles would cost time and memory in proportion to the whole rule set (hundreds of MB at a
 * million campaigns), for the small share of creatives that actually serve. So the fragments are
 * made on first use and kept in a bounded Caffeine cache keyed by the creative's value: an upload
 * that leaves a creative unchanged keeps its fragment. A fragment also holds its campaign's id and
 * advertiser; two campaigns with identical creatives (same id, same content) share one entry, and
 * the one that does not own it gets its fragment encoded afresh (correct, just not cached).
 *
 * <p>Thread-safe; one per server, shared by the event loops.
 */
public final class AdFragments {
  private final JsonFactory factory;
  /** Null when the cache is off (size 0). */
  private final Cache<Creative, Fragment> cache;

  private record Fragment(String campaignId, String advertiser, byte[] json) {}

  /**
   * @param maximumEntries how many creatives' fragments to keep; 0 encodes every ad afresh
   */
  public AdFragments(JsonFactory factory, long maximumEntries) {
    if (maximumEntries < 0) {
      throw new IllegalArgumentException("maximumEntries must be >= 0");
    }
    this.factory = factory;
    this.cache = maximumEntries == 0 ? null
        : Caffeine.newBuilder().maximumSize(maximumEntries).recordStats().build();
  }

  /**
   * The ad's members from {@code "campaignId"} to its last creative member, without braces or a
   * trailing comma, as UTF-8 JSON. The returned array is shared: never modify it.
   */
  byte[] of(Campaign campaign, Creative creative) {
    if (cache == null) {
      return encode(campaign, creative);
    }
    Fragment fragment = cache.getIfPresent(creative);
    if (fragment == null) {
      fragment = new Fragment(campaign.id(), campaign.advertiser(), encode(campaign, creative));
      cache.put(creative, fragment);
    } else if (!fragment.campaignId().equals(campaign.id())
        || !fragment.advertiser().equals(campaign.advertiser())) {
      return encode(campaign, creative);
    }
    return fragment.json();
  }

  public CacheStats stats() {
    return cache == null ? CacheStats.empty() : cache.stats();
  }

  public long size() {
    return cache == null ? 0 : cache.estimatedSize();
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
