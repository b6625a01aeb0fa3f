package id.iklan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The reference for {@link AdRequestParser}: the request reader as first written, over Jackson's
 * tree model, slow and plainly correct. {@link AdRequestParserDifferentialTest} checks that the
 * streaming parser agrees with it on every body: the same request, or the same problem.
 */
final class TreeAdRequestParser {
  private static final int MAX_SLOTS = 20;
  private static final int MAX_KEYWORDS = 100;
  private static final int MAX_ID = 128;
  private static final int MAX_KEYWORD = 200;
  private static final int MAX_SIZES = 20;
  private static final int MAX_TITLE = 2_000;
  private static final int MAX_TEXT = 70_000;
  private static final String NOT_UNICODE =
      "must be valid Unicode text (it holds half of a surrogate pair, such as \\ud800)";

  private final ObjectReader reader;

  TreeAdRequestParser(ObjectReader reader) {
    this.reader = reader;
  }

  AdRequest parse(byte[] body, Location location) {
    JsonNode root;
    try {
      root = reader.readTree(body);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw ProblemException.badField("body", "is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
          + ": " + AdRequestParser.shorten(e.getOriginalMessage()));
    } catch (NumberFormatException e) {
      // The first version let this escape as a 500; the differential and hostile-input tests
      // found it. The reference now refuses it as the streaming parser does.
      throw ProblemException.badField("body", AdRequestParser.UNREADABLE_NUMBER);
    } catch (IOException e) {
      throw ProblemException.badField("body", "could not be read");
    }
    if (root == null || root.isMissingNode()) {
      throw ProblemException.badField("body", "is empty; send a JSON object with page and slots");
    }
    if (!root.isObject()) {
      throw ProblemException.badField("body", "must be a JSON object with page and slots");
    }
    JsonNode pageNode = present(root, "page");
    if (pageNode == null) {
      throw ProblemException.badField("page", "is required: an object with at least url");
    }
    if (!pageNode.isObject()) {
      throw ProblemException.badField("page", "must be an object with at least url");
    }
    String url = text(pageNode, "page.url", "url", 4096);
    if (url == null) {
      throw ProblemException.badField("page.url", "is required: the page's absolute URL");
    }
    if (!AdRequestParser.isPageUrl(url)) {
      throw ProblemException.badField("page.url", "must be an absolute http:// or https:// URL");
    }
    String section = text(pageNode, "page.section", "section", MAX_KEYWORD);
    if (section != null) {
      section = Keywords.normalize(section);
      if (section.isEmpty()) {
        section = null;
      }
    }
    List<String> keywords = keywords(pageNode);
    String title = text(pageNode, "page.title", "title", MAX_TITLE);
    String text = text(pageNode, "page.text", "text", MAX_TEXT);
    String language = text(pageNode, "page.language", "language", 35);
    List<Slot> slots = slots(root);
    String userId = null;
    JsonNode user = present(root, "user");
    if (user != null) {
      if (!user.isObject()) {
        throw ProblemException.badField("user", "must be an object such as {\"id\": \"...\"}");
      }
      userId = text(user, "user.id", "id", 256);
      if (userId != null && userId.isBlank()) {
        userId = null; // an empty id would pool every such reader into one cap history
      }
    }
    DeviceType device = null;
    JsonNode deviceNode = present(root, "device");
    if (deviceNode != null) {
      if (!deviceNode.isObject()) {
        throw ProblemException.badField("device", "must be an object such as {\"type\": \"mobile\"}");
      }
      String type = text(deviceNode, "device.type", "type", 64);
      if (type != null) {
        device = Enums.parse(DeviceType.class, type);
        if (device == null) {
          throw ProblemException.badField("device.type", "must be one of "
              + Enums.choices(DeviceType.class));
        }
      }
    }
    boolean explain = false;
    JsonNode explainNode = present(root, "explain");
    if (explainNode != null) {
      if (!explainNode.isBoolean()) {
        throw ProblemException.badField("explain", "must be true or false");
      }
      explain = explainNode.asBoolean();
    }
    int tmax = 0;
    JsonNode tmaxNode = present(root, "tmax");
    if (tmaxNode != null) {
      if (!tmaxNode.isIntegralNumber() || !tmaxNode.canConvertToInt() || tmaxNode.asInt() < 1) {
        throw ProblemException.badField("tmax", "must be a whole number of milliseconds, 1 or more");
      }
      tmax = tmaxNode.asInt();
    }
    Page page = new Page(url, section, keywords, location, device, userId);
    Article article = new Article(url, title, text, language);
    return new AdRequest(new PageRequest(page, slots), article.hasText() ? article : null, explain,
        tmax);
  }

  private static List<String> keywords(JsonNode pageNode) {
    JsonNode list = present(pageNode, "keywords");
    if (list == null) {
      return List.of();
    }
    if (!list.isArray()) {
      throw ProblemException.badField("page.keywords", "must be a list of texts, e.g. [\"rusia\"]");
    }
    if (list.size() > MAX_KEYWORDS) {
      throw ProblemException.badField("page.keywords", "has more than " + MAX_KEYWORDS + " keywords");
    }
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode k = list.get(i);
      String field = "page.keywords[" + i + "]";
      if (!k.isTextual()) {
        throw ProblemException.badField(field, "must be text");
      }
      if (k.asText().length() > MAX_KEYWORD) {
        throw ProblemException.badField(field, "is longer than " + MAX_KEYWORD + " characters");
      }
      if (!Unicode.wellFormed(k.asText())) {
        throw ProblemException.badField(field, NOT_UNICODE);
      }
      String normal = Keywords.normalize(k.asText());
      if (!normal.isEmpty()) {
        out.add(normal);
      }
    }
    return out;
  }

  private static List<Slot> slots(JsonNode root) {
    JsonNode list = present(root, "slots");
    if (list == null) {
      throw ProblemException.badField("slots", "is required: a list of 1 to " + MAX_SLOTS + " slots");
    }
    if (!list.isArray()) {
      throw ProblemException.badField("slots", "must be a list of slots");
    }
    if (list.isEmpty() || list.size() > MAX_SLOTS) {
      throw ProblemException.badField("slots", "must hold 1 to " + MAX_SLOTS + " slots (got "
          + list.size() + ")");
    }
    Set<String> ids = new HashSet<>();
    List<Slot> slots = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String prefix = "slots[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        throw ProblemException.badField(prefix, "must be an object with id and sizes or formats");
      }
      String id = text(node, prefix + ".id", "id", MAX_ID);
      if (id == null) {
        throw ProblemException.badField(prefix + ".id", "is required");
      }
      if (id.isBlank()) {
        throw ProblemException.badField(prefix + ".id", "must not be empty");
      }
      if (!ids.add(id)) {
        throw ProblemException.badField(prefix + ".id", "\"" + id + "\" is used by two slots; "
            + "slot ids must be unique within a request");
      }
      List<Size> sizes = sizes(node, prefix);
      boolean acceptsNative = formats(node, prefix);
      if (sizes.isEmpty() && !acceptsNative) {
        throw ProblemException.badField(prefix, "needs at least one size (e.g. \"sizes\": "
            + "[[300, 250]]) or format (\"formats\": [\"native\"])");
      }
      slots.add(new Slot(id, sizes, acceptsNative));
    }
    return slots;
  }

  private static List<Size> sizes(JsonNode slot, String prefix) {
    JsonNode list = present(slot, "sizes");
    if (list == null) {
      return List.of();
    }
    String field = prefix + ".sizes";
    if (!list.isArray()) {
      throw ProblemException.badField(field, "must be a list of [width, height], e.g. [[300, 250]]");
    }
    if (list.size() > MAX_SIZES) {
      throw ProblemException.badField(field, "has more than " + MAX_SIZES + " sizes");
    }
    List<Size> sizes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      if (!s.isArray() || s.size() != 2 || !isSide(s.get(0)) || !isSide(s.get(1))) {
        throw ProblemException.badField(field + "[" + i + "]", "must be [width, height] with "
            + "whole numbers from 1 to " + Size.MAX_SIDE + ", e.g. [300, 250]");
      }
      Size size = new Size(s.get(0).asInt(), s.get(1).asInt());
      if (!sizes.contains(size)) {
        sizes.add(size);
      }
    }
    return sizes;
  }

  private static boolean isSide(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 1
        && n.asInt() <= Size.MAX_SIDE;
  }

  private static boolean formats(JsonNode slot, String prefix) {
    JsonNode list = present(slot, "formats");
    if (list == null) {
      return false;
    }
    String field = prefix + ".formats";
    if (!list.isArray()) {
      throw ProblemException.badField(field, "must be a list such as [\"native\"]");
    }
    boolean acceptsNative = false;
    for (int i = 0; i < list.size(); i++) {
      JsonNode f = list.get(i);
      if (!f.isTextual() || !f.asText().trim().equalsIgnoreCase("native")) {
        throw ProblemException.badField(field + "[" + i + "]", "must be \"native\" (display "
            + "formats are chosen by size alone)");
      }
      acceptsNative = true;
    }
    return acceptsNative;
  }

  private static JsonNode present(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    return node == null || node.isNull() ? null : node;
  }

  private static String text(JsonNode parent, String field, String name, int maxLength) {
    JsonNode node = present(parent, name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw ProblemException.badField(field, "must be text");
    }
    String value = node.asText();
    if (value.length() > maxLength) {
      throw ProblemException.badField(field, "is longer than " + maxLength + " characters");
    }
    if (!Unicode.wellFormed(value)) {
      throw ProblemException.badField(field, NOT_UNICODE);
    }
    return value;
  }
}
