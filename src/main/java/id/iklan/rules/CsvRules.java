package id.iklan.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CSV rule format of SPEC §5, for ad ops' spreadsheets: one row per creative, the campaign
 * columns repeated on every row of a campaign.
 *
 * <p>CSV is not a second rule model. {@link #read} turns the spreadsheet into the JSON rule
 * document {@code {"campaigns": [...]}} that {@link RuleSetReader} already validates, remembering
 * which line each campaign and creative came from; {@link #locate} then turns the reader's
 * problems (which name JSON fields such as {@code creatives[1].clickUrl}) into problems that name
 * the CSV line and column ({@code line 7, click_url}). {@link #readRuleSet} does both and reports
 * every problem of both kinds at once. {@link #write} exports a JSON rule document as CSV.
 *
 * <p>Cell conventions: cells are trimmed and an empty cell means "not set"; lists are separated by
 * {@code ;}; a size is {@code 300x250}; hours are {@code 6-22}; roadblock is true/false (also
 * yes/no, 1/0); numbers are digits with a dot for decimals and no thousands separators.
 */
public final class CsvRules {
  private CsvRules() {}

  /**
   * A CSV converted to the JSON rule document, with the problems found at the CSV level (header,
   * cells that cannot be converted, rows that disagree) and where each part came from.
   *
   * @param document {@code {"campaigns": [...]}} in the shape {@link RuleSetReader} reads; cells
   *     that could not be converted are left out of it (their problem is in {@code problems})
   * @param problems CSV-level problems, each with a line and a CSV column name as its field
   * @param campaignLines for each campaign of the document, the line of its first row
   * @param creativeLines for each campaign, the line of the row of each of its creatives
   */
  public record Parsed(JsonNode document, List<Problem> problems, List<Integer> campaignLines,
      List<List<Integer>> creativeLines) {
    public Parsed {
      problems = List.copyOf(problems);
      campaignLines = List.copyOf(campaignLines);
      creativeLines = creativeLines.stream().map(List::copyOf).toList();
    }

    /** The {@code campaigns} array of the document. */
    public JsonNode campaigns() {
      return document.get("campaigns");
    }
  }

  private enum Kind { TEXT, NUMBER, LIST, BOOLEAN, SIZE, HOURS }

  /** One CSV column: its name, where its value goes in the JSON document, and how it is written. */
  private record Column(String name, String path, Kind kind, boolean creative) {}

  private static final List<Column> COLUMNS = List.of(
      campaign("id", "id", Kind.TEXT),
      campaign("advertiser", "advertiser", Kind.TEXT),
      campaign("category", "category", Kind.TEXT),
      campaign("status", "status", Kind.TEXT),
      campaign("tier", "tier", Kind.TEXT),
      campaign("cpm", "cpm", Kind.NUMBER),
      campaign("currency", "currency", Kind.TEXT),
      campaign("weight", "weight", Kind.NUMBER),
      campaign("start", "start", Kind.TEXT),
      campaign("end", "end", Kind.TEXT),
      campaign("goal_impressions", "goal.impressions", Kind.NUMBER),
      campaign("pacing", "goal.pacing", Kind.TEXT),
      campaign("cap_count", "frequencyCap.count", Kind.NUMBER),
      campaign("cap_window", "frequencyCap.window", Kind.TEXT),
      campaign("roadblock", "roadblock", Kind.BOOLEAN),
      campaign("sections_include", "targeting.sections.include", Kind.LIST),
      campaign("sections_exclude", "targeting.sections.exclude", Kind.LIST),
      campaign("keywords_any", "targeting.keywords.any", Kind.LIST),
      campaign("keywords_all", "targeting.keywords.all", Kind.LIST),
      campaign("keywords_none", "targeting.keywords.none", Kind.LIST),
      campaign("geo_include", "targeting.geo.include", Kind.LIST),
      campaign("geo_exclude", "targeting.geo.exclude", Kind.LIST),
      campaign("devices", "targeting.devices", Kind.LIST),
      campaign("days", "targeting.schedule.days", Kind.LIST),
      campaign("hours", "targeting.schedule.hours", Kind.HOURS),
      creative("creative_id", "id", Kind.TEXT),
      creative("format", "format", Kind.TEXT),
      creative("size", "size", Kind.SIZE),
      creative("image_url", "imageUrl", Kind.TEXT),
      creative("alt", "alt", Kind.TEXT),
      creative("html", "html", Kind.TEXT),
      creative("title", "title", Kind.TEXT),
      creative("body", "body", Kind.TEXT),
      creative("sponsor", "sponsor", Kind.TEXT),
      creative("click_url", "clickUrl", Kind.TEXT),
      creative("creative_weight", "weight", Kind.NUMBER));

  /** The CSV columns, in the order {@link #write} writes them. */
  public static final List<String> COLUMN_NAMES = COLUMNS.stream().map(Column::name).toList();

  private static final Map<String, Column> BY_NAME = new HashMap<>();
  private static final Map<String, Column> CAMPAIGN_BY_PATH = new HashMap<>();
  private static final Map<String, Column> CREATIVE_BY_PATH = new HashMap<>();

  static {
    for (Column c : COLUMNS) {
      BY_NAME.put(c.name(), c);
      (c.creative() ? CREATIVE_BY_PATH : CAMPAIGN_BY_PATH).put(c.path(), c);
    }
  }

  private static Column campaign(String name, String path, Kind kind) {
    return new Column(name, path, kind, false);
  }

  private static Column creative(String name, String path, Kind kind) {
    return new Column(name, path, kind, true);
  }

  private static final CsvFactory CSV = CsvFactory.builder()
      .enable(CsvParser.Feature.WRAP_AS_ARRAY)
      // quote only cells that need it (separator, quote, line break), as spreadsheets do
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");
  /**
   * {@code 35.000}: in an Indonesian spreadsheet that is thirty-five thousand, elsewhere thirty-five.
   * Nobody writes a decimal with a trailing zero on purpose, so this shape is refused rather than
   * guessed (reading a CPM a thousand times too low would be an expensive guess).
   */
  private static final Pattern DOT_THOUSANDS = Pattern.compile("[+-]?[1-9]\\d{0,2}(\\.\\d{2}0)+");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*[xX×]\\s*(\\d{1,9})");
  private static final Pattern HOURS = Pattern.compile("(\\d{1,9})\\s*[-;–]\\s*(\\d{1,9})");
  private static final Pattern CREATIVE_FIELD = Pattern.compile("creatives\\[(\\d+)\\](?:\\.(.*))?");
  private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]");

  private static final String EXAMPLE_HEADER =
      "id,advertiser,tier,start,creative_id,format,size,image_url,click_url";

  // ---------------------------------------------------------------------------------------------
  // Reading

  /**
   * Reads UTF-8 bytes (as uploaded); bytes that are not UTF-8 are a problem naming their line,
   * since a spreadsheet saved as "CSV" rather than "CSV UTF-8" would otherwise garble every
   * non-ASCII letter.
   */
  public static Parsed read(byte[] utf8) {
    return read(utf8, null);
  }

  /**
   * {@link #read(byte[])}, with the publisher time zone: a campaign's rows then agree on a time
   * written once with and once without an offset when both are the same instant there.
   */
  public static Parsed read(byte[] utf8, ZoneId zone) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(utf8);
    CharBuffer out = CharBuffer.allocate(utf8.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (utf8[i] == '\n') {
          line++;
        }
      }
      return failed(new Problem(null, null, line, "", "is not UTF-8 text; save the spreadsheet as "
          + "\"CSV UTF-8\" (in Excel: Save As, CSV UTF-8; in Google Sheets: Download, CSV)"));
    }
    out.flip();
    return read(out.toString(), zone);
  }

  /** Reads CSV text into the JSON rule document; never throws for bad input. */
  public static Parsed read(String csv) {
    return read(csv, null);
  }

  /**
   * {@link #read(String)}, with the publisher time zone for comparing a campaign's rows (see
   * {@link #read(byte[], ZoneId)}); null compares times only when the zone cannot matter.
   */
  public static Parsed read(String csv, ZoneId zone) {
    String text = csv == null ? "" : csv;
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<Problem> problems = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    Problem fatal = parseRows(text, rows);
    if (fatal != null) {
      return failed(fatal);
    }
    rows.removeIf(Row::blank);
    if (rows.isEmpty()) {
      return failed(new Problem(null, null, 1, "", "the CSV is empty: its first line must be a "
          + "header row naming the columns, e.g. " + EXAMPLE_HEADER));
    }
    Row headerRow = rows.remove(0);
    Column[] columns = header(headerRow, problems);
    int idAt = indexOf(columns, "id");
    if (idAt < 0 && !rows.isEmpty()) {
      problems.add(new Problem(null, null, headerRow.line(), "id", "is a required column: every "
          + "row names the campaign it belongs to in the id column"));
    }

    Map<String, Group> groups = new LinkedHashMap<>();
    Set<Integer> strayReported = new HashSet<>();
    for (Row row : rows) {
      for (int i = 0; i < row.cells().size(); i++) {
        Column column = i < columns.length ? columns[i] : null;
        boolean named = i < headerRow.cells().size() && !headerRow.cells().get(i).isBlank();
        if (column == null && !named && !row.cell(i).isEmpty() && strayReported.add(i)) {
          problems.add(new Problem(null, null, row.line(), "column " + (i + 1), "has a value (\""
              + abbreviate(row.cell(i)) + "\") but no column name in the header row; name the "
              + "column or remove the value"));
        }
      }
      if (idAt < 0) {
        continue;
      }
      String id = row.cell(idAt);
      if (id.isEmpty()) {
        problems.add(new Problem(null, null, row.line(), "id", "is required on every row: the id "
            + "of the campaign this creative belongs to"));
        continue;
      }
      Map<Column, String> cells = new LinkedHashMap<>();
      for (int i = 0; i < columns.length; i++) {
        if (columns[i] != null) {
          cells.put(columns[i], row.cell(i));
        }
      }
      Group group = groups.get(id);
      if (group == null) {
        groups.put(id, new Group(id, row.line(), cells));
      } else {
        group.compare(row.line(), cells, zone, problems);
      }
      groups.get(id).addCreative(row.line(), cells);
    }

    ObjectNode document = NODES.objectNode();
    ArrayNode campaigns = document.putArray("campaigns");
    List<Integer> campaignLines = new ArrayList<>();
    List<List<Integer>> creativeLines = new ArrayList<>();
    for (Group group : groups.values()) {
      campaigns.add(group.toJson(problems));
      campaignLines.add(group.line);
      creativeLines.add(group.creativeLines);
    }
    problems.sort(Comparator.comparing(Problem::line, Comparator.nullsLast(Comparator.naturalOrder())));
    return new Parsed(document, problems, campaignLines, creativeLines);
  }

  private static Parsed failed(Problem problem) {
    ObjectNode document = NODES.objectNode();
    document.putArray("campaigns");
    return new Parsed(document, List.of(problem), List.of(), List.of());
  }

  /** One CSV record: the line it starts on and its cells, trimmed. */
  private record Row(int line, List<String> cells) {
    String cell(int i) {
      return i < cells.size() ? cells.get(i) : "";
    }

    boolean blank() {
      return cells.stream().allMatch(String::isEmpty);
    }
  }

  /** Splits the text into rows with Jackson's CSV parser; a problem when it cannot. */
  private static Problem parseRows(String text, List<Row> rows) {
    int rowLine = 1;
    List<String> cells = null;
    try (JsonParser parser = CSV.createParser(text)) {
      int depth = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_ARRAY) {
          depth++;
          if (depth == 2) {
            cells = new ArrayList<>();
            rowLine = parser.currentLocation().getLineNr();
          }
        } else if (token == JsonToken.END_ARRAY) {
          if (depth == 2 && cells != null) {
            rows.add(new Row(rowLine, cells));
            cells = null;
          }
          depth--;
        } else if (token == JsonToken.VALUE_STRING && cells != null) {
          if (cells.isEmpty()) {
            rowLine = parser.currentTokenLocation().getLineNr();
          }
          cells.add(parser.getText().strip());
        }
      }
      return null;
    } catch (JsonProcessingException e) {
      String column = "";
      List<String> header = rows.stream().filter(r -> !r.blank()).findFirst()
          .map(Row::cells).orElse(null);
      int at = cells == null ? -1 : cells.size();
      if (header != null && at >= 0 && at < header.size()) {
        column = header.get(at).toLowerCase(Locale.ROOT);
      }
      String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
      if (original.startsWith("Missing closing quote")) {
        return new Problem(null, null, rowLine, column, "has a cell that opens a double quote (\") "
            + "and never closes it; close the quote, and write a quote inside a quoted cell twice "
            + "(\"\")");
      }
      int line = e.getLocation() != null && e.getLocation().getLineNr() > 0
          ? e.getLocation().getLineNr() : rowLine;
      return new Problem(null, null, line, column, "cannot be read as CSV (" + original + "); a "
          + "cell with a comma, a quote or a line break must be in double quotes, with any quote "
          + "inside it written twice (\"\")");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String does no I/O
    }
  }

  /** The known column of each header cell, null for unknown, blank or repeated names. */
  private static Column[] header(Row row, List<Problem> problems) {
    Column[] columns = new Column[row.cells().size()];
    Map<Column, Integer> seen = new HashMap<>();
    for (int i = 0; i < columns.length; i++) {
      String raw = row.cells().get(i);
      if (raw.isEmpty()) {
        continue;
      }
      String name = raw.toLowerCase(Locale.ROOT);
      Column column = BY_NAME.get(name);
      if (column == null) {
        String hint = closest(name);
        problems.add(new Problem(null, null, row.line(), raw, "is not a known column"
            + (hint == null ? "." : "; did you mean \"" + hint + "\"?") + " Known columns: "
            + String.join(", ", COLUMN_NAMES)));
        continue;
      }
      Integer first = seen.putIfAbsent(column, i);
      if (first != null) {
        problems.add(new Problem(null, null, row.line(), column.name(), "appears twice in the "
            + "header row (columns " + (first + 1) + " and " + (i + 1) + "); keep one"));
        continue;
      }
      columns[i] = column;
    }
    return columns;
  }

  private static int indexOf(Column[] columns, String name) {
    for (int i = 0; i < columns.length; i++) {
      if (columns[i] != null && columns[i].name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The rows of one campaign id: the campaign columns of its first row, and its creatives. */
  private static final class Group {
    final String id;
    final int line;
    final Map<Column, String> campaign;
    final List<Map<Column, String>> creatives = new ArrayList<>();
    final List<Integer> creativeLines = new ArrayList<>();

    Group(String id, int line, Map<Column, String> cells) {
      this.id = id;
      this.line = line;
      this.campaign = cells;
    }

    void compare(int rowLine, Map<Column, String> cells, ZoneId zone, List<Problem> problems) {
      for (Column column : COLUMNS) {
        if (column.creative() || !cells.containsKey(column)) {
          continue;
        }
        String first = campaign.get(column);
        String here = cells.get(column);
        if (!sameValue(column, first, here, zone)) {
          problems.add(new Problem(campaignId(id), null, rowLine, column.name(), "is "
              + shown(here) + " here but " + shown(first) + " on line " + line + ", the first row "
              + "of campaign " + id + "; the campaign columns must be the same on every row of a "
              + "campaign"));
        }
      }
    }

    void addCreative(int rowLine, Map<Column, String> cells) {
      boolean any = cells.entrySet().stream()
          .anyMatch(e -> e.getKey().creative() && !e.getValue().isEmpty());
      if (any) {
        creatives.add(cells);
        creativeLines.add(rowLine);
      }
    }

    ObjectNode toJson(List<Problem> problems) {
      ObjectNode node = NODES.objectNode();
      for (Column column : COLUMNS) {
        if (!column.creative()) {
          put(node, column, campaign.get(column), campaignId(id), line, problems);
        }
      }
      if (!creatives.isEmpty()) {
        ArrayNode list = node.putArray("creatives");
        for (int k = 0; k < creatives.size(); k++) {
          ObjectNode creative = list.addObject();
          for (Column column : COLUMNS) {
            if (column.creative()) {
              put(creative, column, creatives.get(k).get(column), campaignId(id),
                  creativeLines.get(k), problems);
            }
          }
        }
      }
      return node;
    }
  }

  private static String campaignId(String id) {
    return id != null && RuleSetReader.ID.matcher(id).matches() ? id : null;
  }

  private static void put(ObjectNode target, Column column, String raw, String campaign, int line,
      List<Problem> problems) {
    if (raw == null || raw.isEmpty()) {
      return;
    }
    JsonNode value = convert(column, raw,
        message -> problems.add(new Problem(campaign, null, line, column.name(), message)));
    if (value == null) {
      return;
    }
    String[] path = column.path().split("\\.");
    ObjectNode parent = target;
    for (int i = 0; i < path.length - 1; i++) {
      JsonNode child = parent.get(path[i]);
      parent = child instanceof ObjectNode o ? o : parent.putObject(path[i]);
    }
    parent.set(path[path.length - 1], value);
  }

  /** The JSON value of a non-empty cell, or null (after reporting why, unless it is just empty). */
  private static JsonNode convert(Column column, String raw, Consumer<String> problem) {
    switch (column.kind()) {
      case TEXT:
        return NODES.textNode(raw);
      case NUMBER: {
        JsonNode number = number(raw);
        if (number == null) {
          problem.accept(DOT_THOUSANDS.matcher(raw).matches()
              ? "looks like it uses a dot as a thousands separator; write digits only, e.g. "
                  + raw.replace(".", "") + " (a decimal is written with a dot and no trailing "
                  + "zero, e.g. 35.5) (got \"" + raw + "\")"
              : "must be a number, written with digits and a dot for decimals and without "
                  + "thousands separators, e.g. 35000 or 1.5 (got \"" + abbreviate(raw) + "\")");
        }
        return number;
      }
      case LIST: {
        List<String> items = items(raw);
        if (items.isEmpty()) {
          return null;
        }
        ArrayNode list = NODES.arrayNode();
        items.forEach(list::add);
        return list;
      }
      case BOOLEAN: {
        Boolean b = bool(raw);
        if (b == null) {
          problem.accept("must be true or false (yes/no and 1/0 also work) (got \""
              + abbreviate(raw) + "\")");
          return null;
        }
        return NODES.booleanNode(b);
      }
      case SIZE: {
        int[] pair = pair(SIZE, raw);
        if (pair == null) {
          problem.accept("must be WIDTHxHEIGHT in pixels, e.g. 300x250 (got \"" + abbreviate(raw)
              + "\")");
          return null;
        }
        return NODES.arrayNode().add(pair[0]).add(pair[1]);
      }
      case HOURS: {
        int[] pair = pair(HOURS, raw);
        if (pair == null) {
          problem.accept("must be START-END in whole hours, e.g. 6-22 for 06:00 to 21:59 (got \""
              + abbreviate(raw) + "\")");
          return null;
        }
        return NODES.arrayNode().add(pair[0]).add(pair[1]);
      }
      default:
        throw new AssertionError(column.kind());
    }
  }

  private static JsonNode number(String raw) {
    if (DOT_THOUSANDS.matcher(raw).matches() || !NUMBER.matcher(raw).matches()) {
      return null;
    }
    try {
      if (INTEGER.matcher(raw).matches()) {
        BigInteger value = new BigInteger(raw);
        if (value.bitLength() < 32) {
          return NODES.numberNode(value.intValue());
        }
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue())
            : NODES.numberNode(value);
      }
      return NODES.numberNode(new BigDecimal(raw));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static List<String> items(String raw) {
    List<String> items = new ArrayList<>();
    for (String item : raw.split(";")) {
      String s = item.strip();
      if (!s.isEmpty()) {
        items.add(s);
      }
    }
    return items;
  }

  private static Boolean bool(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> Boolean.TRUE;
      case "false", "no", "0" -> Boolean.FALSE;
      default -> null;
    };
  }

  private static int[] pair(Pattern pattern, String raw) {
    Matcher m = pattern.matcher(raw);
    if (!m.matches()) {
      return null;
    }
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  /**
   * Whether two cells of a campaign column say the same thing, as the rules read them: {@code a;b}
   * and {@code a; b}, {@code 10} and {@code 10.0}, {@code Standard} and {@code standard} (enum
   * values and sections, geo targets and devices are case-insensitive, SPEC §2 and §4), keywords
   * equal after normalisation, {@code PT24H} and {@code P1D}, and two ways of writing one instant.
   */
  private static boolean sameValue(Column column, String a, String b, ZoneId zone) {
    if (Objects.equals(a, b)) {
      return true;
    }
    if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
      return false;
    }
    switch (column.name()) {
      case "start", "end" -> {
        return sameInstant(a.trim(), b.trim(), zone);
      }
      case "cap_window" -> {
        Duration x = duration(a.trim());
        return x != null && x.equals(duration(b.trim()));
      }
      default -> { }
    }
    Consumer<String> ignore = message -> { };
    JsonNode x = convert(column, a, ignore);
    JsonNode y = convert(column, b, ignore);
    if (x == null || y == null) {
      return false;
    }
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue()) == 0;
    }
    return canonical(column, x).equals(canonical(column, y));
  }

  /** Columns whose values the rules compare ignoring case. */
  private static final Set<String> CASE_INSENSITIVE = Set.of("status", "tier", "pacing",
      "sections_include", "sections_exclude", "geo_include", "geo_exclude", "devices", "days",
      "category", "currency");

  private static JsonNode canonical(Column column, JsonNode value) {
    boolean keywords = column.name().startsWith("keywords_");
    if (!keywords && !CASE_INSENSITIVE.contains(column.name())) {
      return value;
    }
    java.util.function.UnaryOperator<String> form = keywords ? Keywords::normalize
        : text -> text.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    if (value.isTextual()) {
      return NODES.textNode(form.apply(value.asText()));
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      value.forEach(item -> out.add(item.isTextual() ? NODES.textNode(form.apply(item.asText()))
          : item));
      return out;
    }
    return value;
  }

  /**
   * Whether two times are one instant. Without the zone, only when that holds in any zone (both
   * with an offset, or both without): checked under two different offsets.
   */
  private static boolean sameInstant(String a, String b, ZoneId zone) {
    if (zone != null) {
      Instant x = RuleSetReader.parseTime(a, zone);
      return x != null && x.equals(RuleSetReader.parseTime(b, zone));
    }
    for (ZoneId probe : new ZoneId[] {ZoneOffset.UTC, ZoneOffset.ofHours(7)}) {
      Instant x = RuleSetReader.parseTime(a, probe);
      if (x == null || !x.equals(RuleSetReader.parseTime(b, probe))) {
        return false;
      }
    }
    return true;
  }

  private static Duration duration(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static String shown(String value) {
    return value == null || value.isEmpty() ? "empty" : "\"" + abbreviate(value) + "\"";
  }

  private static String abbreviate(String value) {
    return value.length() <= 100 ? value : value.substring(0, 100) + "…";
  }

  /** The known column closest to an unknown name, ignoring case, {@code _}, {@code -} and spaces. */
  private static String closest(String name) {
    String n = squash(name);
    String best = null;
    int bestDistance = 3;
    for (String candidate : COLUMN_NAMES) {
      int d = EditDistance.between(n, squash(candidate));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  private static String squash(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.]", "");
  }

  // ---------------------------------------------------------------------------------------------
  // Locating reader problems

  /**
   * Rewrites the problems {@link RuleSetReader#readCampaigns} found in {@code parsed.campaigns()}
   * so that each names the CSV line (the creative's row for {@code creatives[k]...} fields, else
   * the campaign's first row) and the CSV column ({@code creatives[1].imageUrl} becomes
   * {@code image_url}, {@code targeting.geo.include[0]} becomes {@code geo_include}). The reader
   * may have been given any {@code lineOf}: problems placed by index, by campaign id or by line
   * are all understood. A problem at the same line and column as a CSV-level problem of
   * {@code parsed} is dropped: it is the same mistake seen twice (a size that could not be read
   * is also a size that is missing).
   */
  public static List<Problem> locate(List<Problem> readerProblems, Parsed parsed) {
    Set<String> known = new HashSet<>();
    for (Problem p : parsed.problems()) {
      known.add(p.line() + "\u0000" + p.field());
    }
    JsonNode campaigns = parsed.campaigns();
    List<Problem> out = new ArrayList<>();
    for (Problem problem : readerProblems) {
      int at = campaignIndex(problem, parsed);
      if (at < 0) {
        out.add(problem);
        continue;
      }
      String field = problem.field() == null ? "" : problem.field();
      int line = parsed.campaignLines().get(at);
      List<Integer> creativeLines = parsed.creativeLines().get(at);
      String column;
      Matcher m = CREATIVE_FIELD.matcher(field);
      if (m.matches()) {
        int k = Integer.parseInt(m.group(1));
        if (k < creativeLines.size()) {
          line = creativeLines.get(k);
        }
        String rest = m.group(2) == null ? "" : INDEX.matcher(m.group(2)).replaceAll("");
        Column c = CREATIVE_BY_PATH.get(rest);
        column = c != null ? c.name() : "creative_id";
      } else if (field.equals("creatives")) {
        column = "creative_id";
        JsonNode creatives = campaigns.get(at).path("creatives");
        for (int k = 0; k < creatives.size() && k < creativeLines.size(); k++) {
          String creativeId = creatives.get(k).path("id").asText(null);
          if (creativeId != null && problem.message().contains("\"" + creativeId + "\"")) {
            line = creativeLines.get(k);
            break;
          }
        }
      } else {
        column = campaignColumn(INDEX.matcher(field).replaceAll(""));
      }
      if (!known.contains(line + "\u0000" + column)) {
        out.add(new Problem(problem.campaign(), null, line, column, problem.message()));
      }
    }
    return out;
  }

  private static int campaignIndex(Problem problem, Parsed parsed) {
    int count = parsed.campaignLines().size();
    if (problem.index() != null) {
      return problem.index() >= 0 && problem.index() < count ? problem.index() : -1;
    }
    if (problem.line() != null) {
      return parsed.campaignLines().indexOf(problem.line());
    }
    if (problem.campaign() != null) {
      JsonNode campaigns = parsed.campaigns();
      for (int i = 0; i < campaigns.size(); i++) {
        if (problem.campaign().equals(campaigns.get(i).path("id").asText(null))) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The column of a campaign-level JSON field; a parent object maps to its first column. */
  private static String campaignColumn(String path) {
    Column exact = CAMPAIGN_BY_PATH.get(path);
    if (exact != null) {
      return exact.name();
    }
    for (Column c : COLUMNS) {
      if (!c.creative() && c.path().startsWith(path + ".")) {
        return c.name();
      }
    }
    return path;
  }

  /**
   * Reads a CSV rule set all the way: {@link #read}, then {@link RuleSetReader#readCampaigns},
   * then {@link #locate}; every problem of both kinds, ordered by line, or the rule set.
   */
  public static RuleSet readRuleSet(String csv, RuleSetReader reader)
      throws InvalidRulesException {
    return readRuleSet(read(csv), reader);
  }

  /** {@link #readRuleSet(String, RuleSetReader)} for an already {@link #read} CSV. */
  public static RuleSet readRuleSet(Parsed parsed, RuleSetReader reader)
      throws InvalidRulesException {
    List<Problem> fromReader = new ArrayList<>();
    List<Campaign> campaigns = reader.readCampaigns(parsed.campaigns(), fromReader, i -> null);
    List<Problem> problems = new ArrayList<>(parsed.problems());
    problems.addAll(locate(fromReader, parsed));
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparing(Problem::line,
          Comparator.nullsLast(Comparator.naturalOrder())));
      throw new InvalidRulesException(problems);
    }
    return new RuleSet(campaigns);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Writes a rule document (as {@link RuleSetReader} accepts it) as CSV: a header with every
   * column in {@link #COLUMN_NAMES} order, then one row per creative with the campaign columns
   * repeated (a campaign without creatives still gets one row). Values are written as the
   * document has them, so the export mirrors what ad ops wrote; reading it back gives the same
   * {@link RuleSet}. Lines end in CRLF (RFC 4180).
   *
   * @throws NotExportableException when the document cannot be written as CSV: it is not of the
   *     form {@code {"campaigns": [...]}}, or a list item contains {@code ;} (the list separator)
   */
  public static String write(JsonNode document) {
    JsonNode campaigns = document == null ? null : document.get("campaigns");
    if (campaigns == null || !campaigns.isArray()) {
      throw new NotExportableException("a rule document is {\"campaigns\": [...]}");
    }
    StringWriter out = new StringWriter();
    try (CsvGenerator csv = CSV.createGenerator(out)) {
      csv.setSchema(CsvSchema.emptySchema().withLineSeparator("\r\n"));
      writeRow(csv, COLUMN_NAMES);
      for (int i = 0; i < campaigns.size(); i++) {
        JsonNode campaign = campaigns.get(i);
        if (!campaign.isObject()) {
          throw new NotExportableException("campaign #" + i + " is not an object");
        }
        String name = campaign.path("id").asText("#" + i);
        List<String> campaignCells = new ArrayList<>();
        for (Column column : COLUMNS) {
          if (!column.creative()) {
            campaignCells.add(cell(campaign, column, name));
          }
        }
        JsonNode creatives = campaign.path("creatives");
        if (!creatives.isArray() || creatives.isEmpty()) {
          List<String> row = new ArrayList<>(campaignCells);
          while (row.size() < COLUMNS.size()) {
            row.add("");
          }
          writeRow(csv, row);
          continue;
        }
        for (JsonNode creative : creatives) {
          List<String> row = new ArrayList<>(campaignCells);
          for (Column column : COLUMNS) {
            if (column.creative()) {
              row.add(cell(creative, column, name));
            }
          }
          writeRow(csv, row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing a String does no I/O
    }
    return out.toString();
  }

  private static void writeRow(CsvGenerator csv, List<String> cells) throws IOException {
    csv.writeStartArray();
    for (String cell : cells) {
      csv.writeString(cell);
    }
    csv.writeEndArray();
  }

  private static String cell(JsonNode owner, Column column, String campaign) {
    JsonNode node = owner;
    for (String part : column.path().split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    if (node == null || node.isNull()) {
      return "";
    }
    switch (column.kind()) {
      case LIST: {
        if (!node.isArray()) {
          return scalar(node, column, campaign);
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) {
          String s = scalar(item, column, campaign);
          if (s.contains(";")) {
            throw new NotExportableException("campaign " + campaign + ", " + column.name()
                + ": the item \"" + s + "\" contains ';', which separates list items in CSV");
          }
          items.add(s);
        }
        return String.join(";", items);
      }
      case SIZE:
      case HOURS: {
        if (node.isArray() && node.size() == 2) {
          String separator = column.kind() == Kind.SIZE ? "x" : "-";
          return scalar(node.get(0), column, campaign) + separator
              + scalar(node.get(1), column, campaign);
        }
        return scalar(node, column, campaign);
      }
      default:
        return scalar(node, column, campaign);
    }
  }

  private static String scalar(JsonNode node, Column column, String campaign) {
    if (node.isNumber()) {
      if (node.isIntegralNumber()) {
        return node.bigIntegerValue().toString();
      }
      BigDecimal value = node.decimalValue().stripTrailingZeros();
      String plain = value.toPlainString();
      return plain.length() <= 30 ? plain : value.toString();
    }
    if (node.isValueNode()) {
      return node.asText();
    }
    throw new NotExportableException("campaign " + campaign + ", " + column.name()
        + ": " + node + " cannot be written as one CSV cell");
  }

  /** A rule document that CSV cannot represent (for example a list item containing ';'). */
  public static final class NotExportableException extends IllegalArgumentException {
    public NotExportableException(String message) {
      super(message);
    }
  }
}
