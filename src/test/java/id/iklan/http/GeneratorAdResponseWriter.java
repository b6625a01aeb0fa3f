package id.iklan.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.selection.Explanation;
import id.iklan.selection.PageDecision;
import id.iklan.selection.Reason;
import id.iklan.selection.SlotDecision;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.TrackingToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The reference for {@link AdResponseWriter}: the response writer as first written, every member
 * through Jackson's generator on every call. {@link AdResponseWriterDifferentialTest} checks that
 * the byte-assembling writer gives the same JSON, member for member and in the same order.
 */
final class GeneratorAdResponseWriter {
  private final JsonFactory factory;
  private final TokenSigner signer;
  private final long tokenTtlSeconds;

  GeneratorAdResponseWriter(JsonFactory factory, TokenSigner signer, long tokenTtlSeconds) {
    this.factory = factory;
    this.signer = signer;
    this.tokenTtlSeconds = tokenTtlSeconds;
  }

  byte[] write(AdResponseWriter.Context context, PageDecision decision,
      Explanation explanation) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
    try (JsonGenerator g = factory.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("requestId", context.requestId());
      g.writeObjectFieldStart("slots");
      for (SlotDecision slot : decision.slots()) {
        g.writeFieldName(slot.slot().id());
        if (!slot.filled()) {
          g.writeNull();
        } else {
          writeAd(g, context, slot);
        }
      }
      g.writeEndObject();
      if (explanation != null) {
        writeExplanation(g, explanation);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void writeAd(JsonGenerator g, AdResponseWriter.Context context, SlotDecision slot)
      throws IOException {
    Campaign campaign = slot.campaign();
    Creative creative = slot.creative();
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
        g.writeStringField("alt", creative.alt() != null ? creative.alt() : campaign.advertiser());
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
    String token = signer.sign(new TrackingToken(context.requestId(), slot.slot().id(),
        campaign.id(), creative.id(), context.section() == null ? "" : context.section(),
        context.ruleVersion(), context.nowSeconds(), context.nowSeconds() + tokenTtlSeconds));
    g.writeStringField("clickUrl", context.baseUrl() + "/v1/click?t=" + token);
    g.writeStringField("impressionUrl", context.baseUrl() + "/v1/imp?t=" + token);
    g.writeEndObject();
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
