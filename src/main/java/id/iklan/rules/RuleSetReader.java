package id.iklan.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the JSON rule format (SPEC §5) into a {@link RuleSet}, reporting every problem at once.
 *
 * <p>The reader works on a parsed tree rather than data binding so that each problem can name the
 * campaign and the exact field ({@code creatives[1].size}) and say, in words an ad ops person can
 * act on, what to write instead. Unknown members inside a campaign are problems: a misspelt
 * {@code targetting} must not silently target everyone.
 *
 * <p><b>Named keyword lists.</b> A rule document may define lists of keywords once, at the top
 * level ({@code "keywordLists": {"tragedi": ["bencana", "korban jiwa"]}}), and campaigns refer
 * to them in {@code keywords.any}, {@code all} or {@code none} as {@code "@tragedi"}. References
 * are expanded here, while reading: the rule model and the selection core see plain keywords
 * only. A reference to a list that is not defined is a problem of the campaign and field that
 * makes it.
 */
public final class RuleSetReader {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}");
  static final String ID_RULE =
      "must be 1 to 128 letters, digits or . _ - : ~ (no spaces), starting with a letter or digit";
  private static final int MAX_TEXT = 1_000;
  private static final int MAX_HTML = 100_000;
  private static final int MAX_URL = 2_048;
  /** What a keyword list's name may be; referred to as {@code @name}, case-insensitively. */
  static final Pattern LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final String LIST_NAME_RULE =
      "must be 1 to 64 letters, digits, _ or -, starting with a letter or digit";
  /** A keyword that starts with this refers to a named keyword list. */
  public static final String LIST_REFERENCE = "@";
  /** Caps above this are not caps; it also bounds the per-user history a cap needs. */
  public static final int MAX_CAP_COUNT = 1_000;

  private static final Set<String> CAMPAIGN_FIELDS = Set.of("id", "advertiser", "category",
      "status", "tier", "cpm", "currency", "weight", "start", "end", "goal", "frequencyCap",
      "roadblock", "targeting", "creatives");
  private static final Set<String> GOAL_FIELDS = Set.of("impressions", "pacing");
  private static final Set<String> CAP_FIELDS = Set.of("count", "window");
  private static final Set<String> TARGETING_FIELDS =
      Set.of("sections", "keywords", "geo", "devices", "schedule");
  private static final Set<String> INCLUDE_EXCLUDE = Set.of("include", "exclude");
  private static final Set<String> KEYWORD_FIELDS = Set.of("any", "all", "none");
  private static final Set<String> SCHEDULE_FIELDS = Set.of("days", "hours");
  private static final Set<String> CREATIVE_FIELDS = Set.of("id", "format", "size", "imageUrl",
      "alt", "html", "title", "body", "sponsor", "clickUrl", "weight");

  private final ZoneId zone;

  /** @param zone the publisher time zone, for times written without an offset */
  public RuleSetReader(ZoneId zone) {
    this.zone = zone;
  }

  /** Reads a whole rule set document {@code {"campaigns": [...]}}. */
  public RuleSet read(JsonNode root) throws InvalidRulesException {
    List<Problem> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidRulesException(List.of(Problem.atRoot("campaigns",
          "the rule set must be a JSON object of the form {\"campaigns\": [...]}")));
    }
    JsonNode list = root.get("campaigns");
    if (list == null || list.isNull()) {
      throw new InvalidRulesException(List.of(Problem.atRoot("campaigns",
          "is required: a list of campaigns (it may be empty)")));
    }
    if (!list.isArray()) {
      throw new InvalidRulesException(List.of(Problem.atRoot("campaigns",
          "must be a list of campaigns, [ ... ]")));
    }
    Map<String, List<String>> lists = readKeywordLists(root.get("keywordLists"), problems);
    List<Campaign> campaigns = readCampaigns(list, lists, problems, i -> null);
    if (!problems.isEmpty()) {
      throw new InvalidRulesException(problems);
    }
    return new RuleSet(campaigns);
  }

  /** The members a rule set document may have. */
  private static final Set<String> DOCUMENT_MEMBERS = Set.of("campaigns", "keywordLists");

  /**
   * Problems for the members of an uploaded rule set document other than {@code campaigns} and
   * {@code keywordLists}: a misspelt {@code keywordList} would otherwise drop every list without
   * a word. Only uploads are checked, never stored versions, which were accepted as they are.
   */
  public static List<Problem> unknownDocumentMembers(JsonNode root) {
    List<Problem> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      return problems;
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!DOCUMENT_MEMBERS.contains(name)) {
        String hint = closest(name, DOCUMENT_MEMBERS);
        problems.add(Problem.atRoot(name, "is not a known member of a rule set" + (hint == null
            ? "." : "; did you mean \"" + hint + "\"?") + " Known here: campaigns, keywordLists"));
      }
    }
    return problems;
  }

  /**
   * Reads the top-level {@code keywordLists} member: list name (lower case) to its keywords,
   * normalised and without duplicates, in document order. {@code null} (absent) is no lists.
   * Problems are placed at the root, with fields such as {@code keywordLists.tragedi[2]}.
   */
  public Map<String, List<String>> readKeywordLists(JsonNode node, List<Problem> problems) {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return lists;
    }
    if (!node.isObject()) {
      problems.add(Problem.atRoot("keywordLists", "must be an object of named lists, such as "
          + "{\"tragedi\": [\"bencana\", \"korban jiwa\"]}"));
      return lists;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = "keywordLists." + e.getKey();
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!LIST_NAME.matcher(name).matches()) {
        problems.add(Problem.atRoot(field, "is not a usable list name: a name " + LIST_NAME_RULE
            + " (campaigns refer to it as @name)"));
        continue;
      }
      if (lists.containsKey(name)) {
        problems.add(Problem.atRoot(field, "is defined twice (names are compared ignoring "
            + "case); merge the two lists"));
        continue;
      }
      JsonNode values = e.getValue();
      if (values == null || !values.isArray() || values.isEmpty()) {
        problems.add(Problem.atRoot(field, "must be a list of at least one keyword, [\"...\"]"
            + " (a list that matches nothing would make a keywords.any that uses it match"
            + " every page)"));
        continue;
      }
      List<String> keywords = new ArrayList<>();
      boolean clean = true;
      for (int i = 0; i < values.size(); i++) {
        JsonNode v = values.get(i);
        String word = v.isTextual() ? Keywords.normalize(v.asText()) : null;
        if (word == null || word.isEmpty() || word.length() > MAX_TEXT) {
          problems.add(Problem.atRoot(field + "[" + i + "]", "must be a non-empty text of at most "
              + MAX_TEXT + " characters (got " + abbreviate(v) + ")"));
          clean = false;
        } else if (word.startsWith(LIST_REFERENCE)) {
          problems.add(Problem.atRoot(field + "[" + i + "]", "a list cannot refer to another "
              + "list (" + word + "); write its keywords here"));
          clean = false;
        } else if (!keywords.contains(word)) {
          keywords.add(word);
        }
      }
      if (clean) {
        lists.put(name, List.copyOf(keywords));
      }
    }
    return lists;
  }

  private static String abbreviate(JsonNode v) {
    String s = String.valueOf(v);
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /**
   * Reads campaign objects, adding every problem to {@code problems}; checks uniqueness of ids
   * across the list. {@code lineOf} maps an index to a source line (CSV) or returns null.
   */
  public List<Campaign> readCampaigns(
      JsonNode list, List<Problem> problems, Function<Integer, Integer> lineOf) {
    return readCampaigns(list, Map.of(), problems, lineOf);
  }

  /**
   * {@link #readCampaigns(JsonNode, List, Function)} with the named keyword lists that
   * {@code @name} references resolve against (see {@link #readKeywordLists}).
   */
  public List<Campaign> readCampaigns(JsonNode list, Map<String, List<String>> keywordLists,
      List<Problem> problems, Function<Integer, Integer> lineOf) {
    List<Campaign> campaigns = new ArrayList<>();
    Map<String, Integer> campaignIds = new HashMap<>();
    Map<String, String> creativeOwners = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Place place = new Place(i, lineOf.apply(i), problems, keywordLists);
      Campaign campaign = readCampaign(list.get(i), place);
      String id = place.campaignId;
      if (id != null) {
        Integer first = campaignIds.putIfAbsent(id, i);
        if (first != null) {
          place.problem("id", "campaign id \"" + id + "\" is used twice (also by campaign #" + first
              + "); every campaign needs its own id");
          campaign = null;
        }
      }
      for (String creativeId : place.creativeIds) {
        String owner = creativeOwners.putIfAbsent(creativeId, id == null ? "#" + i : id);
        if (owner != null && (id == null || !owner.equals(id))) {
          place.problem("creatives", "creative id \"" + creativeId
              + "\" is already used by campaign " + owner + "; creative ids must be unique");
          campaign = null;
        }
      }
      if (campaign != null) {
        campaigns.add(campaign);
      }
    }
    return campaigns;
  }

  /** Where problems of one campaign go, and what is known of it so far. */
  private static final class Place {
    final int index;
    final Integer line;
    final List<Problem> problems;
    final List<String> creativeIds = new ArrayList<>();
    final Map<String, List<String>> keywordLists;
    String campaignId;
    int before;

    Place(int index, Integer line, List<Problem> problems,
        Map<String, List<String>> keywordLists) {
      this.index = index;
      this.line = line;
      this.problems = problems;
      this.keywordLists = keywordLists;
      this.before = problems.size();
    }

    void problem(String field, String message) {
      if (line != null) {
        problems.add(new Problem(campaignId, null, line, field, message));
      } else {
        problems.add(Problem.atCampaign(campaignId, index, field, message));
      }
    }

    boolean clean() {
      return problems.size() == before;
    }
  }

  private Campaign readCampaign(JsonNode node, Place place) {
    if (node == null || !node.isObject()) {
      place.problem("", "each campaign must be a JSON object { ... }");
      return null;
    }
    JsonNode idNode = node.get("id");
    if (idNode != null && idNode.isTextual() && ID.matcher(idNode.asText()).matches()) {
      place.campaignId = idNode.asText();
    }
    unknownMembers(node, CAMPAIGN_FIELDS, "", place);
    String id = requiredText(node, "id", "", place);
    if (id != null && !ID.matcher(id).matches()) {
      place.problem("id", ID_RULE + " (got \"" + id + "\")");
    }
    String advertiser = requiredText(node, "advertiser", "", place);
    String category = optionalText(node, "category", "", place);
    if (category != null) {
      category = Keywords.normalize(category);
      if (category.isEmpty()) {
        category = null;
      }
    }
    Status status = optionalEnum(node, "status", "", Status.class, Status.ACTIVE, place);
    Tier tier = requiredEnum(node, "tier", "", Tier.class, place);
    double cpm = optionalNumber(node, "cpm", "", 0, place, true);
    String currency = optionalText(node, "currency", "", place);
    if (currency != null && !currency.matches("[A-Za-z]{3}")) {
      place.problem("currency", "must be a 3-letter currency code such as IDR or USD (got \""
          + currency + "\")");
    }
    double weight = optionalNumber(node, "weight", "", 1, place, false);
    Instant start = requiredTime(node, "start", place);
    Instant end = optionalTime(node, "end", place);
    if (start != null && end != null && !end.isAfter(start)) {
      place.problem("end", "must be after start (" + text(node.get("start")) + ")");
    }
    Goal goal = readGoal(node.get("goal"), end, node.get("end"), place);
    FrequencyCap cap = readCap(node.get("frequencyCap"), place);
    boolean roadblock = optionalBoolean(node, "roadblock", "", place);
    Targeting targeting = readTargeting(node.get("targeting"), place);
    List<Creative> creatives = readCreatives(node.get("creatives"), place);
    if (!place.clean()) {
      return null;
    }
    return new Campaign(id, advertiser, category, status, tier, cpm,
        currency == null ? null : currency.toUpperCase(Locale.ROOT), weight, start, end, goal, cap,
        roadblock, targeting, creatives);
  }

  private Goal readGoal(JsonNode node, Instant end, JsonNode endNode, Place place) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      place.problem("goal", "must be an object such as {\"impressions\": 100000, \"pacing\": \"even\"}");
      return null;
    }
    unknownMembers(node, GOAL_FIELDS, "goal.", place);
    JsonNode impressions = node.get("impressions");
    long count = 0;
    if (impressions == null || impressions.isNull()) {
      place.problem("goal.impressions", "is required: how many ads to serve in total");
    } else if (!impressions.isIntegralNumber() || impressions.asLong() < 1
        || !impressions.canConvertToLong()) {
      place.problem("goal.impressions", "must be a whole number of at least 1 (got "
          + impressions + ")");
    } else {
      count = impressions.asLong();
    }
    Pacing pacing = optionalEnum(node, "pacing", "goal.", Pacing.class, Pacing.ASAP, place);
    if (pacing == Pacing.EVEN && (endNode == null || endNode.isNull())) {
      place.problem("goal.pacing", "even pacing needs an end: set \"end\" or use \"asap\"");
    }
    return count >= 1 && pacing != null ? new Goal(count, pacing) : null;
  }

  private FrequencyCap readCap(JsonNode node, Place place) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      place.problem("frequencyCap",
          "must be an object such as {\"count\": 3, \"window\": \"PT24H\"}");
      return null;
    }
    unknownMembers(node, CAP_FIELDS, "frequencyCap.", place);
    JsonNode countNode = node.get("count");
    int count = 0;
    if (countNode == null || countNode.isNull()) {
      place.problem("frequencyCap.count", "is required: how many times one user may see the ad");
    } else if (!countNode.isIntegralNumber() || !countNode.canConvertToInt()
        || countNode.asInt() < 1 || countNode.asInt() > MAX_CAP_COUNT) {
      place.problem("frequencyCap.count", "must be a whole number from 1 to " + MAX_CAP_COUNT
          + " (got " + countNode + ")");
    } else {
      count = countNode.asInt();
    }
    Duration window = null;
    String windowText = requiredText(node, "window", "frequencyCap.", place);
    if (windowText != null) {
      try {
        window = Duration.parse(windowText.trim().toUpperCase(Locale.ROOT));
        if (window.isNegative() || window.isZero()) {
          place.problem("frequencyCap.window", "must be a positive duration such as PT24H");
          window = null;
        }
      } catch (DateTimeParseException e) {
        place.problem("frequencyCap.window", "must be an ISO-8601 duration such as PT24H (24 hours),"
            + " PT30M or P7D (got \"" + windowText + "\")");
      }
    }
    return count >= 1 && window != null ? new FrequencyCap(count, window) : null;
  }

  private Targeting readTargeting(JsonNode node, Place place) {
    if (node == null || node.isNull()) {
      return Targeting.EVERYONE;
    }
    if (!node.isObject()) {
      place.problem("targeting", "must be an object with sections, keywords, geo, devices or "
          + "schedule");
      return Targeting.EVERYONE;
    }
    unknownMembers(node, TARGETING_FIELDS, "targeting.", place);
    JsonNode sections = object(node, "sections", "targeting.", INCLUDE_EXCLUDE, place);
    JsonNode keywords = object(node, "keywords", "targeting.", KEYWORD_FIELDS, place);
    JsonNode geo = object(node, "geo", "targeting.", INCLUDE_EXCLUDE, place);
    List<String> sectionsInclude = words(sections, "include", "targeting.sections.", place);
    List<String> sectionsExclude = words(sections, "exclude", "targeting.sections.", place);
    List<String> any = keywords(keywords, "any", place);
    List<String> all = keywords(keywords, "all", place);
    List<String> none = keywords(keywords, "none", place);
    List<String> geoInclude = geoTargets(geo, "include", place);
    List<String> geoExclude = geoTargets(geo, "exclude", place);
    Set<DeviceType> devices = EnumSet.noneOf(DeviceType.class);
    JsonNode deviceList = list(node, "devices", "targeting.", place);
    if (deviceList != null) {
      for (int i = 0; i < deviceList.size(); i++) {
        JsonNode d = deviceList.get(i);
        DeviceType type = d.isTextual() ? Enums.parse(DeviceType.class, d.asText()) : null;
        if (type == null) {
          place.problem("targeting.devices[" + i + "]", "must be one of "
              + Enums.choices(DeviceType.class) + " (got " + d + ")");
        } else {
          devices.add(type);
        }
      }
    }
    Schedule schedule = readSchedule(node.get("schedule"), place);
    return new Targeting(sectionsInclude, sectionsExclude, any, all, none, geoInclude, geoExclude,
        devices, schedule);
  }

  private Schedule readSchedule(JsonNode node, Place place) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      place.problem("targeting.schedule", "must be an object such as "
          + "{\"days\": [\"MON\", \"TUE\"], \"hours\": [6, 22]}");
      return null;
    }
    unknownMembers(node, SCHEDULE_FIELDS, "targeting.schedule.", place);
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    JsonNode dayList = list(node, "days", "targeting.schedule.", place);
    if (dayList != null) {
      for (int i = 0; i < dayList.size(); i++) {
        JsonNode d = dayList.get(i);
        DayOfWeek day = d.isTextual() ? day(d.asText()) : null;
        if (day == null) {
          place.problem("targeting.schedule.days[" + i + "]",
              "must be one of MON, TUE, WED, THU, FRI, SAT, SUN (got " + d + ")");
        } else {
          days.add(day);
        }
      }
    }
    JsonNode hours = node.get("hours");
    if (hours == null || hours.isNull()) {
      return new Schedule(days, false, 0, 0);
    }
    String rule = "must be [start, end]: whole hours with 0 <= start <= 23 and 0 <= end <= 24, "
        + "start inclusive, end exclusive, e.g. [6, 22] for 06:00 to 21:59 (got " + hours + ")";
    if (!hours.isArray() || hours.size() != 2 || !hours.get(0).isIntegralNumber()
        || !hours.get(1).isIntegralNumber()) {
      place.problem("targeting.schedule.hours", rule);
      return null;
    }
    int startHour = hours.get(0).asInt();
    int endHour = hours.get(1).asInt();
    if (startHour < 0 || startHour > 23 || endHour < 0 || endHour > 24 || startHour == endHour) {
      place.problem("targeting.schedule.hours", rule);
      return null;
    }
    return new Schedule(days, true, startHour, endHour);
  }

  private static DayOfWeek day(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().equals(t) || day.name().substring(0, 3).equals(t)) {
        return day;
      }
    }
    return null;
  }

  private List<Creative> readCreatives(JsonNode node, Place place) {
    List<Creative> creatives = new ArrayList<>();
    if (node == null || node.isNull()) {
      place.problem("creatives", "is required: at least one creative (image, html or native)");
      return creatives;
    }
    if (!node.isArray() || node.isEmpty()) {
      place.problem("creatives", "must be a list with at least one creative");
      return creatives;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String prefix = "creatives[" + i + "].";
      JsonNode c = node.get(i);
      if (!c.isObject()) {
        place.problem("creatives[" + i + "]", "must be an object with id, format, clickUrl, ...");
        continue;
      }
      int before = place.problems.size();
      unknownMembers(c, CREATIVE_FIELDS, prefix, place);
      String id = requiredText(c, "id", prefix, place);
      if (id != null) {
        if (!ID.matcher(id).matches()) {
          place.problem(prefix + "id", ID_RULE + " (got \"" + id + "\")");
        } else if (!seen.add(id)) {
          place.problem(prefix + "id", "creative id \"" + id + "\" is used twice in this campaign");
        } else {
          place.creativeIds.add(id);
        }
      }
      Format format = requiredEnum(c, "format", prefix, Format.class, place);
      String clickUrl = url(c, "clickUrl", prefix, true, place);
      double weight = optionalNumber(c, "weight", prefix, 1, place, false);
      Size size = null;
      String imageUrl = null;
      String alt = null;
      String html = null;
      String title = null;
      String body = null;
      String sponsor = null;
      if (format != null) {
        switch (format) {
          case IMAGE -> {
            size = size(c, prefix, true, place);
            imageUrl = url(c, "imageUrl", prefix, true, place);
            alt = optionalText(c, "alt", prefix, place);
          }
          case HTML -> {
            size = size(c, prefix, true, place);
            html = requiredText(c, "html", prefix, place, MAX_HTML);
          }
          case NATIVE -> {
            title = requiredText(c, "title", prefix, place);
            body = optionalText(c, "body", prefix, place);
            imageUrl = url(c, "imageUrl", prefix, true, place);
            sponsor = requiredText(c, "sponsor", prefix, place);
            if (c.hasNonNull("size")) {
              size(c, prefix, false, place);
            }
          }
        }
        forbidOthers(c, format, prefix, place);
      }
      if (place.problems.size() == before && format != null) {
        creatives.add(new Creative(id, format, size, imageUrl, alt, html, title, body, sponsor,
            clickUrl, weight));
      }
    }
    return creatives;
  }

  /**
   * A member that belongs to another format is almost always a copy-paste slip (an {@code html}
   * creative with an {@code imageUrl} would show nothing the author expects), so it is reported.
   */
  private static void forbidOthers(JsonNode c, Format format, String prefix, Place place) {
    Set<String> allowed = switch (format) {
      case IMAGE -> Set.of("size", "imageUrl", "alt");
      case HTML -> Set.of("size", "html");
      case NATIVE -> Set.of("title", "body", "imageUrl", "sponsor", "size");
    };
    for (String field : List.of("size", "imageUrl", "alt", "html", "title", "body", "sponsor")) {
      if (!allowed.contains(field) && c.hasNonNull(field)) {
        place.problem(prefix + field, "is not used by " + format.wireName()
            + " creatives; remove it or change the format");
      }
    }
  }

  private static Size size(JsonNode c, String prefix, boolean required, Place place) {
    JsonNode node = c.get("size");
    if (node == null || node.isNull()) {
      if (required) {
        place.problem(prefix + "size", "is required for display creatives: [width, height], "
            + "e.g. [300, 250]");
      }
      return null;
    }
    if (node.isArray() && node.size() == 2 && node.get(0).isIntegralNumber()
        && node.get(1).isIntegralNumber() && node.get(0).canConvertToInt()
        && node.get(1).canConvertToInt()) {
      int w = node.get(0).asInt();
      int h = node.get(1).asInt();
      if (w >= 1 && h >= 1 && w <= Size.MAX_SIDE && h <= Size.MAX_SIDE) {
        return new Size(w, h);
      }
    }
    place.problem(prefix + "size", "must be [width, height] in pixels, each 1 to "
        + Size.MAX_SIDE + ", e.g. [300, 250] (got " + node + ")");
    return null;
  }

  private static String url(JsonNode c, String field, String prefix, boolean required, Place place) {
    String value = required ? requiredText(c, field, prefix, place, MAX_URL)
        : optionalText(c, field, prefix, place);
    if (value == null) {
      return null;
    }
    if (!isHttpUrl(value)) {
      place.problem(prefix + field, "must be a full http:// or https:// address (got \""
          + value + "\")");
      return null;
    }
    return value;
  }

  /** True for an absolute http or https URL with a host. */
  public static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private List<String> geoTargets(JsonNode geo, String field, Place place) {
    List<String> out = new ArrayList<>();
    JsonNode values = list(geo, field, "targeting.geo.", place);
    if (values == null) {
      return out;
    }
    for (int i = 0; i < values.size(); i++) {
      JsonNode v = values.get(i);
      String target = v.isTextual() ? Geo.canonicalTarget(v.asText()) : null;
      if (target == null) {
        place.problem("targeting.geo." + field + "[" + i + "]", "must be " + Geo.TARGET_FORMAT
            + " (got " + v + ")");
      } else if (!out.contains(target)) {
        out.add(target);
      }
    }
    return out;
  }

  private static List<String> words(JsonNode parent, String field, String prefix, Place place) {
    List<String> out = new ArrayList<>();
    JsonNode values = list(parent, field, prefix, place);
    if (values == null) {
      return out;
    }
    for (int i = 0; i < values.size(); i++) {
      JsonNode v = values.get(i);
      String word = v.isTextual() ? Keywords.normalize(v.asText()) : null;
      if (word == null || word.isEmpty() || word.length() > MAX_TEXT) {
        place.problem(prefix + field + "[" + i + "]", "must be a non-empty text (got " + v + ")");
      } else if (!Unicode.wellFormed(word)) {
        place.problem(prefix + field + "[" + i + "]", NOT_UNICODE);
      } else if (word.indexOf(';') >= 0) {
        place.problem(prefix + field + "[" + i + "]", "must not contain ';' (it separates list "
            + "items in CSV); write \"" + word.replace(";", "\", \"") + "\" as separate items");
      } else if (!out.contains(word)) {
        out.add(word);
      }
    }
    return out;
  }

  /**
   * A keyword list of a campaign, with {@code @name} references to named keyword lists replaced
   * by the lists' keywords (duplicates dropped, first occurrence kept).
   */
  private static List<String> keywords(JsonNode parent, String field, Place place) {
    String prefix = "targeting.keywords.";
    List<String> out = new ArrayList<>();
    JsonNode values = list(parent, field, prefix, place);
    if (values == null) {
      return out;
    }
    for (int i = 0; i < values.size(); i++) {
      JsonNode v = values.get(i);
      String word = v.isTextual() ? Keywords.normalize(v.asText()) : null;
      if (word == null || word.isEmpty() || word.length() > MAX_TEXT) {
        place.problem(prefix + field + "[" + i + "]", "must be a non-empty text (got " + v + ")");
        continue;
      }
      if (!word.startsWith(LIST_REFERENCE)) {
        if (!out.contains(word)) {
          out.add(word);
        }
        continue;
      }
      String name = word.substring(LIST_REFERENCE.length());
      List<String> listed = place.keywordLists.get(name);
      if (listed == null) {
        place.problem(prefix + field + "[" + i + "]", "refers to the keyword list \"" + name
            + "\", which the rule set does not define; " + (place.keywordLists.isEmpty()
            ? "define it under \"keywordLists\" at the top of the rule set"
            : "defined lists: " + String.join(", ", place.keywordLists.keySet())));
        continue;
      }
      for (String k : listed) {
        if (!out.contains(k)) {
          out.add(k);
        }
      }
    }
    return out;
  }

  private static JsonNode object(
      JsonNode parent, String field, String prefix, Set<String> allowed, Place place) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      place.problem(prefix + field, "must be an object with " + String.join(", ",
          allowed.stream().sorted().toList()));
      return null;
    }
    unknownMembers(node, allowed, prefix + field + ".", place);
    return node;
  }

  private static JsonNode list(JsonNode parent, String field, String prefix, Place place) {
    if (parent == null) {
      return null;
    }
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      place.problem(prefix + field, "must be a list [ ... ] (got " + node + ")");
      return null;
    }
    return node;
  }

  private static void unknownMembers(JsonNode node, Set<String> allowed, String prefix, Place place) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String hint = closest(name, allowed);
        place.problem(prefix + name, "is not a known field" + (hint == null ? "."
            : "; did you mean \"" + hint + "\"?") + " Known here: "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static String closest(String name, Set<String> allowed) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : allowed) {
      int d = EditDistance.between(name.toLowerCase(Locale.ROOT),
          candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  private static String requiredText(JsonNode node, String field, String prefix, Place place) {
    return requiredText(node, field, prefix, place, MAX_TEXT);
  }

  private static String requiredText(
      JsonNode node, String field, String prefix, Place place, int maxLength) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      place.problem(prefix + field, "is required");
      return null;
    }
    return checkedText(v, field, prefix, place, maxLength);
  }

  private static String optionalText(JsonNode node, String field, String prefix, Place place) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return checkedText(v, field, prefix, place, MAX_TEXT);
  }

  private static final String NOT_UNICODE =
      "must be valid Unicode text (it holds half of a surrogate pair, such as \\ud800)";

  private static String checkedText(
      JsonNode v, String field, String prefix, Place place, int maxLength) {
    if (!v.isTextual()) {
      place.problem(prefix + field, "must be text in quotes (got " + v + ")");
      return null;
    }
    String s = v.asText();
    if (s.isBlank()) {
      place.problem(prefix + field, "must not be empty");
      return null;
    }
    if (s.length() > maxLength) {
      place.problem(prefix + field, "is too long: at most " + maxLength + " characters");
      return null;
    }
    if (!Unicode.wellFormed(s)) {
      place.problem(prefix + field, NOT_UNICODE);
      return null;
    }
    return s.strip();
  }

  private static <E extends Enum<E>> E requiredEnum(
      JsonNode node, String field, String prefix, Class<E> type, Place place) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      place.problem(prefix + field, "is required: one of " + Enums.choices(type));
      return null;
    }
    return enumValue(v, field, prefix, type, place);
  }

  private static <E extends Enum<E>> E optionalEnum(
      JsonNode node, String field, String prefix, Class<E> type, E defaultValue, Place place) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    return enumValue(v, field, prefix, type, place);
  }

  private static <E extends Enum<E>> E enumValue(
      JsonNode v, String field, String prefix, Class<E> type, Place place) {
    E value = v.isTextual() ? Enums.parse(type, v.asText()) : null;
    if (value == null) {
      place.problem(prefix + field, "must be one of " + Enums.choices(type) + " (got " + v + ")");
    }
    return value;
  }

  private static double optionalNumber(JsonNode node, String field, String prefix,
      double defaultValue, Place place, boolean zeroAllowed) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble())
        || (zeroAllowed ? v.asDouble() < 0 : v.asDouble() <= 0)) {
      place.problem(prefix + field, (zeroAllowed ? "must be a number of 0 or more"
          : "must be a number greater than 0") + " (got " + v + ")");
      return defaultValue;
    }
    return v.asDouble();
  }

  private static boolean optionalBoolean(JsonNode node, String field, String prefix, Place place) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      place.problem(prefix + field, "must be true or false (got " + v + ")");
      return false;
    }
    return v.asBoolean();
  }

  private Instant requiredTime(JsonNode node, String field, Place place) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      place.problem(field, "is required: when the campaign starts, e.g. 2026-11-01T00:00:00+07:00");
      return null;
    }
    return time(v, field, place);
  }

  private Instant optionalTime(JsonNode node, String field, Place place) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return time(v, field, place);
  }

  private Instant time(JsonNode v, String field, Place place) {
    Instant instant = v.isTextual() ? parseTime(v.asText().trim(), zone) : null;
    if (instant == null) {
      place.problem(field, "must be an ISO-8601 date-time such as 2026-11-01T00:00:00+07:00 "
          + "(without an offset it is read in the publisher time zone) (got " + v + ")");
    }
    return instant;
  }

  /** Parses an ISO-8601 time with or without offset, or a bare date (its start), or null. */
  public static Instant parseTime(String text, ZoneId zone) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException ignored) {
      // try the next shape
    }
    try {
      return ZonedDateTime.parse(text).toInstant();
    } catch (DateTimeException ignored) {
      // try the next shape
    }
    try {
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    } catch (DateTimeException ignored) {
      // try the next shape
    }
    try {
      return LocalDate.parse(text).atStartOfDay(zone).toInstant();
    } catch (DateTimeException ignored) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    return node == null ? "" : node.asText();
  }
}
