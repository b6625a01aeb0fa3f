package id.iklan.workload;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.DeviceType;
import id.iklan.rules.FrequencyCap;
import id.iklan.rules.Goal;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Schedule;
import id.iklan.rules.Targeting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link RuleSet} as the JSON rule document the server reads ({@code docs/rules.md},
 * {@code RuleSetReader}): {@code {"campaigns": [...]}}, one campaign per line so that large files
 * stay greppable and diffable.
 *
 * <p>Every member the reader knows is written when it carries information (optional members that
 * are {@code null} are left out, as the reader's defaults are exactly those nulls); times are
 * ISO-8601 with the offset of the given zone; enum values use their wire names. What the reader
 * normalises (keywords, sections, geo keys, categories) is written as the records hold it, which
 * for the workload generator is already normal, so reading the document back gives an equal
 * {@code RuleSet} ({@code WriteRules} checks exactly that).
 */
public final class RulesDocument {
  private static final JsonFactory JSON = new JsonFactory();

  private final ZoneId zone;

  /** @param zone the zone whose offset times are written in (the publisher's, for readability) */
  public RulesDocument(ZoneId zone) {
    this.zone = zone;
  }

  /** Writes the whole document to {@code out}, which stays open. */
  public void write(RuleSet rules, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new OneCampaignPerLine());
      g.writeStartObject();
      g.writeArrayFieldStart("campaigns");
      for (Campaign campaign : rules.campaigns()) {
        campaign(g, campaign);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  /** The document as bytes. */
  public byte[] toBytes(RuleSet rules) {
    var out = new java.io.ByteArrayOutputStream(1 << 16);
    try {
      write(rules, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void campaign(JsonGenerator g, Campaign c) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("advertiser", c.advertiser());
    if (c.category() != null) {
      g.writeStringField("category", c.category());
    }
    g.writeStringField("status", c.status().wireName());
    g.writeStringField("tier", c.tier().wireName());
    g.writeFieldName("cpm");
    number(g, c.cpm());
    if (c.currency() != null) {
      g.writeStringField("currency", c.currency());
    }
    g.writeFieldName("weight");
    number(g, c.weight());
    g.writeStringField("start", time(c.start()));
    if (c.end() != null) {
      g.writeStringField("end", time(c.end()));
    }
    Goal goal = c.goal();
    if (goal != null) {
      g.writeObjectFieldStart("goal");
      g.writeNumberField("impressions", goal.impressions());
      g.writeStringField("pacing", goal.pacing().wireName());
      g.writeEndObject();
    }
    FrequencyCap cap = c.frequencyCap();
    if (cap != null) {
      g.writeObjectFieldStart("frequencyCap");
      g.writeNumberField("count", cap.count());
      g.writeStringField("window", cap.window().toString());
      g.writeEndObject();
    }
    g.writeBooleanField("roadblock", c.roadblock());
    targeting(g, c.targeting());
    g.writeArrayFieldStart("creatives");
    for (Creative creative : c.creatives()) {
      creative(g, creative);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void targeting(JsonGenerator g, Targeting t) throws IOException {
    g.writeObjectFieldStart("targeting");
    g.writeObjectFieldStart("sections");
    strings(g, "include", t.sectionsInclude());
    strings(g, "exclude", t.sectionsExclude());
    g.writeEndObject();
    g.writeObjectFieldStart("keywords");
    strings(g, "any", t.keywordsAny());
    strings(g, "all", t.keywordsAll());
    strings(g, "none", t.keywordsNone());
    g.writeEndObject();
    g.writeObjectFieldStart("geo");
    strings(g, "include", t.geoInclude());
    strings(g, "exclude", t.geoExclude());
    g.writeEndObject();
    g.writeArrayFieldStart("devices");
    for (DeviceType device : inOrder(t.devices(), DeviceType.class)) {
      g.writeString(device.wireName());
    }
    g.writeEndArray();
    Schedule schedule = t.schedule();
    if (schedule != null) {
      g.writeObjectFieldStart("schedule");
      g.writeArrayFieldStart("days");
      for (DayOfWeek day : inOrder(schedule.days(), DayOfWeek.class)) {
        g.writeString(day.name().substring(0, 3));
      }
      g.writeEndArray();
      if (schedule.hasHours()) {
        g.writeArrayFieldStart("hours");
        g.writeNumber(schedule.startHour());
        g.writeNumber(schedule.endHour());
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void creative(JsonGenerator g, Creative c) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("format", c.format().wireName());
    if (c.size() != null) {
      g.writeArrayFieldStart("size");
      g.writeNumber(c.size().width());
      g.writeNumber(c.size().height());
      g.writeEndArray();
    }
    optional(g, "imageUrl", c.imageUrl());
    optional(g, "alt", c.alt());
    optional(g, "html", c.html());
    optional(g, "title", c.title());
    optional(g, "body", c.body());
    optional(g, "sponsor", c.sponsor());
    g.writeStringField("clickUrl", c.clickUrl());
    g.writeFieldName("weight");
    number(g, c.weight());
    g.writeEndObject();
  }

  private String time(Instant instant) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone).toOffsetDateTime());
  }

  /** Whole numbers without a fraction ({@code 15000}, not {@code 15000.0}); both read the same. */
  private static void number(JsonGenerator g, double value) throws IOException {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      g.writeNumber((long) value);
    } else {
      g.writeNumber(value);
    }
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  private static void optional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static <E extends Enum<E>> Set<E> inOrder(Set<E> values, Class<E> type) {
    return values.isEmpty() ? EnumSet.noneOf(type) : EnumSet.copyOf(values);
  }

  /** Compact JSON with a line break before each campaign and before the closing bracket. */
  private static final class OneCampaignPerLine extends MinimalPrettyPrinter {
    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      if (isCampaignList(g)) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(isCampaignList(g) ? ",\n" : ",");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int entries) throws IOException {
      if (isCampaignList(g) && entries > 0) {
        g.writeRaw('\n');
      }
      g.writeRaw(']');
    }

    /** The array directly inside the root object is the campaign list. */
    private static boolean isCampaignList(JsonGenerator g) {
      var context = g.getOutputContext();
      return context.inArray() && context.getParent() != null
          && context.getParent().inObject() && context.getParent().getParent() != null
          && context.getParent().getParent().inRoot();
    }
  }
}
