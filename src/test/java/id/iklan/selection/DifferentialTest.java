package id.iklan.selection;

import static id.iklan.testing.CampaignBuilder.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Pacing;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Tier;
import id.iklan.testing.CampaignBuilder;
import id.iklan.testing.PageBuilder;
import id.iklan.testing.ReferenceSelector;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of the indexed {@link Selector} against the brute-force
 * {@link ReferenceSelector}: thousands of random rule sets and requests, from fixed seeds, must
 * give the same eligible set (in the same rank order) and the same filled page (same campaign and
 * creative per slot under the same seeded generator). Some requests are served rather than only
 * decided, so that later requests of a case see served counts and cap history moved by the
 * selector itself, and the counting is checked too.
 *
 * <p>A failure names the case seed; {@code -Diklan.case=<seed>} reruns that case alone (see
 * {@link #singleCase()}).
 */
class DifferentialTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Jakarta");
  private static final long[] SEEDS = {1L, 42L, 20_261_127L, 0xC0FFEEL, 987_654_321L};
  private static final int CASES_PER_SEED = 1_200;
  private static final int REQUESTS_PER_CASE = 5;
  /** Requests of a case, from this index on, are served (counted) instead of only decided. */
  private static final int FIRST_SERVED_REQUEST = 2;

  private static final AtomicInteger CASES = new AtomicInteger();
  private static final AtomicInteger REQUESTS = new AtomicInteger();
  private static final AtomicInteger FILLED_SLOTS = new AtomicInteger();
  private static final AtomicInteger ELIGIBLE = new AtomicInteger();
  private static final Map<String, Integer> TALLY = new ConcurrentHashMap<>();
  /** What every seed must exercise at least a few times (events of the reference's tally). */
  private static final List<String> COVERAGE = List.of("eligible", "inactive", "flight",
      "section", "keywords", "geo", "device", "schedule", "frequency-cap", "goal-reached",
      "pacing", "campaign-draw", "creative-draw", "roadblock-continues",
      "roadblock-does-not-fit", "roadblock-stopped-by-frequency-cap",
      "roadblock-stopped-by-goal-reached", "roadblock-stopped-by-pacing",
      "excluded-already-on-page", "excluded-same-advertiser",
      "excluded-same-category", "slot-no-fitting-creative");

  // Small vocabularies, so that targeting matches often.
  private static final String[] SECTIONS =
      {"internasional", "nasional", "ekonomi", "olahraga", "otomotif", "tekno"};
  private static final String[] PAGE_SECTIONS_EXTRA = {"Internasional", "EKONOMI", " tekno ",
      "hiburan", "gaya hidup"};
  private static final String[] KEYWORDS = {"rusia", "ukraina", "korea utara", "korea", "utara",
      "pemilu", "banjir", "bencana", "sepak bola", "timnas", "harga minyak", "inflasi",
      "mobil listrik", "ponsel", "jakarta"};
  private static final String[] PAGE_KEYWORDS_EXTRA = {"Korea  Utara", "KOREA UTARA", "kucing",
      "korea selatan", "sepakbola", "Harga Minyak", " rusia "};
  private static final String[] GEO_TARGETS = {"ID", "ID-JB", "ID-JB/Bandung", "ID-JB/bogor",
      "ID-JK", "ID-JK/Jakarta Selatan", "MY", "MY-01", "SG", "id-jb"};
  private static final String[][] LOCATIONS = {
      null, // unknown
      {"ID", null, null},
      {"ID", "JB", null},
      {"ID", "ID-JB", "Bandung"},
      {"ID", "JB", "Bogor"},
      {"ID", "JB", "Cirebon"},
      {"ID", "JK", "Jakarta  Selatan"},
      {"ID", "JK", null},
      {"ID", null, "Bandung"},
      {null, "ID-JB", null},
      {"MY", "01", null},
      {"MY", "MY-01", "Kuala Lumpur"},
      {"SG", null, null},
      {"XYZ", "JB", "Bandung"},
  };
  private static final String[] ADVERTISERS =
      {"Telco", "telco", " TELCO ", "Bank  Samudra", "bank samudra", "Jelajah Raya", "DompetKita"};
  private static final String[] CATEGORIES = {"telecom", "Telecom ", "bank", "otomotif"};
  private static final int[][] SIZES = {{300, 250}, {728, 90}, {970, 250}, {320, 50}, {300, 600}};
  /** Tiers and cpms skewed towards one value each, so that rotation groups are frequent. */
  private static final Tier[] TIERS = {Tier.SPONSORSHIP, Tier.STANDARD, Tier.STANDARD,
      Tier.STANDARD, Tier.REMNANT, Tier.HOUSE};
  private static final double[] CPMS = {0, 500, 1000, 1000, 1000, 2500, 1234.5};
  private static final double[] WEIGHTS = {1, 1, 2, 0.5, 3, 0.25};
  private static final Duration[] WINDOWS =
      {Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(7)};
  private static final String[] USERS = {"u1", "u2", "u3", "u4"};
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();

  static LongStream seeds() {
    return LongStream.of(SEEDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void indexAgreesWithReference(long seed) {
    Random seeds = new Random(seed);
    Map<String, Integer> tally = new TreeMap<>();
    for (int i = 0; i < CASES_PER_SEED; i++) {
      runCase("seed " + seed + ", case " + i, seeds.nextLong(), tally);
    }
    System.out.println("seed " + seed + " covered: " + tally);
    TALLY.putAll(tally);
    for (String event : COVERAGE) {
      assertThat(tally.getOrDefault(event, 0))
          .as("how often the random cases of seed %d exercised %s: %s", seed, event, tally)
          .isGreaterThanOrEqualTo(5);
    }
  }

  /** Reruns one case: {@code -Diklan.case=<case seed>} (printed by a failure). */
  @Test
  void singleCase() {
    String property = System.getProperty("iklan.case");
    Assumptions.assumeTrue(property != null, "set -Diklan.case=<case seed> to rerun one case");
    runCase("case", Long.parseLong(property.trim().replace("L", "")), new TreeMap<>());
  }

  @AfterAll
  static void summary() {
    System.out.printf("DifferentialTest: %d cases (rule sets), %d requests, %d eligible, "
        + "%d filled slots%n", CASES.get(), REQUESTS.get(), ELIGIBLE.get(), FILLED_SLOTS.get());
  }

  @Test
  void enoughCases() {
    assertThat(SEEDS.length * CASES_PER_SEED).isGreaterThanOrEqualTo(5_000);
  }

  // ---- one case ----

  private static void runCase(String name, long caseSeed, Map<String, Integer> tally) {
    Random r = new Random(caseSeed);
    long base = EPOCH.toEpochMilli() + (long) r.nextInt(365) * DAY + r.nextInt((int) DAY);
    InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();
    RuleSet rules = randomRules(r, base, counters);
    CompiledRules compiled = CompiledRules.compile(rules, 1, counters);
    Selector selector = new Selector(ZONE);
    ReferenceSelector reference = new ReferenceSelector(ZONE, tally);
    CASES.incrementAndGet();

    for (int q = 0; q < REQUESTS_PER_CASE; q++) {
      PageRequest request = randomRequest(r);
      Instant now = randomNow(r, base, rules);
      long decisionSeed = r.nextLong();
      boolean serve = q >= FIRST_SERVED_REQUEST;
      // Described before serving, so that a failure shows the counters the decision saw.
      String what = "\n" + name + ", request " + q + (serve ? " (served)" : " (decided)")
          + "; rerun with -Diklan.case=" + caseSeed + "\n"
          + describe(reference, rules, counters, request, now, decisionSeed);

      List<String> expectedEligible =
          reference.eligible(rules, counters, request.page(), now);
      List<String> actualEligible = selector.eligible(request.page(), compiled, now);
      assertThat(Set.copyOf(actualEligible)).as("eligible set%s", what)
          .isEqualTo(Set.copyOf(expectedEligible));
      assertThat(actualEligible).as("eligible rank order%s", what)
          .containsExactlyElementsOf(expectedEligible);
      ELIGIBLE.addAndGet(expectedEligible.size());

      List<String> expected = ids(
          reference.decide(rules, counters, request, now, new Random(decisionSeed)));
      if (!serve) {
        List<String> actual =
            ids(selector.decide(request, compiled, now, new Random(decisionSeed)));
        assertThat(actual).as("filled page (slot=campaign/creative)%s", what)
            .containsExactlyElementsOf(expected);
      } else {
        Map<String, Long> servedBefore = served(rules, counters);
        Map<String, Integer> userBefore = userServes(rules, counters, request.page(), now);
        List<String> actual = ids(
            selector.serve(request, compiled, now, new Random(decisionSeed), false).decision());
        assertThat(actual).as("filled page (slot=campaign/creative)%s", what)
            .containsExactlyElementsOf(expected);
        assertCounted(rules, counters, request.page(), now, expected, servedBefore, userBefore,
            what);
      }
      REQUESTS.incrementAndGet();
      FILLED_SLOTS.addAndGet((int) expected.stream().filter(s -> !s.endsWith("=-")).count());
    }
  }

  /** After a serve, each campaign's served count and capped user history grew by its slots. */
  private static void assertCounted(RuleSet rules, InMemoryDeliveryCounters counters, Page page,
      Instant now, List<String> filled, Map<String, Long> servedBefore,
      Map<String, Integer> userBefore, String what) {
    Map<String, Integer> slotsTaken = new HashMap<>();
    for (String slot : filled) {
      String value = slot.substring(slot.indexOf('=') + 1);
      if (!value.equals("-")) {
        slotsTaken.merge(value.substring(0, value.indexOf('/')), 1, Integer::sum);
      }
    }
    Map<String, Long> expectedServed = new HashMap<>(servedBefore);
    slotsTaken.forEach((id, n) -> expectedServed.merge(id, (long) n, Long::sum));
    assertThat(served(rules, counters)).as("served counts after serve%s", what)
        .isEqualTo(expectedServed);
    Map<String, Integer> expectedUser = new HashMap<>(userBefore);
    for (Campaign c : rules.campaigns()) {
      if (c.frequencyCap() != null && page.userId() != null) {
        expectedUser.merge(c.id(), slotsTaken.getOrDefault(c.id(), 0), Integer::sum);
      }
    }
    assertThat(userServes(rules, counters, page, now)).as("user cap history after serve%s", what)
        .isEqualTo(expectedUser);
  }

  private static Map<String, Long> served(RuleSet rules, InMemoryDeliveryCounters counters) {
    Map<String, Long> out = new HashMap<>();
    for (Campaign c : rules.campaigns()) {
      out.put(c.id(), counters.served(c.id()).get());
    }
    return out;
  }

  private static Map<String, Integer> userServes(
      RuleSet rules, InMemoryDeliveryCounters counters, Page page, Instant now) {
    Map<String, Integer> out = new HashMap<>();
    if (page.userId() == null) {
      return out;
    }
    for (Campaign c : rules.campaigns()) {
      if (c.frequencyCap() != null) {
        long since = now.toEpochMilli() - c.frequencyCap().window().toMillis();
        out.put(c.id(), counters.servedToUser(page.userId(), c.id(), since));
      }
    }
    return out;
  }

  private static List<String> ids(PageDecision decision) {
    List<String> out = new ArrayList<>();
    for (SlotDecision slot : decision.slots()) {
      out.add(slot.slot().id() + "="
          + (slot.filled() ? slot.campaign().id() + "/" + slot.creative().id() : "-"));
    }
    return out;
  }

  // ---- random rules ----

  private static RuleSet randomRules(Random r, long base, InMemoryDeliveryCounters counters) {
    int n = r.nextInt(4) == 0 ? 1 + r.nextInt(60) : 1 + r.nextInt(10);
    List<Campaign> campaigns = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      campaigns.add(randomCampaign(r, "c" + j, base, counters));
    }
    return new RuleSet(campaigns);
  }

  private static Campaign randomCampaign(
      Random r, String id, long base, InMemoryDeliveryCounters counters) {
    CampaignBuilder b = campaign(id);
    if (r.nextInt(2) == 0) {
      b.advertiser(pick(r, ADVERTISERS)); // shared, in varying spellings
    }
    if (r.nextInt(4) == 0) {
      b.category(pick(r, CATEGORIES));
    }
    if (r.nextInt(12) == 0) {
      b.paused();
    }
    b.tier(pick(r, TIERS)).cpm(CPMS[r.nextInt(CPMS.length)])
        .weight(WEIGHTS[r.nextInt(WEIGHTS.length)]);

    // Flight: mostly running through the requests (which fall within base ± 3 days), some not
    // started yet, some ending, some short flights anywhere around base.
    long start;
    Long end;
    int flight = r.nextInt(10);
    if (flight < 7) {
      start = base - 3 * DAY - (long) (r.nextDouble() * 30 * DAY);
      end = r.nextInt(10) < 3 ? null : base + 3 * DAY + (long) (r.nextDouble() * 60 * DAY);
    } else if (flight == 7) {
      start = base + (long) (r.nextDouble() * 7 * DAY) - 3 * DAY;
      end = r.nextBoolean() ? null : start + HOUR + (long) (r.nextDouble() * 30 * DAY);
    } else if (flight == 8) {
      start = base - 3 * DAY - (long) (r.nextDouble() * 30 * DAY);
      end = base + (long) (r.nextDouble() * 7 * DAY) - 3 * DAY;
    } else {
      start = base + (long) (r.nextDouble() * 10 * DAY) - 5 * DAY;
      end = start + HOUR + (long) (r.nextDouble() * 3 * DAY);
    }
    if (end != null && r.nextBoolean()) {
      end = end - Math.floorMod(end - start, 4L * HOUR); // exact quarters for pacing lines
      if (end <= start) {
        end = start + 4 * HOUR;
      }
    }
    b.flight(Instant.ofEpochMilli(start), end == null ? null : Instant.ofEpochMilli(end));

    boolean roadblock = r.nextInt(7) == 0;
    if (roadblock) {
      b.roadblock();
    }
    if (r.nextInt(3) == 0) {
      long goal = new long[] {1, 2, 3, 4, 5, 8, 10, 50, 1000}[r.nextInt(9)];
      boolean even = end != null && r.nextBoolean();
      b.goal(goal, even ? Pacing.EVEN : Pacing.ASAP);
      long served;
      if (even && (roadblock || r.nextBoolean())) {
        // Near the pacing line at `base`, so that pacing is decided by a whisker both ways.
        double share = Math.max(0, Math.min(1, (double) (base - start) / (end - start)));
        served = Math.max(0, Math.round(goal * share) + r.nextInt(3) - 1);
      } else if (even && r.nextBoolean()) {
        served = goal / 4 * (1 + r.nextInt(3)); // on a quarter pacing line
      } else {
        served = r.nextInt((int) Math.min(goal, 20) + 2);
      }
      counters.served(id).add((int) served);
    } else if (r.nextInt(6) == 0) {
      counters.served(id).add(r.nextInt(5)); // counts without a goal change nothing
    }

    if (r.nextInt(4) == 0) {
      Duration window = WINDOWS[r.nextInt(WINDOWS.length)];
      b.cap(1 + r.nextInt(3), window);
      for (String user : USERS) {
        if (r.nextBoolean()) {
          int times = 1 + r.nextInt(3);
          long at = switch (r.nextInt(4)) {
            case 0 -> base - window.toMillis(); // exactly at the edge of the window at base
            case 1 -> base - window.toMillis() - 1; // just outside it
            default -> base - (long) (r.nextDouble() * 2 * window.toMillis());
          };
          counters.recordUserServes(user, id, at, times);
        }
      }
    }

    if (r.nextInt(5) == 0) {
      b.sections(pickSome(r, SECTIONS, 1 + r.nextInt(3)));
    } else if (r.nextInt(10) == 0) {
      b.sections(); // explicitly empty
    }
    if (r.nextInt(7) == 0) {
      b.sectionsExclude(pickSome(r, SECTIONS, 1 + r.nextInt(2)));
    }
    if (r.nextInt(5) == 0) {
      b.keywordsAny(pickSome(r, KEYWORDS, 1 + r.nextInt(3)));
    }
    if (r.nextInt(7) == 0) {
      b.keywordsAll(pickSome(r, KEYWORDS, 1 + r.nextInt(2)));
    }
    if (r.nextInt(7) == 0) {
      b.keywordsNone(pickSome(r, KEYWORDS, 1 + r.nextInt(2)));
    }
    if (r.nextInt(4) == 0) {
      b.geo(pickSome(r, GEO_TARGETS, 1 + r.nextInt(3)));
    }
    if (r.nextInt(7) == 0) {
      b.geoExclude(pickSome(r, GEO_TARGETS, 1 + r.nextInt(2)));
    }
    if (r.nextInt(5) == 0) {
      DeviceType[] devices = DeviceType.values();
      Set<DeviceType> chosen = new LinkedHashSet<>();
      for (int k = 1 + r.nextInt(2); k > 0; k--) {
        chosen.add(devices[r.nextInt(devices.length)]);
      }
      b.devices(chosen.toArray(DeviceType[]::new));
    }
    if (r.nextInt(5) == 0) {
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      if (r.nextBoolean()) {
        for (DayOfWeek d : DayOfWeek.values()) {
          if (r.nextInt(3) > 0) {
            days.add(d);
          }
        }
      }
      Integer from = null;
      Integer to = null;
      if (r.nextInt(5) > 0) {
        from = r.nextInt(24);
        do {
          to = r.nextInt(5) == 0 ? 24 : r.nextInt(24); // start > end wraps past midnight
        } while (to.equals(from));
      }
      b.schedule(days, from, to);
    }

    // Creatives: 1 to 4, display of various sizes and native, various weights.
    int creatives = 1 + (r.nextBoolean() ? 0 : r.nextInt(4));
    for (int k = 0; k < creatives; k++) {
      String creativeId = id + "-k" + k;
      int kind = r.nextInt(5);
      int[] size = SIZES[r.nextInt(SIZES.length)];
      if (kind == 0) {
        b.nativeAd(creativeId);
      } else if (kind == 1) {
        b.html(creativeId, size[0], size[1]);
      } else {
        b.image(creativeId, size[0], size[1], WEIGHTS[r.nextInt(WEIGHTS.length)]);
      }
    }
    return b.build();
  }

  // ---- random times ----

  /**
   * A request time within base ± 3 days; often exactly on a boundary, where off-by-one mistakes
   * show: base itself (cap history is seeded exactly one window before it), a campaign's start,
   * end or last millisecond, an exact fraction of a flight (pacing lines), a whole local hour.
   */
  private static Instant randomNow(Random r, long base, RuleSet rules) {
    long now = base + (long) (r.nextDouble() * 6 * DAY) - 3 * DAY;
    Campaign c = rules.campaigns().get(r.nextInt(rules.campaigns().size()));
    long start = c.start().toEpochMilli();
    switch (r.nextInt(12)) {
      case 0 -> now = base;
      case 1 -> now = start;
      case 2 -> now = start + r.nextInt(3) - 1;
      case 3 -> now = c.end() == null ? start : c.end().toEpochMilli();
      case 4 -> now = c.end() == null ? start : c.end().toEpochMilli() - 1;
      case 5 -> {
        if (c.end() != null) {
          long duration = c.end().toEpochMilli() - start;
          now = start + duration / 4 * (1 + r.nextInt(3)); // exact quarter when duration allows
        }
      }
      case 6 -> now = now - Math.floorMod(now, HOUR); // a whole hour (Jakarta is UTC+7)
      case 7 -> now = now - Math.floorMod(now, HOUR) - 1; // the last millisecond of an hour
      default -> { }
    }
    return Instant.ofEpochMilli(now);
  }

  // ---- random requests ----

  private static PageRequest randomRequest(Random r) {
    int s = r.nextInt(10);
    PageBuilder p = s == 0 ? PageBuilder.pageWithoutSection()
        : s == 1 ? PageBuilder.page(pick(r, PAGE_SECTIONS_EXTRA))
        : PageBuilder.page(pick(r, SECTIONS));

    int keywordCount = r.nextInt(7);
    String[] keywords = new String[keywordCount];
    for (int k = 0; k < keywordCount; k++) {
      keywords[k] = r.nextInt(5) == 0 ? pick(r, PAGE_KEYWORDS_EXTRA) : pick(r, KEYWORDS);
    }
    p.keywords(keywords);
    if (r.nextInt(3) == 0) {
      // Keywords extracted from the article text: rule keywords, sometimes also sent by the page.
      String[] extracted = new String[r.nextInt(4)];
      for (int k = 0; k < extracted.length; k++) {
        extracted[k] = k < keywordCount && r.nextInt(4) == 0 ? keywords[k] : pick(r, KEYWORDS);
      }
      p.extracted(extracted);
    }

    String[] location = LOCATIONS[r.nextInt(LOCATIONS.length)];
    if (location != null) {
      p.geo(location[0], location[1], location[2]);
    }
    if (r.nextInt(4) > 0) {
      p.device(pick(r, DeviceType.values()));
    }
    if (r.nextInt(4) > 0) {
      p.user(pick(r, USERS));
    }

    int slots = 1 + r.nextInt(6);
    for (int i = 0; i < slots; i++) {
      List<id.iklan.rules.Size> sizes = new ArrayList<>();
      int sizeCount = r.nextInt(4);
      for (int k = 0; k < sizeCount; k++) {
        int[] size = SIZES[r.nextInt(SIZES.length)];
        var value = new id.iklan.rules.Size(size[0], size[1]);
        if (!sizes.contains(value)) {
          sizes.add(value);
        }
      }
      boolean acceptsNative = sizes.isEmpty() || r.nextInt(4) == 0;
      p.slot(new Slot("s" + i, sizes, acceptsNative));
    }
    return p.toRequest();
  }

  // ---- helpers ----

  private static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static String[] pickSome(Random r, String[] values, int count) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = pick(r, values);
    }
    return out;
  }

  /** Enough of a case to read it, and with the case seed to rerun it. */
  private static String describe(ReferenceSelector reference, RuleSet rules,
      InMemoryDeliveryCounters counters, PageRequest request, Instant now, long decisionSeed) {
    StringBuilder out = new StringBuilder();
    out.append("now=").append(now).append(" (").append(now.atZone(ZONE).getDayOfWeek())
        .append(' ').append(now.atZone(ZONE).toLocalTime()).append(" local)")
        .append(", decision seed=").append(decisionSeed).append('\n');
    Page page = request.page();
    out.append("page: section=").append(page.section()).append(", keywords=")
        .append(page.keywords()).append(", extracted=").append(page.extracted().keywords())
        .append(", location=").append(page.location().keys())
        .append(", device=").append(page.device()).append(", user=").append(page.userId())
        .append('\n');
    for (Slot slot : request.slots()) {
      out.append("  slot ").append(slot.id()).append(' ').append(slot.sizes())
          .append(slot.acceptsNative() ? " +native" : "").append('\n');
    }
    out.append("rank order (reference verdict first):\n");
    for (Campaign c : ReferenceSelector.inRankOrder(rules)) {
      String verdict = reference.pageFailure(c, page, now);
      if (verdict == null) {
        verdict = reference.deliveryFailure(c, counters, page.userId(), now, 0);
      }
      out.append("  [").append(verdict == null ? "eligible" : verdict).append("] ")
          .append(c.id()).append(' ').append(c.status()).append(' ')
          .append(c.tier()).append(" cpm=").append(c.cpm()).append(" w=").append(c.weight())
          .append(" adv=").append(c.advertiser()).append(" cat=").append(c.category())
          .append(" flight=").append(c.start()).append("..").append(c.end())
          .append(" goal=").append(c.goal()).append(" served=")
          .append(counters.served(c.id()).get()).append(" cap=").append(c.frequencyCap());
      if (c.frequencyCap() != null && page.userId() != null) {
        long since = now.toEpochMilli() - c.frequencyCap().window().toMillis();
        out.append(" userServes=").append(counters.servedToUser(page.userId(), c.id(), since));
      }
      out.append(c.roadblock() ? " ROADBLOCK" : "").append('\n');
      out.append("    targeting=").append(c.targeting()).append('\n');
      out.append("    creatives=");
      for (var creative : c.creatives()) {
        out.append(creative.id()).append(':')
            .append(creative.format().isDisplay() ? creative.size() : "native")
            .append(" w=").append(creative.weight()).append("; ");
      }
      out.append('\n');
    }
    return out.toString();
  }
}
