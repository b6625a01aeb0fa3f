package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.JsonMapper;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.Format;
import id.iklan.rules.Size;
import id.iklan.selection.Explanation;
import id.iklan.selection.PageDecision;
import id.iklan.selection.Reason;
import id.iklan.selection.Slot;
import id.iklan.selection.SlotDecision;
import id.iklan.testing.CampaignBuilder;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.TrackingToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte-assembling {@link AdResponseWriter} against the generator-based writer it replaced
 * ({@link GeneratorAdResponseWriter}): for thousands of seeded answers (every creative format,
 * ids and texts with quotes, backslashes, control characters, non-ASCII and emoji, odd base
 * URLs, explanations) both must give the same JSON, member for member and in the same order,
 * with the fragment cache large, tiny (room for a few entries: they are evicted and encoded
 * again) and off.
 */
final class AdResponseWriterDifferentialTest {
  private static final ObjectMapper MAPPER = JsonMapper.create();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final TokenSigner SIGNER = TokenSigner.fromText("rahasia-uji-penulis-jawaban");
  private static final long TTL = 86_400;
  private static final AnswerBuffers BUFFERS = AnswerBuffers.pooled();
  private static final String[] PIECES = {"a", "Z", "7", "-", "_", " ", "/", "\"", "\\", "\n",
      "\t", "\u0001", "\u001f", "\u007f", "é", "€", "\u2028", "😀", "</script>", "&amp;", "ü"};
  private static final String[] BASES = {"https://ads.kabarkita.contoh.id", "http://127.0.0.1:8080",
      "http://[::1]:9000", "https://iklan.contoh.id/sub\"jalan\\"};

  @Test
  void write_anyAnswer_givesTheGeneratorsJson() throws IOException {
    SplittableRandom random = new SplittableRandom(28112026);
    List<Campaign> campaigns = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      campaigns.add(campaign(random, i));
    }
    GeneratorAdResponseWriter reference = new GeneratorAdResponseWriter(FACTORY, SIGNER, TTL);
    AdResponseWriter cached = new AdResponseWriter(FACTORY, BUFFERS,
        new AdFragments(FACTORY, 1L << 20), SIGNER, TTL);
    AdResponseWriter tiny = new AdResponseWriter(FACTORY, BUFFERS,
        new AdFragments(FACTORY, 2_000), SIGNER, TTL);
    AdResponseWriter uncached = new AdResponseWriter(FACTORY, BUFFERS, new AdFragments(FACTORY, 0),
        SIGNER, TTL);
    for (int i = 0; i < 3_000; i++) {
      PageDecision decision = decision(random, campaigns);
      AdResponseWriter.Context context = new AdResponseWriter.Context(
          random.nextInt(10) == 0 ? text(random, 8) : RequestIds.next(),
          BASES[random.nextInt(BASES.length)],
          random.nextInt(4) == 0 ? null : text(random, 6), random.nextLong(1, 1L << 40),
          random.nextLong(1, 1L << 33));
      Explanation explanation = random.nextInt(10) == 0 ? explanation(random, decision) : null;

      String expected = normalized(reference.write(context, decision, explanation));
      for (AdResponseWriter writer : List.of(cached, tiny, uncached)) {
        String actual = normalized(answer(writer, context, decision, explanation));
        assertThat(actual).as("answer %d, first difference at: %s", i,
            firstDifference(expected, actual)).isEqualTo(expected);
      }
    }
    assertThat(BUFFERS.inFlight()).as("answer buffers not given back").isZero();
  }

  @Test
  void write_filledSlot_linksCarryOneVerifiableTokenForThatAd() throws Exception {
    Campaign campaign = CampaignBuilder.campaign("c-bank").advertiser("Bank Nusantara")
        .image("cr-1", 300, 250).build();
    Slot slot = new Slot("atas", List.of(new Size(300, 250)), false);
    PageDecision decision = new PageDecision(List.of(
        new SlotDecision(slot, campaign, campaign.creatives().get(0)),
        SlotDecision.noFill(new Slot("bawah", List.of(new Size(728, 90)), false))));
    AdResponseWriter writer = new AdResponseWriter(FACTORY, BUFFERS,
        new AdFragments(FACTORY, 100_000), SIGNER, TTL);

    JsonNode answer = MAPPER.readTree(answer(writer, new AdResponseWriter.Context("req-9",
        "https://ads.contoh.id", "ekonomi", 12, 1_800_000_000L), decision, null));

    JsonNode ad = answer.path("slots").path("atas");
    assertThat(answer.path("slots").has("bawah")).isTrue();
    assertThat(answer.path("slots").path("bawah").isNull()).isTrue();
    assertThat(ad.path("campaignId").asText()).isEqualTo("c-bank");
    assertThat(ad.path("alt").asText()).isEqualTo("Bank Nusantara");
    String click = ad.path("clickUrl").asText();
    String impression = ad.path("impressionUrl").asText();
    assertThat(click).startsWith("https://ads.contoh.id/v1/click?t=");
    assertThat(impression).startsWith("https://ads.contoh.id/v1/imp?t=");
    String token = click.substring(click.indexOf("t=") + 2);
    assertThat(impression).endsWith("t=" + token);
    assertThat(SIGNER.verify(token, 1_800_000_001L)).isEqualTo(new TrackingToken("req-9",
        "atas", "c-bank", "cr-1", "ekonomi", 12, 1_800_000_000L, 1_800_000_000L + TTL));
  }

  @Test
  void write_sameCreativeInTwoCampaigns_eachAdNamesItsOwnCampaign() throws Exception {
    Creative shared = new Creative("rumah", Format.IMAGE, new Size(300, 250),
        "https://cdn.contoh.id/rumah.png", "Iklan rumah", null, null, null, null,
        "https://contoh.id/", 1);
    Campaign first = withCreatives(CampaignBuilder.campaign("c-1").advertiser("Satu").build(),
        List.of(shared));
    Campaign second = withCreatives(CampaignBuilder.campaign("c-2").advertiser("Dua").build(),
        List.of(shared));
    AdResponseWriter writer = new AdResponseWriter(FACTORY, BUFFERS,
        new AdFragments(FACTORY, 100_000), SIGNER, TTL);
    Slot a = new Slot("a", List.of(new Size(300, 250)), false);
    Slot b = new Slot("b", List.of(new Size(300, 250)), false);

    JsonNode answer = MAPPER.readTree(answer(writer, new AdResponseWriter.Context("r", BASES[0],
        null, 1, 1_800_000_000L), new PageDecision(List.of(new SlotDecision(a, first, shared),
        new SlotDecision(b, second, shared))), null));

    assertThat(answer.path("slots").path("a").path("campaignId").asText()).isEqualTo("c-1");
    assertThat(answer.path("slots").path("a").path("advertiser").asText()).isEqualTo("Satu");
    assertThat(answer.path("slots").path("b").path("campaignId").asText()).isEqualTo("c-2");
    assertThat(answer.path("slots").path("b").path("advertiser").asText()).isEqualTo("Dua");
  }

  /**
   * The JSON re-written in one canonical form, members in their order. Not the raw bytes: in
   * member names and in the ids it writes, Jackson's generator writes characters outside the BMP
   * as escaped surrogate pairs ({@code \uD83D\uDE00}) where the writer writes UTF-8; both read
   * back the same.
   */
  /** The answer's bytes, its pooled buffer given back (as the handler does once it is sent). */
  private static byte[] answer(AdResponseWriter writer, AdResponseWriter.Context context,
      PageDecision decision, Explanation explanation) {
    ByteBuf buffer = writer.write(context, decision, explanation);
    try {
      return ByteBufUtil.getBytes(buffer);
    } finally {
      writer.release(buffer);
    }
  }

  private static String normalized(byte[] json) throws IOException {
    return MAPPER.readTree(json).toString();
  }

  private static String firstDifference(String expected, String actual) {
    int i = 0;
    while (i < expected.length() && i < actual.length()
        && expected.charAt(i) == actual.charAt(i)) {
      i++;
    }
    int from = Math.max(0, i - 60);
    return "expected ..." + expected.substring(from, Math.min(expected.length(), i + 60))
        + "... but was ..." + actual.substring(from, Math.min(actual.length(), i + 60)) + "...";
  }

  @Test
  void fragments_largeHtmlCreatives_stayWithinTheByteBound() {
    AdFragments fragments = new AdFragments(FACTORY, 1L << 20);
    for (int i = 0; i < 60; i++) {
      Creative html = new Creative("besar-" + i, Format.HTML, new Size(300, 250), null, null,
          "<p>" + "x".repeat(100_000) + "</p>", null, null, null, "https://contoh.id/", 1);
      Campaign campaign = withCreatives(CampaignBuilder.campaign("c-" + i).build(),
          List.of(html));

      assertThat(new String(fragments.of(campaign, html), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"creativeId\":\"besar-" + i + "\"");
    }

    // 60 fragments of 100 KB are 6 MB; the cache keeps what fits in its 1 MiB (a weigher that
    // ignored the size would keep all 60 and still report a small weight)
    assertThat(fragments.weightedBytes()).isLessThanOrEqualTo(1L << 20).isPositive();
    assertThat(fragments.size()).isBetween(1L, 5L);
  }

  @Test
  void fragments_oneCreativeInTwoCampaigns_isCachedForEach() {
    Creative shared = new Creative("rumah", Format.IMAGE, new Size(300, 250),
        "https://cdn.contoh.id/rumah.png", null, null, null, null, null, "https://contoh.id/", 1);
    Campaign first = withCreatives(CampaignBuilder.campaign("c-1").advertiser("Satu").build(),
        List.of(shared));
    Campaign second = withCreatives(CampaignBuilder.campaign("c-2").advertiser("Dua").build(),
        List.of(shared));
    AdFragments fragments = new AdFragments(FACTORY, 1L << 20);

    for (int i = 0; i < 10; i++) {
      fragments.of(first, shared);
      fragments.of(second, shared);
    }

    assertThat(fragments.size()).isEqualTo(2);
    assertThat(fragments.stats().missCount()).isEqualTo(2);
    assertThat(fragments.stats().hitCount()).isEqualTo(18);
  }

  // ---- generated answers ----

  private static String text(SplittableRandom random, int maxPieces) {
    StringBuilder out = new StringBuilder();
    int n = 1 + random.nextInt(maxPieces);
    for (int i = 0; i < n; i++) {
      out.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)]
          : PIECES[random.nextInt(4)]);
    }
    return out.toString();
  }

  private static Campaign campaign(SplittableRandom random, int index) {
    List<Creative> creatives = new ArrayList<>();
    for (int c = random.nextInt(1, 4); c > 0; c--) {
      String id = text(random, 4) + c;
      String click = "https://contoh.id/" + text(random, 3);
      creatives.add(switch (random.nextInt(4)) {
        case 0 -> new Creative(id, Format.IMAGE, new Size(300, 250), "https://cdn.contoh.id/"
            + text(random, 3), random.nextBoolean() ? null : text(random, 6), null, null, null,
            null, click, 1);
        case 1 -> new Creative(id, Format.HTML, new Size(728, 90), null, null,
            "<div class=\"iklan\">" + text(random, 10) + "</div>", null, null, null, click, 1);
        case 2 -> new Creative(id, Format.NATIVE, null, "https://cdn.contoh.id/n.jpg", null,
            null, text(random, 6), random.nextBoolean() ? null : text(random, 8),
            text(random, 3), click, 1);
        default -> new Creative(id, Format.IMAGE, new Size(320, 50), "https://cdn.contoh.id/m",
            "alt", null, null, null, null, click, 2);
      });
    }
    Campaign base = CampaignBuilder.campaign("c-" + index + text(random, 3))
        .advertiser(text(random, 5)).build();
    return withCreatives(base, creatives);
  }

  private static Campaign withCreatives(Campaign c, List<Creative> creatives) {
    return new Campaign(c.id(), c.advertiser(), c.category(), c.status(), c.tier(), c.cpm(),
        c.currency(), c.weight(), c.start(), c.end(), c.goal(), c.frequencyCap(), c.roadblock(),
        c.targeting(), creatives);
  }

  private static PageDecision decision(SplittableRandom random, List<Campaign> campaigns) {
    List<SlotDecision> slots = new ArrayList<>();
    int n = 1 + random.nextInt(6);
    for (int i = 0; i < n; i++) {
      Slot slot = new Slot("s" + i + text(random, 3), List.of(new Size(300, 250)), true);
      if (random.nextInt(4) == 0) {
        slots.add(SlotDecision.noFill(slot));
      } else {
        Campaign c = campaigns.get(random.nextInt(campaigns.size()));
        slots.add(new SlotDecision(slot, c, c.creatives().get(random.nextInt(
            c.creatives().size()))));
      }
    }
    return new PageDecision(slots);
  }

  private static Explanation explanation(SplittableRandom random, PageDecision decision) {
    Map<String, Explanation.SlotExplanation> slots = new LinkedHashMap<>();
    for (SlotDecision slot : decision.slots()) {
      Map<String, Reason> lost = new LinkedHashMap<>();
      lost.put(text(random, 3), Reason.values()[random.nextInt(Reason.values().length)]);
      slots.put(slot.slot().id(), new Explanation.SlotExplanation(
          slot.filled() ? slot.campaign().id() : null, random.nextInt(50), lost));
    }
    return new Explanation(slots);
  }
}
