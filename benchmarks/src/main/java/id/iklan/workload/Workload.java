package id.iklan.workload;

import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Format;
import id.iklan.rules.FrequencyCap;
import id.iklan.rules.Geo;
import id.iklan.rules.Goal;
import id.iklan.rules.Pacing;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Schedule;
import id.iklan.rules.Size;
import id.iklan.rules.Status;
import id.iklan.rules.Targeting;
import id.iklan.rules.Tier;
import id.iklan.selection.Location;
import id.iklan.selection.Page;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Slot;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic model of a large Indonesian news publisher, shared by every benchmark:
 * its campaigns and its stream of ad requests. The same seed and parameters always give the same
 * rules and requests. Parameters and proportions are documented in {@code benchmarks/README.md}.
 */
public final class Workload {
  /** When the benchmarks run, as far as flights and pacing are concerned: a Wednesday, 10:00 WIB. */
  public static final Instant NOW = Instant.parse("2026-11-18T03:00:00Z");

  static final String[] SECTIONS = {"nasional", "internasional", "ekonomi", "bisnis", "olahraga",
      "sepak bola", "otomotif", "teknologi", "hiburan", "gaya hidup", "kesehatan", "pendidikan",
      "politik", "hukum", "megapolitan", "daerah", "travel", "kuliner", "sains", "opini"};
  /** The 38 provinces of Indonesia (ISO 3166-2 subdivision codes). */
  static final String[] PROVINCES = {"AC", "SU", "SB", "RI", "JA", "SS", "BE", "LA", "BB", "KR",
      "JK", "JB", "JT", "YO", "JI", "BT", "BA", "NB", "NT", "KB", "KT", "KS", "KI", "KU", "SA",
      "ST", "SN", "SG", "GO", "SR", "MA", "MU", "PA", "PB", "PT", "PS", "PE", "PD"};
  /** Share of readers per province, roughly by population (Java first). */
  static final double[] PROVINCE_WEIGHTS = {2, 5.5, 2, 2.5, 1.3, 3.2, 0.7, 3.3, 0.5, 0.8,
      11, 18, 13.5, 1.5, 15, 4.5, 1.6, 2, 2, 2, 1, 1.5, 1.5, 0.3, 0.9, 1.1, 3.4, 1, 0.4, 0.5,
      0.7, 0.5, 0.5, 0.2, 0.5, 0.2, 0.5, 0.2};
  static final String[] BRAND_SAFETY = {"bencana", "kecelakaan", "korban jiwa", "perang",
      "pembunuhan", "banjir", "gempa", "terorisme", "narkoba", "kebakaran", "tsunami",
      "penculikan", "bom", "kerusuhan", "longsor", "wabah", "korupsi", "bunuh diri",
      "pemerkosaan", "tawuran"};
  static final Size[] DISPLAY_SIZES = {new Size(300, 250), new Size(728, 90),
      new Size(970, 250), new Size(320, 50), new Size(300, 600), new Size(336, 280)};
  static final double[] DISPLAY_SIZE_WEIGHTS = {40, 20, 8, 15, 10, 7};

  private final Parameters parameters;
  private final List<String> vocabulary;
  private final List<String> cities;
  private final int[] cityProvince;
  private final Zipf keywordZipf;
  private final Zipf sectionZipf;

  /**
   * @param seed everything derives from it
   * @param keywords size of the keyword vocabulary
   * @param citiesPerProvince cities generated per province (a few hundred in all)
   */
  public record Parameters(long seed, int keywords, int citiesPerProvince, int articles,
      double keywordZipfS, double articleZipfS) {
    public static Parameters defaults(long seed) {
      return new Parameters(seed, 50_000, 8, 100_000, 1.05, 1.1);
    }
  }

  public Workload(Parameters parameters) {
    this.parameters = parameters;
    SplittableRandom random = new SplittableRandom(parameters.seed());
    this.vocabulary = Vocabulary.words(parameters.keywords(), random.split());
    this.cities = new ArrayList<>();
    this.cityProvince = new int[PROVINCES.length * parameters.citiesPerProvince()];
    SplittableRandom cityRandom = random.split();
    for (int p = 0; p < PROVINCES.length; p++) {
      for (int c = 0; c < parameters.citiesPerProvince(); c++) {
        cityProvince[cities.size()] = p;
        cities.add(Vocabulary.cityName(cityRandom));
      }
    }
    this.keywordZipf = new Zipf(vocabulary.size(), parameters.keywordZipfS());
    this.sectionZipf = new Zipf(SECTIONS.length, 0.9);
  }

  public static Workload standard(long seed) {
    return new Workload(Parameters.defaults(seed));
  }

  public List<String> vocabulary() {
    return vocabulary;
  }

  // ---- campaigns ----

  /**
   * {@code count} campaigns in a realistic mix (see benchmarks/README.md): what they target,
   * their tiers and prices (rounded, so equal tier and price rotate), caps, goals, schedules and
   * creatives. Campaign ids are {@code c0..c(count-1)}; about one advertiser per five campaigns.
   */
  public RuleSet campaigns(int count) {
    SplittableRandom random = new SplittableRandom(parameters.seed() * 31 + count);
    List<Campaign> campaigns = new ArrayList<>(count);
    int advertisers = Math.max(1, count / 5);
    for (int i = 0; i < count; i++) {
      campaigns.add(campaign(i, advertisers, random));
    }
    return new RuleSet(campaigns);
  }

  private Campaign campaign(int i, int advertisers, SplittableRandom random) {
    String id = "c" + i;
    Tier tier = pick(random, new Tier[] {Tier.SPONSORSHIP, Tier.STANDARD, Tier.REMNANT, Tier.HOUSE},
        new double[] {5, 50, 30, 15});
    double cpm = switch (tier) {
      case SPONSORSHIP -> 60_000 + 500 * random.nextInt(121);
      case STANDARD -> 15_000 + 500 * random.nextInt(101);
      case REMNANT -> 2_000 + 500 * random.nextInt(27);
      case HOUSE -> 0;
    };
    List<String> sectionsInclude = new ArrayList<>();
    List<String> sectionsExclude = new ArrayList<>();
    List<String> any = new ArrayList<>();
    List<String> all = new ArrayList<>();
    List<String> none = new ArrayList<>();
    List<String> geoInclude = new ArrayList<>();
    List<String> geoExclude = new ArrayList<>();
    Set<DeviceType> devices = EnumSet.noneOf(DeviceType.class);
    double kind = random.nextDouble() * 100;
    if (kind < 5 || tier == Tier.HOUSE && kind < 50) {
      // run of site
    } else if (kind < 40) {
      addSections(sectionsInclude, 1 + random.nextInt(3), random);
    } else if (kind < 70) {
      int n = 1 + random.nextInt(10);
      for (int k = 0; k < n; k++) {
        any.add(keyword(random));
      }
      if (random.nextDouble() < 0.15) {
        all.add(keyword(random));
      }
      if (random.nextDouble() < 0.3) {
        addSections(sectionsInclude, 1 + random.nextInt(2), random);
      }
    } else if (kind < 85) {
      int n = 1 + random.nextInt(4);
      for (int g = 0; g < n; g++) {
        geoInclude.add(geoTarget(random));
      }
      if (random.nextDouble() < 0.5) {
        addSections(sectionsInclude, 1 + random.nextInt(3), random);
      }
    } else if (kind < 95) {
      devices.add(pick(random, DeviceType.values(), new double[] {30, 60, 10}));
      addSections(sectionsInclude, 1 + random.nextInt(3), random);
    } else {
      addSections(sectionsInclude, 1 + random.nextInt(2), random);
      any.add(keyword(random));
      geoInclude.add("ID-" + PROVINCES[weightedProvince(random)]);
      devices.add(DeviceType.MOBILE);
    }
    if (random.nextDouble() < 0.2) {
      if (random.nextBoolean()) {
        addSections(sectionsExclude, 1, random);
        sectionsExclude.removeAll(sectionsInclude);
      } else {
        geoExclude.add("ID-" + PROVINCES[32 + random.nextInt(6)]);
      }
    }
    if (random.nextDouble() < 0.25) {
      int n = 3 + random.nextInt(8);
      for (int k = 0; k < n; k++) {
        String word = BRAND_SAFETY[random.nextInt(BRAND_SAFETY.length)];
        if (!none.contains(word)) {
          none.add(word);
        }
      }
    }
    Schedule schedule = null;
    if (random.nextDouble() < 0.1) {
      Set<DayOfWeek> days = random.nextBoolean() ? EnumSet.range(DayOfWeek.MONDAY,
          DayOfWeek.FRIDAY) : EnumSet.noneOf(DayOfWeek.class);
      int start = 5 + random.nextInt(6);
      schedule = new Schedule(days, true, start, Math.min(24, start + 8 + random.nextInt(8)));
    }
    Instant start = NOW.minus(Duration.ofDays(1 + random.nextInt(60)));
    Instant end = random.nextDouble() < 0.7 ? NOW.plus(Duration.ofDays(1 + random.nextInt(60)))
        : null;
    Goal goal = null;
    if (tier != Tier.HOUSE && random.nextDouble() < 0.3) {
      Pacing pacing = end != null && random.nextBoolean() ? Pacing.EVEN : Pacing.ASAP;
      goal = new Goal(10_000 + 1_000L * random.nextInt(1_000), pacing);
    }
    FrequencyCap cap = tier != Tier.HOUSE && random.nextDouble() < 0.2
        ? new FrequencyCap(1 + random.nextInt(5), Duration.ofHours(24)) : null;
    List<Creative> creatives = new ArrayList<>();
    int creativeCount = 1 + random.nextInt(3);
    Set<Integer> sizesUsed = new LinkedHashSet<>();
    for (int k = 0; k < creativeCount; k++) {
      String creativeId = id + "-" + k;
      if (random.nextDouble() < 0.15) {
        creatives.add(new Creative(creativeId, Format.NATIVE, null,
            "https://cdn.iklan.example/" + creativeId + ".jpg", null, null,
            "Penawaran " + id, "Promo menarik minggu ini", "Pengiklan " + i % advertisers,
            "https://pengiklan.example/" + id, 1));
      } else {
        int s = pickIndex(random, DISPLAY_SIZE_WEIGHTS);
        if (!sizesUsed.add(s)) {
          continue;
        }
        creatives.add(new Creative(creativeId, Format.IMAGE, DISPLAY_SIZES[s],
            "https://cdn.iklan.example/" + creativeId + ".png", "Iklan " + id, null, null, null,
            null, "https://pengiklan.example/" + id, 1 + random.nextInt(3)));
      }
    }
    String advertiser = "Pengiklan " + random.nextInt(advertisers);
    String category = random.nextDouble() < 0.15
        ? new String[] {"telekomunikasi", "perbankan", "otomotif", "e-commerce"}[random.nextInt(4)]
        : null;
    boolean roadblock = tier == Tier.SPONSORSHIP && random.nextDouble() < 0.2;
    return new Campaign(id, advertiser, category, Status.ACTIVE, tier, cpm, "IDR",
        1 + random.nextInt(3), start, end, goal, cap, roadblock,
        new Targeting(sectionsInclude, sectionsExclude, dedupe(any), dedupe(all), none,
            dedupe(geoInclude), geoExclude, devices, schedule), creatives);
  }

  private void addSections(List<String> into, int n, SplittableRandom random) {
    for (int k = 0; k < n; k++) {
      String s = SECTIONS[sectionZipf.next(random)];
      if (!into.contains(s)) {
        into.add(s);
      }
    }
  }

  private String keyword(SplittableRandom random) {
    return vocabulary.get(keywordZipf.next(random));
  }

  private String geoTarget(SplittableRandom random) {
    double r = random.nextDouble();
    if (r < 0.1) {
      return "ID";
    }
    int province = weightedProvince(random);
    if (r < 0.7) {
      return "ID-" + PROVINCES[province];
    }
    int city = province * parameters.citiesPerProvince()
        + random.nextInt(parameters.citiesPerProvince());
    // Rules hold canonical geo keys (see Targeting): the city part is normalised, "ID-JB/bandung".
    return Geo.canonicalTarget("ID-" + PROVINCES[province] + "/" + cities.get(city));
  }

  private int weightedProvince(SplittableRandom random) {
    return pickIndex(random, PROVINCE_WEIGHTS);
  }

  // ---- requests ----

  /**
   * {@code count} ad requests: articles drawn with Zipf popularity, each with its own section and
   * 5–15 keywords, a page template of 3–6 slots, and the reader's location, device and user id.
   */
  public PageRequest[] requests(int count) {
    SplittableRandom random = new SplittableRandom(parameters.seed() * 17 + count);
    Zipf articleZipf = new Zipf(parameters.articles(), parameters.articleZipfS());
    PageRequest[] out = new PageRequest[count];
    for (int i = 0; i < count; i++) {
      int article = articleZipf.next(random);
      out[i] = request(article, random);
    }
    return out;
  }

  private PageRequest request(int article, SplittableRandom random) {
    SplittableRandom articleRandom = new SplittableRandom(parameters.seed() ^ (article * 0x9E3779B97F4A7C15L));
    String section = SECTIONS[sectionZipf.next(articleRandom)];
    int keywordCount = 5 + articleRandom.nextInt(11);
    Set<String> keywords = new LinkedHashSet<>();
    for (int k = 0; k < keywordCount; k++) {
      keywords.add(keyword(articleRandom));
    }
    if (articleRandom.nextDouble() < 0.1) {
      keywords.add(BRAND_SAFETY[articleRandom.nextInt(BRAND_SAFETY.length)]);
    }
    String url = "https://berita.example.id/" + section.replace(' ', '-') + "/" + article;
    DeviceType device = pick(random, DeviceType.values(), new double[] {30, 65, 5});
    Location location = location(random);
    String user = random.nextDouble() < 0.7 ? "u" + random.nextInt(1_000_000) : null;
    Page page = new Page(url, section, List.copyOf(keywords), location, device, user);
    return new PageRequest(page, template(device, random));
  }

  private Location location(SplittableRandom random) {
    double r = random.nextDouble();
    if (r < 0.05) {
      return Location.UNKNOWN;
    }
    if (r < 0.10) {
      return Location.of(new String[] {"MY", "SG", "US", "AU"}[random.nextInt(4)], null, null);
    }
    int province = weightedProvince(random);
    String city = random.nextDouble() < 0.6 ? cities.get(province
        * parameters.citiesPerProvince() + random.nextInt(parameters.citiesPerProvince())) : null;
    return Location.of("ID", "ID-" + PROVINCES[province], city);
  }

  private static List<Slot> template(DeviceType device, SplittableRandom random) {
    List<Slot> slots = new ArrayList<>();
    if (device == DeviceType.MOBILE) {
      slots.add(new Slot("top", List.of(new Size(320, 50), new Size(300, 250)), false));
      slots.add(new Slot("mid-1", List.of(new Size(300, 250), new Size(336, 280)), false));
    } else {
      slots.add(new Slot("top", List.of(new Size(728, 90), new Size(970, 250)), false));
      slots.add(new Slot("mid-1", List.of(new Size(300, 250)), false));
      slots.add(new Slot("sidebar", List.of(new Size(300, 600), new Size(300, 250)), false));
    }
    slots.add(new Slot("read-next", List.of(), true));
    int extra = random.nextInt(device == DeviceType.MOBILE ? 3 : 2);
    for (int i = 0; i < extra; i++) {
      slots.add(new Slot("mid-" + (i + 2), List.of(new Size(300, 250)), false));
    }
    return slots;
  }

  // ---- helpers ----

  private static List<String> dedupe(List<String> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }

  private static <T> T pick(SplittableRandom random, T[] values, double[] weights) {
    return values[pickIndex(random, weights)];
  }

  private static int pickIndex(SplittableRandom random, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
