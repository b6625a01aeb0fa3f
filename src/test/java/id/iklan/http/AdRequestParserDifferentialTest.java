package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.iklan.JsonMapper;
import id.iklan.selection.Location;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@link AdRequestParser} against the tree-model {@link TreeAdRequestParser} it
 * replaced, on thousands of seeded bodies: valid requests in many shapes, and the same with
 * one to three members replaced by a value of another kind, removed, duplicated, or the text cut
 * short. For each body both must give the same request, or the same problem (field and detail;
 * for a body that is not JSON at all only the field, "body", since the messages are Jackson's
 * wording of the same fault).
 */
final class AdRequestParserDifferentialTest {
  private static final ObjectMapper MAPPER = JsonMapper.create();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Location LOCATION = Location.of("ID", "ID-JK", "Jakarta");

  private final AdRequestParser streaming = new AdRequestParser(MAPPER.reader());
  private final TreeAdRequestParser tree = new TreeAdRequestParser(MAPPER.reader());

  @Test
  void parse_generatedBodies_agreeWithTheTreeParser() throws Exception {
    SplittableRandom random = new SplittableRandom(20261128);
    int valid = 0;
    int refused = 0;
    int notJson = 0;
    for (int i = 0; i < 6_000; i++) {
      ObjectNode request = validRequest(random);
      int mutations = i % 4; // a quarter stay valid
      for (int m = 0; m < mutations; m++) {
        mutate(request, random);
      }
      byte[] written = MAPPER.writeValueAsBytes(request);
      if (i % 13 == 0) {
        written = Arrays.copyOf(written, random.nextInt(written.length + 1));
      } else if (i % 17 == 0) {
        written = duplicateAMember(new String(written, StandardCharsets.UTF_8), random)
            .getBytes(StandardCharsets.UTF_8);
      } else if (i % 19 == 0) {
        written = unconvertibleNumber(new String(written, StandardCharsets.UTF_8), random)
            .getBytes(StandardCharsets.UTF_8);
      }
      byte[] body = written;
      Outcome expected = outcome(() -> tree.parse(body, LOCATION));
      Outcome actual = outcome(() -> streaming.parse(body, LOCATION));

      String shown = abbreviate(new String(body, StandardCharsets.UTF_8));
      if (expected.request != null) {
        valid++;
        assertThat(actual.request).as("request from %s", shown).isEqualTo(expected.request);
      } else if ("body".equals(expected.field)) {
        notJson++;
        assertThat(actual.field).as("field for %s (%s)", shown, expected.detail).isEqualTo("body");
      } else {
        refused++;
        assertThat(actual.field + " / " + actual.detail).as("problem for %s", shown)
            .isEqualTo(expected.field + " / " + expected.detail);
      }
    }
    // the generator must keep exercising all three outcomes
    assertThat(valid).isGreaterThan(1_000);
    assertThat(refused).isGreaterThan(1_500);
    assertThat(notJson).isGreaterThan(300);
  }

  private static String abbreviate(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + text.length() + ")";
  }

  private record Outcome(AdRequest request, String field, String detail) {}

  private static Outcome outcome(java.util.function.Supplier<AdRequest> parse) {
    try {
      return new Outcome(parse.get(), null, null);
    } catch (ProblemException e) {
      return new Outcome(null, e.field, e.getMessage());
    }
  }

  // ---- bodies ----

  private static final String[] SECTIONS = {"nasional", "Ekonomi", " olahraga ", "", "tekno"};
  private static final String[] WORDS = {"pemilu", "Banjir Jakarta", "rupiah", "ÉLITE", "  ",
      "sepak bola", "kripto", "\u0130stanbul"};

  private static ObjectNode validRequest(SplittableRandom random) {
    ObjectNode root = NODES.objectNode();
    ObjectNode page = NODES.objectNode();
    page.put("url", "https://kabarkita.contoh.id/berita/" + random.nextInt(1000));
    if (random.nextBoolean()) {
      page.put("section", SECTIONS[random.nextInt(SECTIONS.length)]);
    }
    if (random.nextBoolean()) {
      ArrayNode keywords = page.putArray("keywords");
      for (int k = random.nextInt(6); k > 0; k--) {
        keywords.add(WORDS[random.nextInt(WORDS.length)]);
      }
    }
    if (random.nextInt(4) == 0) {
      page.put("title", "Harga cabai naik menjelang lebaran");
      page.put("text", "Pedagang di pasar induk mengatakan pasokan berkurang.");
    }
    if (random.nextInt(6) == 0) {
      page.put("language", random.nextBoolean() ? "id" : "en");
    }
    if (random.nextInt(5) == 0) {
      page.put("author", "tidak dikenal"); // unknown members are ignored
    }
    root.set("page", page);
    ArrayNode slots = root.putArray("slots");
    int slotCount = 1 + random.nextInt(5);
    for (int s = 0; s < slotCount; s++) {
      ObjectNode slot = slots.addObject();
      slot.put("id", "slot-" + s + (random.nextInt(8) == 0 ? "-\"ünï\"" : ""));
      if (random.nextInt(4) != 0) {
        ArrayNode sizes = slot.putArray("sizes");
        sizes.addArray().add(300).add(250);
        if (random.nextBoolean()) {
          sizes.addArray().add(728).add(90);
        }
        if (random.nextInt(5) == 0) {
          sizes.addArray().add(300).add(250); // repeated sizes collapse
        }
      }
      if (random.nextInt(3) == 0 || !slot.has("sizes")) {
        slot.putArray("formats").add(random.nextBoolean() ? "native" : " NATIVE ");
      }
    }
    if (random.nextBoolean()) {
      root.putObject("user").put("id", random.nextInt(5) == 0 ? " " : "pembaca-" + s(random));
    }
    if (random.nextBoolean()) {
      root.putObject("device").put("type", new String[] {"mobile", "Desktop", "tablet"}[
          random.nextInt(3)]);
    }
    if (random.nextInt(4) == 0) {
      root.put("explain", random.nextBoolean());
    }
    if (random.nextInt(4) == 0) {
      root.put("tmax", 1 + random.nextInt(500));
    }
    if (random.nextInt(5) == 0) {
      root.putObject("ext").putArray("x").add(1).addObject().put("y", true);
    }
    return root;
  }

  private static String s(SplittableRandom random) {
    return Integer.toString(random.nextInt(100_000));
  }

  private static final int[] EDGES = {-1, 0, 1, 2, 250, 10_000, 10_001, Integer.MAX_VALUE};

  /** Values of every kind, including the awkward ones of each. */
  private static JsonNode randomValue(SplittableRandom random) {
    return switch (random.nextInt(16)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(EDGES[random.nextInt(EDGES.length)]);
      case 3 -> NODES.numberNode(1L << 40);
      case 4 -> NODES.numberNode(new java.math.BigDecimal("2.5"));
      case 5 -> NODES.numberNode(new java.math.BigInteger("9".repeat(30)));
      case 6 -> NODES.textNode("");
      case 7 -> NODES.textNode("native");
      case 8 -> NODES.textNode("\ud800");
      case 9 -> NODES.textNode("x".repeat(random.nextInt(100, 5000)));
      case 10 -> NODES.textNode("https://lain.contoh.id/");
      case 11 -> NODES.arrayNode();
      case 12 -> NODES.arrayNode().add(300).add(250);
      case 13 -> NODES.arrayNode().add("rusia").add(42);
      case 14 -> NODES.objectNode();
      default -> NODES.objectNode().put("id", "x").put("type", "mobile");
    };
  }

  /** Replaces, removes or adds one member or item somewhere in the request. */
  private static void mutate(ObjectNode root, SplittableRandom random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      int action = random.nextInt(4);
      if (names.isEmpty() || action == 3) {
        String[] known = {"url", "section", "keywords", "page", "slots", "id", "sizes",
            "formats", "user", "device", "type", "explain", "tmax", "title", "text", "language"};
        String name = known[random.nextInt(known.length)];
        object.set(name, randomValue(random));
      } else if (action == 2) {
        object.remove(names.get(random.nextInt(names.size())));
      } else {
        object.set(names.get(random.nextInt(names.size())), randomValue(random));
      }
    } else if (target instanceof ArrayNode array) {
      int action = random.nextInt(3);
      if (array.isEmpty() || action == 2) {
        for (int n = random.nextInt(1, random.nextInt(4) == 0 ? 30 : 3); n > 0; n--) {
          array.add(randomValue(random));
        }
      } else if (action == 1) {
        array.remove(random.nextInt(array.size()));
      } else {
        array.set(random.nextInt(array.size()), randomValue(random));
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.elements().forEachRemaining(child -> collect(child, out));
    }
  }

  /**
   * Puts a number no decimal can hold ({@code 1e9999999999}) at a member of some object, known
   * or not: a tree of the body fails on it wherever it stands.
   */
  private static String unconvertibleNumber(String json, SplittableRandom random) {
    List<Integer> starts = new ArrayList<>();
    for (int i = json.indexOf('{'); i >= 0; i = json.indexOf('{', i + 1)) {
      starts.add(i + 1);
    }
    String[] names = {"ext", "tmax", "explain", "sizes", "keywords", "url"};
    int at = starts.get(random.nextInt(starts.size()));
    String member = "\"" + names[random.nextInt(names.length)] + "\":"
        + (random.nextBoolean() ? "1e9999999999" : "[[300,-2.5e-9999999999]]");
    return json.substring(0, at) + member + (json.charAt(at) == '}' ? "" : ",")
        + json.substring(at);
  }

  /** Writes one member twice: {"a": 1} becomes {"a": 1, "a": 1} (text level, JSON can't). */
  private static String duplicateAMember(String json, SplittableRandom random) {
    List<Integer> starts = new ArrayList<>();
    for (int i = json.indexOf("{\""); i >= 0; i = json.indexOf("{\"", i + 1)) {
      starts.add(i + 1);
    }
    if (starts.isEmpty()) {
      return json;
    }
    int at = starts.get(random.nextInt(starts.size()));
    int nameEnd = json.indexOf('"', at + 1);
    String name = json.substring(at, nameEnd + 1);
    return json.substring(0, at) + name + ":null," + json.substring(at);
  }
}
