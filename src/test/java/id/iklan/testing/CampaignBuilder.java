package id.iklan.testing;

import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Format;
import id.iklan.rules.FrequencyCap;
import id.iklan.rules.Geo;
import id.iklan.rules.Goal;
import id.iklan.rules.Keywords;
import id.iklan.rules.Pacing;
import id.iklan.rules.Schedule;
import id.iklan.rules.Size;
import id.iklan.rules.Status;
import id.iklan.rules.Targeting;
import id.iklan.rules.Tier;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds campaigns for tests with sensible defaults: active, standard tier, cpm 1000, running
 * since 2026-01-01 without end, untargeted, one 300x250 image creative named after the campaign.
 */
public final class CampaignBuilder {
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final String id;
  private String advertiser;
  private String category;
  private Status status = Status.ACTIVE;
  private Tier tier = Tier.STANDARD;
  private double cpm = 1000;
  private double weight = 1;
  private Instant start = DEFAULT_START;
  private Instant end;
  private Goal goal;
  private FrequencyCap cap;
  private boolean roadblock;
  private List<String> sectionsInclude = List.of();
  private List<String> sectionsExclude = List.of();
  private List<String> any = List.of();
  private List<String> all = List.of();
  private List<String> none = List.of();
  private List<String> geoInclude = List.of();
  private List<String> geoExclude = List.of();
  private Set<DeviceType> devices = Set.of();
  private Schedule schedule;
  private final List<Creative> creatives = new ArrayList<>();

  private CampaignBuilder(String id) {
    this.id = id;
    this.advertiser = "adv-" + id;
  }

  public static CampaignBuilder campaign(String id) {
    return new CampaignBuilder(id);
  }

  public CampaignBuilder advertiser(String value) {
    advertiser = value;
    return this;
  }

  public CampaignBuilder category(String value) {
    category = value == null ? null : Keywords.normalize(value);
    return this;
  }

  public CampaignBuilder paused() {
    status = Status.PAUSED;
    return this;
  }

  public CampaignBuilder tier(Tier value) {
    tier = value;
    return this;
  }

  public CampaignBuilder cpm(double value) {
    cpm = value;
    return this;
  }

  public CampaignBuilder weight(double value) {
    weight = value;
    return this;
  }

  public CampaignBuilder flight(Instant from, Instant to) {
    start = from;
    end = to;
    return this;
  }

  public CampaignBuilder goal(long impressions, Pacing pacing) {
    goal = new Goal(impressions, pacing);
    return this;
  }

  public CampaignBuilder cap(int count, Duration window) {
    cap = new FrequencyCap(count, window);
    return this;
  }

  public CampaignBuilder roadblock() {
    roadblock = true;
    return this;
  }

  public CampaignBuilder sections(String... include) {
    sectionsInclude = normalized(include);
    return this;
  }

  public CampaignBuilder sectionsExclude(String... exclude) {
    sectionsExclude = normalized(exclude);
    return this;
  }

  public CampaignBuilder keywordsAny(String... values) {
    any = normalized(values);
    return this;
  }

  public CampaignBuilder keywordsAll(String... values) {
    all = normalized(values);
    return this;
  }

  public CampaignBuilder keywordsNone(String... values) {
    none = normalized(values);
    return this;
  }

  public CampaignBuilder geo(String... include) {
    geoInclude = geoTargets(include);
    return this;
  }

  public CampaignBuilder geoExclude(String... exclude) {
    geoExclude = geoTargets(exclude);
    return this;
  }

  public CampaignBuilder devices(DeviceType... values) {
    devices = values.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(values));
    return this;
  }

  public CampaignBuilder schedule(Set<DayOfWeek> days, Integer startHour, Integer endHour) {
    schedule = new Schedule(days, startHour != null, startHour == null ? 0 : startHour,
        endHour == null ? 0 : endHour);
    return this;
  }

  /** Adds an image creative of the given size; the first call replaces the default creative. */
  public CampaignBuilder image(String creativeId, int width, int height) {
    return image(creativeId, width, height, 1);
  }

  public CampaignBuilder image(String creativeId, int width, int height, double creativeWeight) {
    creatives.add(new Creative(creativeId, Format.IMAGE, new Size(width, height),
        "https://cdn.example/" + creativeId + ".png", null, null, null, null, null,
        "https://advertiser.example/" + creativeId, creativeWeight));
    return this;
  }

  public CampaignBuilder html(String creativeId, int width, int height) {
    creatives.add(new Creative(creativeId, Format.HTML, new Size(width, height),
        null, null, "<b>" + creativeId + "</b>", null, null, null,
        "https://advertiser.example/" + creativeId, 1));
    return this;
  }

  public CampaignBuilder nativeAd(String creativeId) {
    creatives.add(new Creative(creativeId, Format.NATIVE, null,
        "https://cdn.example/" + creativeId + ".jpg", null, null, "Judul " + creativeId,
        "Isi " + creativeId, advertiser, "https://advertiser.example/" + creativeId, 1));
    return this;
  }

  public Campaign build() {
    List<Creative> list = creatives.isEmpty()
        ? List.of(new Creative(id + "-cr", Format.IMAGE, new Size(300, 250),
            "https://cdn.example/" + id + ".png", null, null, null, null, null,
            "https://advertiser.example/" + id, 1))
        : creatives;
    return new Campaign(id, advertiser, category, status, tier, cpm, "IDR", weight, start, end,
        goal, cap, roadblock, new Targeting(sectionsInclude, sectionsExclude, any, all, none,
            geoInclude, geoExclude, devices, schedule), list);
  }

  private static List<String> normalized(String... values) {
    return Arrays.stream(values).map(Keywords::normalize).distinct().toList();
  }

  private static List<String> geoTargets(String... values) {
    return Arrays.stream(values).map(v -> {
      String key = Geo.canonicalTarget(v);
      if (key == null) {
        throw new IllegalArgumentException("bad geo target in test: " + v);
      }
      return key;
    }).distinct().toList();
  }
}
