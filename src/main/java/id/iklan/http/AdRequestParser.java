package id.iklan.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import id.iklan.context.Article;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Enums;
import id.iklan.rules.Keywords;
import id.iklan.rules.Size;
import id.iklan.rules.Unicode;
import id.iklan.selection.Location;
import id.iklan.selection.Page;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Slot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of {@code POST /v1/ads} (SPEC §2) into an {@link AdRequest}, or throws a 400
 * problem naming the first field that is wrong. Unknown members are ignored for forward
 * compatibility, and {@code null} on an optional member means absent.
 *
 * <p><b>Two steps, one pass.</b> Jackson's streaming parser reads the body once into a few
 * plain fields ({@link Raw}: a value, or a mark that it has the wrong kind), skipping unknown
 * members without building them; then the fields are checked in a fixed order (page, its url,
 * section, keywords, ..., slots, user, device, explain, tmax). So a body that is not JSON is
 * always reported as such, and a body with two mistakes always names the same one first,
 * wherever its members stand. A tree model did the same at about twice the cost and allocation
 * (a map per object, a node per value). Duplicate members are found by the parser itself
 * ({@code STRICT_DUPLICATE_DETECTION} of the server's mapper).
 */
final class AdRequestParser {
  static final int MAX_SLOTS = 20;
  static final int MAX_KEYWORDS = 100;
  private static final int MAX_ID = 128;
  private static final int MAX_KEYWORD = 200;
  private static final int MAX_SIZES = 20;
  static final int MAX_TITLE = 2_000;
  static final int MAX_TEXT = 70_000;
  private static final String NOT_UNICODE =
      "must be valid Unicode text (it holds half of a surrogate pair, such as \\ud800)";
  static final String UNREADABLE_NUMBER = "is not valid JSON: it holds a number that cannot be "
      + "read (an exponent out of range, such as 1e9999999999)";
  /** A member that is present but of the wrong kind (text where an object belongs, ...). */
  private static final Object WRONG = new Object();
  /** A present object member, for {@link Raw}'s object-valued fields. */
  private static final Object OBJECT = new Object();

  private final ObjectReader reader;

  AdRequestParser(ObjectReader reader) {
    this.reader = reader;
  }

  /** The members of a body as read: {@code null} when absent, else a value or a mark. */
  private static final class Raw {
    Object page;
    Object url;
    Object section;
    Object keywords;
    final List<Object> keywordList = new ArrayList<>();
    int keywordCount;
    Object title;
    Object text;
    Object language;
    Object slots;
    final List<Object> slotList = new ArrayList<>();
    int slotCount;
    Object user;
    Object userId;
    Object device;
    Object deviceType;
    Object explain;
    Object tmax;
  }

  /** A slot as read; {@code sizes} holds a {@link Size} or {@link #WRONG} per item. */
  private static final class RawSlot {
    Object id;
    Object sizes;
    final List<Object> sizeList = new ArrayList<>(2);
    int sizeCount;
    Object formats;
    int formatCount;
    /** Index of the first format that is not "native", or -1. */
    int badFormat = -1;
  }

  AdRequest parse(byte[] body, Location location) {
    return parse(body, 0, body.length, location);
  }

  /** Parses {@code length} bytes of {@code body} from {@code offset}. */
  AdRequest parse(byte[] body, int offset, int length, Location location) {
    Raw raw = new Raw();
    try (JsonParser p = reader.createParser(body, offset, length)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw ProblemException.badField("body", "is empty; send a JSON object with page and slots");
      }
      boolean object = first == JsonToken.START_OBJECT;
      if (object) {
        readRoot(p, raw);
      } else {
        skip(p); // read to its end: a body that is not JSON is reported as such first
      }
      if (p.nextToken() != null) {
        var at = p.currentTokenLocation();
        throw ProblemException.badField("body", "is not valid JSON (line " + at.getLineNr()
            + ", column " + at.getColumnNr() + "): a second value follows the first; send one "
            + "JSON object");
      }
      if (!object) {
        throw ProblemException.badField("body", "must be a JSON object with page and slots");
      }
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw ProblemException.badField("body", "is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
          + ": " + shorten(e.getOriginalMessage()));
    } catch (NumberFormatException e) {
      // Jackson lets this through unwrapped for a number no decimal can hold (1e9999999999)
      throw ProblemException.badField("body", UNREADABLE_NUMBER);
    } catch (IOException e) {
      throw ProblemException.badField("body", "could not be read");
    }
    return check(raw, location);
  }

  // ---- reading: values and marks, no judgement yet ----

  private static void readRoot(JsonParser p, Raw raw) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "page" -> raw.page = t == JsonToken.START_OBJECT ? readPage(p, raw) : mark(p, t);
        case "slots" -> raw.slots = t == JsonToken.START_ARRAY ? readSlots(p, raw) : mark(p, t);
        case "user" -> raw.user =
            t == JsonToken.START_OBJECT ? readMember(p, "id", raw, true) : mark(p, t);
        case "device" -> raw.device =
            t == JsonToken.START_OBJECT ? readMember(p, "type", raw, false) : mark(p, t);
        case "explain" -> raw.explain = t == JsonToken.VALUE_TRUE ? Boolean.TRUE
            : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : mark(p, t);
        case "tmax" -> raw.tmax = t == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() == JsonParser.NumberType.INT ? (Object) p.getIntValue()
            : mark(p, t);
        default -> skip(p);
      }
    }
  }

  /** Null for JSON null (absent), else {@link #WRONG}, skipping whatever the value holds. */
  private static Object mark(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    skip(p);
    return WRONG;
  }

  /**
   * Skips the current value to its end. Numbers with a fraction or exponent are converted on
   * the way, as a tree of the body would convert them: one that is no number at all (such as
   * {@code 1e9999999999}) makes the body invalid JSON wherever it stands.
   */
  private static void skip(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      p.getDecimalValue();
      return;
    }
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      t = p.nextToken();
      if (t == null) {
        return; // the parser reports the truncated body on the next read
      }
      switch (t) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
        default -> { }
      }
    }
  }

  /** A text value, absent for null, or {@link #WRONG}. */
  private static Object text(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_STRING ? p.getText() : mark(p, t);
  }

  private static Object readPage(JsonParser p, Raw raw) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "url" -> raw.url = text(p, t);
        case "section" -> raw.section = text(p, t);
        case "title" -> raw.title = text(p, t);
        case "text" -> raw.text = text(p, t);
        case "language" -> raw.language = text(p, t);
        case "keywords" -> {
          if (t != JsonToken.START_ARRAY) {
            raw.keywords = mark(p, t);
            break;
          }
          raw.keywords = OBJECT;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Object keyword = text(p, t);
            if (raw.keywordCount++ < MAX_KEYWORDS) {
              raw.keywordList.add(keyword == null ? WRONG : keyword);
            }
          }
        }
        default -> skip(p);
      }
    }
    return OBJECT;
  }

  /** The one member of {@code user} or {@code device} that is read. */
  private static Object readMember(JsonParser p, String member, Raw raw, boolean user)
      throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals(member)) {
        if (user) {
          raw.userId = text(p, t);
        } else {
          raw.deviceType = text(p, t);
        }
      } else {
        skip(p);
      }
    }
    return OBJECT;
  }

  private static Object readSlots(JsonParser p, Raw raw) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      Object slot = t == JsonToken.START_OBJECT ? readSlot(p) : WRONG;
      if (slot == WRONG) {
        skip(p);
      }
      if (raw.slotCount++ < MAX_SLOTS) {
        raw.slotList.add(slot);
      }
    }
    return OBJECT;
  }

  private static RawSlot readSlot(JsonParser p) throws IOException {
    RawSlot slot = new RawSlot();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> slot.id = text(p, t);
        case "sizes" -> {
          if (t != JsonToken.START_ARRAY) {
            slot.sizes = mark(p, t);
            break;
          }
          slot.sizes = OBJECT;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Object size = t == JsonToken.START_ARRAY ? readSize(p) : mark(p, t);
            if (slot.sizeCount++ < MAX_SIZES) {
              slot.sizeList.add(size == null ? WRONG : size);
            }
          }
        }
        case "formats" -> {
          if (t != JsonToken.START_ARRAY) {
            slot.formats = mark(p, t);
            break;
          }
          slot.formats = OBJECT;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            boolean isNative = t == JsonToken.VALUE_STRING
                && p.getText().trim().equalsIgnoreCase("native");
            if (!isNative) {
              skip(p);
              if (slot.badFormat < 0) {
                slot.badFormat = slot.formatCount;
              }
            }
            slot.formatCount++;
          }
        }
        default -> skip(p);
      }
    }
    return slot;
  }

  /** {@code [width, height]}, read to its end: a {@link Size}, or {@link #WRONG}. */
  private static Object readSize(JsonParser p) throws IOException {
    int width = 0;
    int height = 0;
    int count = 0;
    boolean valid = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (count < 2 && t == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() == JsonParser.NumberType.INT) {
        int side = p.getIntValue();
        valid &= side >= 1 && side <= Size.MAX_SIDE;
        if (count == 0) {
          width = side;
        } else {
          height = side;
        }
      } else {
        valid = false;
        skip(p);
      }
      count++;
    }
    return valid && count == 2 ? new Size(width, height) : WRONG;
  }

  // ---- checking, in the order the spec lists the fields ----

  private static AdRequest check(Raw raw, Location location) {
    if (raw.page == null) {
      throw ProblemException.badField("page", "is required: an object with at least url");
    }
    if (raw.page == WRONG) {
      throw ProblemException.badField("page", "must be an object with at least url");
    }
    String url = text(raw.url, "page.url", 4096);
    if (url == null) {
      throw ProblemException.badField("page.url", "is required: the page's absolute URL");
    }
    if (!isPageUrl(url)) {
      throw ProblemException.badField("page.url", "must be an absolute http:// or https:// URL");
    }
    String section = text(raw.section, "page.section", MAX_KEYWORD);
    if (section != null) {
      section = Keywords.normalize(section);
      if (section.isEmpty()) {
        section = null;
      }
    }
    List<String> keywords = keywords(raw);
    String title = text(raw.title, "page.title", MAX_TITLE);
    String text = text(raw.text, "page.text", MAX_TEXT);
    String language = text(raw.language, "page.language", 35);
    List<Slot> slots = slots(raw);
    String userId = null;
    if (raw.user == WRONG) {
      throw ProblemException.badField("user", "must be an object such as {\"id\": \"...\"}");
    }
    if (raw.user != null) {
      userId = text(raw.userId, "user.id", 256);
      if (userId != null && userId.isBlank()) {
        userId = null; // an empty id would pool every such reader into one cap history
      }
    }
    DeviceType device = null;
    if (raw.device == WRONG) {
      throw ProblemException.badField("device", "must be an object such as {\"type\": \"mobile\"}");
    }
    if (raw.device != null) {
      String type = text(raw.deviceType, "device.type", 64);
      if (type != null) {
        device = Enums.parse(DeviceType.class, type);
        if (device == null) {
          throw ProblemException.badField("device.type", "must be one of "
              + Enums.choices(DeviceType.class));
        }
      }
    }
    if (raw.explain == WRONG) {
      throw ProblemException.badField("explain", "must be true or false");
    }
    boolean explain = raw.explain == Boolean.TRUE;
    int tmax = 0;
    if (raw.tmax != null) {
      if (raw.tmax == WRONG || (Integer) raw.tmax < 1) {
        throw ProblemException.badField("tmax", "must be a whole number of milliseconds, 1 or more");
      }
      tmax = (Integer) raw.tmax;
    }
    Page page = new Page(url, section, keywords, location, device, userId);
    Article article = new Article(url, title, text, language);
    return new AdRequest(new PageRequest(page, slots), article.hasText() ? article : null, explain,
        tmax);
  }

  private static List<String> keywords(Raw raw) {
    if (raw.keywords == null) {
      return List.of();
    }
    if (raw.keywords == WRONG) {
      throw ProblemException.badField("page.keywords", "must be a list of texts, e.g. [\"rusia\"]");
    }
    if (raw.keywordCount > MAX_KEYWORDS) {
      throw ProblemException.badField("page.keywords", "has more than " + MAX_KEYWORDS + " keywords");
    }
    List<String> out = new ArrayList<>(raw.keywordCount);
    for (int i = 0; i < raw.keywordList.size(); i++) {
      String keyword = itemText(raw.keywordList.get(i), "page.keywords", i, "", MAX_KEYWORD);
      String normal = Keywords.normalize(keyword);
      if (!normal.isEmpty()) {
        out.add(normal);
      }
    }
    return out;
  }

  private static List<Slot> slots(Raw raw) {
    if (raw.slots == null) {
      throw ProblemException.badField("slots", "is required: a list of 1 to " + MAX_SLOTS + " slots");
    }
    if (raw.slots == WRONG) {
      throw ProblemException.badField("slots", "must be a list of slots");
    }
    if (raw.slotCount == 0 || raw.slotCount > MAX_SLOTS) {
      throw ProblemException.badField("slots", "must hold 1 to " + MAX_SLOTS + " slots (got "
          + raw.slotCount + ")");
    }
    List<Slot> slots = new ArrayList<>(raw.slotCount);
    for (int i = 0; i < raw.slotList.size(); i++) {
      if (!(raw.slotList.get(i) instanceof RawSlot node)) {
        throw ProblemException.badField(item("slots", i, ""),
            "must be an object with id and sizes or formats");
      }
      String id = itemText(node.id, "slots", i, ".id", MAX_ID);
      if (id == null) {
        throw ProblemException.badField(item("slots", i, ".id"), "is required");
      }
      if (id.isBlank()) {
        throw ProblemException.badField(item("slots", i, ".id"), "must not be empty");
      }
      for (int j = 0; j < i; j++) { // at most 20 slots: cheaper than a set
        if (slots.get(j).id().equals(id)) {
          throw ProblemException.badField(item("slots", i, ".id"), "\"" + id + "\" is used by two "
              + "slots; slot ids must be unique within a request");
        }
      }
      List<Size> sizes = sizes(node, i);
      boolean acceptsNative = formats(node, i);
      if (sizes.isEmpty() && !acceptsNative) {
        throw ProblemException.badField(item("slots", i, ""),
            "needs at least one size (e.g. \"sizes\": "
            + "[[300, 250]]) or format (\"formats\": [\"native\"])");
      }
      slots.add(new Slot(id, sizes, acceptsNative));
    }
    return slots;
  }

  private static List<Size> sizes(RawSlot slot, int slotIndex) {
    if (slot.sizes == null) {
      return List.of();
    }
    if (slot.sizes == WRONG) {
      throw ProblemException.badField(item("slots", slotIndex, ".sizes"),
          "must be a list of [width, height], e.g. [[300, 250]]");
    }
    if (slot.sizeCount > MAX_SIZES) {
      throw ProblemException.badField(item("slots", slotIndex, ".sizes"),
          "has more than " + MAX_SIZES + " sizes");
    }
    List<Size> sizes = new ArrayList<>(slot.sizeList.size());
    for (int i = 0; i < slot.sizeList.size(); i++) {
      if (!(slot.sizeList.get(i) instanceof Size size)) {
        throw ProblemException.badField(item("slots", slotIndex, ".sizes[" + i + "]"),
            "must be [width, height] with "
            + "whole numbers from 1 to " + Size.MAX_SIDE + ", e.g. [300, 250]");
      }
      if (!sizes.contains(size)) {
        sizes.add(size);
      }
    }
    return sizes;
  }

  private static boolean formats(RawSlot slot, int slotIndex) {
    if (slot.formats == null) {
      return false;
    }
    if (slot.formats == WRONG) {
      throw ProblemException.badField(item("slots", slotIndex, ".formats"),
          "must be a list such as [\"native\"]");
    }
    if (slot.badFormat >= 0) {
      throw ProblemException.badField(
          item("slots", slotIndex, ".formats[" + slot.badFormat + "]"), "must be \"native\" "
          + "(display formats are chosen by size alone)");
    }
    return slot.formatCount > 0;
  }

  /** A text member as checked: absent, or text within its length and well-formed. */
  private static String text(Object value, String field, int maxLength) {
    String problem = textProblem(value, maxLength);
    if (problem != null) {
      throw ProblemException.badField(field, problem);
    }
    return (String) value;
  }

  /**
   * {@link #text} for a member of a list's item, such as {@code slots[2].id}: the field's name is
   * built only for a problem, since every well-formed request has a dozen or more such members.
   */
  private static String itemText(Object value, String list, int index, String member,
      int maxLength) {
    String problem = textProblem(value, maxLength);
    if (problem != null) {
      throw ProblemException.badField(item(list, index, member), problem);
    }
    return (String) value;
  }

  private static String textProblem(Object value, int maxLength) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      return "must be text";
    }
    if (text.length() > maxLength) {
      return "is longer than " + maxLength + " characters";
    }
    return Unicode.wellFormed(text) ? null : NOT_UNICODE;
  }

  private static String item(String list, int index, String member) {
    return list + "[" + index + "]" + member;
  }

  /**
   * An absolute http(s) URL with a host. Lenient about the rest: browsers report page URLs with
   * characters such as {@code |} or {@code [} unescaped, and a page must not lose its ads for that.
   */
  static boolean isPageUrl(String url) {
    String u = url.trim();
    int start;
    if (u.regionMatches(true, 0, "https://", 0, 8)) {
      start = 8;
    } else if (u.regionMatches(true, 0, "http://", 0, 7)) {
      start = 7;
    } else {
      return false;
    }
    int end = start;
    while (end < u.length() && "/?#".indexOf(u.charAt(end)) < 0) {
      char c = u.charAt(end);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
      end++;
    }
    String authority = u.substring(start, end);
    int at = authority.lastIndexOf('@');
    String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
    return !hostPort.isEmpty() && !hostPort.startsWith(":");
  }

  static String shorten(String message) {
    if (message == null) {
      return "syntax error";
    }
    // Jackson appends where the error was, naming an internal "Source"; the line is given apart.
    String oneLine = message.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\][^)]*\\)", "")
        .replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
