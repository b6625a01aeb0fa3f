package id.iklan.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.selection.Explanation;
import id.iklan.selection.PageDecision;
import id.iklan.selection.Reason;
import id.iklan.selection.SlotDecision;
import id.iklan.tracking.TokenSigner;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code POST /v1/ads} response (SPEC §2): every requested slot id as a key in request
 * order, {@code null} for no fill, and signed tracking URLs.
 *
 * <p>The answer is assembled from bytes: each ad's fixed members come pre-encoded from
 * {@link AdFragments}, the token is signed into a reused buffer, and the rest is a handful of
 * constant pieces and escaped ids, written into one array of this writer's and copied once into
 * a pooled direct buffer ({@link AnswerBuffers}), which the caller gives back after sending it.
 * Only the rare {@code explain} member is written with Jackson's generator. A request used to
 * spend a third of its time and most of its allocation here (LOAD.md).
 *
 * <p>Not thread-safe: each event loop's router has its own writer.
 */
final class AdResponseWriter {
  private static final byte[] START = ascii("{\"requestId\":\"");
  private static final byte[] SLOTS = ascii("\",\"slots\":{");
  private static final byte[] NULL = ascii("null");
  private static final byte[] CLICK_URL = ascii(",\"clickUrl\":\"");
  private static final byte[] CLICK_PATH = ascii("/v1/click?t=");
  private static final byte[] IMPRESSION_URL = ascii("\",\"impressionUrl\":\"");
  private static final byte[] IMPRESSION_PATH = ascii("/v1/imp?t=");

  /**
   * Above this the buffer is dropped after the answer. It must hold an answer with one or two of
   * the largest html creatives (100,000 characters each, up to 6 bytes escaped), or every such
   * answer would regrow it from 4 KB; an answer of twenty of them is not kept for every next one.
   */
  private static final int MAX_KEPT_BUFFER = 1 << 20;

  private final JsonFactory factory;
  private final AnswerBuffers buffers;
  private final AdFragments fragments;
  private final TokenSigner.Writer tokens;
  private final long tokenTtlSeconds;
  private byte[] out = new byte[4096];
  private int length;
  private String lastBaseUrl;
  private byte[] lastBaseUrlJson;

  AdResponseWriter(JsonFactory factory, AnswerBuffers buffers, AdFragments fragments,
      TokenSigner signer, long tokenTtlSeconds) {
    this.factory = factory;
    this.buffers = buffers;
    this.fragments = fragments;
    this.tokens = signer.newWriter();
    this.tokenTtlSeconds = tokenTtlSeconds;
  }

  /** What the links of one response share. */
  record Context(String requestId, String baseUrl, String section, long ruleVersion,
      long nowSeconds) {}

  /** The answer, in a buffer of {@link AnswerBuffers} that the caller releases there. */
  ByteBuf write(Context context, PageDecision decision, Explanation explanation) {
    length = 0;
    put(START);
    putEscaped(context.requestId());
    put(SLOTS);
    List<SlotDecision> slots = decision.slots();
    for (int i = 0; i < slots.size(); i++) {
      SlotDecision slot = slots.get(i);
      if (i > 0) {
        put(',');
      }
      put('"');
      putEscaped(slot.slot().id());
      put('"');
      put(':');
      if (slot.filled()) {
        writeAd(context, slot);
      } else {
        put(NULL);
      }
    }
    put('}');
    if (explanation != null) {
      put(',');
      byte[] explain = explanation(explanation);
      put(explain, 1, explain.length - 2); // "explain":{...}, without the braces around it
    }
    put('}');
    ByteBuf answer = buffers.copyOf(out, length);
    if (out.length > MAX_KEPT_BUFFER) {
      out = new byte[4096];
    }
    return answer;
  }

  /** Gives back an answer's buffer once its write has ended (succeeded or failed). */
  void release(ByteBuf answer) {
    buffers.release(answer);
  }

  private void writeAd(Context context, SlotDecision slot) {
    Campaign campaign = slot.campaign();
    Creative creative = slot.creative();
    put('{');
    put(fragments.of(campaign, creative));
    int token = tokens.sign(context.requestId(), slot.slot().id(), campaign.id(), creative.id(),
        context.section() == null ? "" : context.section(), context.ruleVersion(),
        context.nowSeconds(), context.nowSeconds() + tokenTtlSeconds);
    byte[] base = baseUrlJson(context.baseUrl());
    put(CLICK_URL);
    put(base);
    put(CLICK_PATH);
    put(tokens.bytes(), 0, token);
    put(IMPRESSION_URL);
    put(base);
    put(IMPRESSION_PATH);
    put(tokens.bytes(), 0, token);
    put('"');
    put('}');
  }

  /** The escaped base URL; one server answers under one or a few names, so the last is kept. */
  private byte[] baseUrlJson(String baseUrl) {
    if (!baseUrl.equals(lastBaseUrl)) {
      lastBaseUrlJson = JsonStringEncoder.getInstance().quoteAsUTF8(baseUrl);
      lastBaseUrl = baseUrl;
    }
    return lastBaseUrlJson;
  }

  /**
   * {@code text} as the inside of a JSON string. Ids are nearly always printable ASCII, written
   * as they are; anything else goes through Jackson's escaping.
   */
  private void putEscaped(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        put(JsonStringEncoder.getInstance().quoteAsUTF8(text));
        return;
      }
    }
    ensure(n);
    for (int i = 0; i < n; i++) {
      out[length++] = (byte) text.charAt(i);
    }
  }

  private void put(int b) {
    ensure(1);
    out[length++] = (byte) b;
  }

  private void put(byte[] bytes) {
    put(bytes, 0, bytes.length);
  }

  private void put(byte[] bytes, int offset, int count) {
    ensure(count);
    System.arraycopy(bytes, offset, out, length, count);
    length += count;
  }

  private void ensure(int more) {
    if (length + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
    }
  }

  private byte[] explanation(Explanation explanation) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
    try (JsonGenerator g = factory.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      writeExplanation(g, explanation);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeExplanation(JsonGenerator g, Explanation explanation)
      throws IOException {
    g.writeObjectFieldStart("explain");
    for (Map.Entry<String, Explanation.SlotExplanation> e : explanation.slots().entrySet()) {
      Explanation.SlotExplanation slot = e.getValue();
      g.writeObjectFieldStart(e.getKey());
      if (slot.winner() == null) {
        g.writeNullField("winner");
      } else {
        g.writeStringField("winner", slot.winner());
      }
      g.writeNumberField("candidates", slot.candidates());
      g.writeObjectFieldStart("lost");
      for (Map.Entry<String, Reason> lost : slot.lost().entrySet()) {
        g.writeStringField(lost.getKey(), lost.getValue().wireName());
      }
      g.writeEndObject();
      if (explanation.keywords() != null) {
        writeKeywords(g, explanation.keywords());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /**
   * What the article text did; page-level, so the same in every slot. An extra member next to
   * the spec's winner, candidates and lost, which stay as they are.
   */
  private static void writeKeywords(JsonGenerator g, Explanation.KeywordExplanation keywords)
      throws IOException {
    g.writeObjectFieldStart("keywords");
    g.writeStringField("language", keywords.language());
    writeMap(g, "found", keywords.found());
    writeMap(g, "matched", keywords.matched());
    writeMap(g, "blocked", keywords.blocked());
    g.writeEndObject();
  }

  private static void writeMap(JsonGenerator g, String name, Map<String, String> values)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : values.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }
}
