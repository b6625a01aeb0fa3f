package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import id.iklan.context.Analyzers;
import id.iklan.context.KeywordMatcher;
import id.iklan.delivery.DeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Keywords;
import id.iklan.rules.RuleSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, compiled rule set: the snapshot that requests read from start to end.
 *
 * <h2>The index</h2>
 * In the spirit of the k-index (Whang et al., "Indexing Boolean Expressions", VLDB 2009), each
 * campaign is a conjunction of targeting dimensions, and the index must hand a request only the
 * campaigns that can match it, never a scan of all campaigns. Every active campaign is filed under
 * exactly one <em>anchor</em>: one of its positive dimensions that any matching page must hit.
 * <ul>
 *   <li>{@code keywords.any}: filed under each of its keywords (a matching page has one of them);
 *   <li>{@code keywords.all}: under one of them, the rarest (a matching page has all of them);
 *   <li>{@code sections.include}, {@code geo.include}, {@code devices}: under each value;
 *   <li>no positive dimension: on the untargeted list, a candidate for every page.
 * </ul>
 * Among its dimensions a campaign is filed under the one whose posting lists are shortest
 * (summed over the values it would be filed under), so a broad {@code geo: ID} does not drag a
 * keyword-targeted campaign into every request. A request gathers the posting lists of its own
 * section, keywords, location keys and device plus the untargeted list, and fully checks each
 * candidate once (a stamp array dedupes campaigns reached through several keywords). Exclusions,
 * {@code keywords.none}, schedule and delivery limits are checked on the candidates only; they
 * can only remove campaigns, never add them.
 *
 * <h2>Rank order and early termination</h2>
 * Posting lists hold campaigns by <em>rank</em> (tier, then cpm, then rule order), ascending. A
 * request merges its lists in windows of ranks, best first, and stops as soon as every slot is
 * decided: a page on a busy section with thousands of eligible campaigns looks at the few dozen
 * best of them. Windows end on tie-group boundaries ({@link #groupEnd}), so a group of equal
 * tier and cpm is always seen whole and the weighted rotation is the same as over the full set.
 *
 * <p>Strings become dense int ids at compile time, so the per-request work is a handful of hash
 * look-ups for the page's own values followed by int comparisons.
 *
 * <h2>Keywords from article text</h2>
 * The keyword dictionary is also the vocabulary of a {@link KeywordMatcher}, compiled here with
 * the index, so that a request matches its article against exactly the keywords of the rule
 * version it selects with. What the matcher finds are dictionary keys, stamped like the page's
 * own keywords.
 */
public final class CompiledRules {
  /** Rank order: strongest tier first, then highest cpm, then rule order. */
  private static final Comparator<CompiledCampaign> RANK_ORDER = Comparator
      .<CompiledCampaign>comparingInt(c -> c.source.tier().ordinal())
      .thenComparing(c -> c.source.cpm(), Comparator.reverseOrder())
      .thenComparingInt(c -> c.index);

  final long version;
  final RuleSet ruleSet;
  final DeliveryCounters counters;
  final CompiledCampaign[] campaigns;
  final CompiledCampaign[] byRank;
  final StringIds sectionIds;
  final StringIds keywordIds;
  final StringIds geoIds;
  final int[][] sectionPostings;
  final int[][] keywordPostings;
  final int[][] geoPostings;
  final int[][] devicePostings;
  final int[] untargeted;
  /** For each rank, the first rank after its tie group: windows of candidates end there. */
  final int[] groupEnd;
  /** Finds this version's keywords in article text. */
  final KeywordMatcher keywordMatcher;

  private CompiledRules(long version, RuleSet ruleSet, DeliveryCounters counters,
      CompiledCampaign[] campaigns, CompiledCampaign[] byRank, StringIds sectionIds,
      StringIds keywordIds, StringIds geoIds, int[][] sectionPostings,
      int[][] keywordPostings, int[][] geoPostings, int[][] devicePostings, int[] untargeted,
      KeywordMatcher keywordMatcher) {
    this.version = version;
    this.ruleSet = ruleSet;
    this.counters = counters;
    this.campaigns = campaigns;
    this.byRank = byRank;
    this.sectionIds = sectionIds;
    this.keywordIds = keywordIds;
    this.geoIds = geoIds;
    this.sectionPostings = sectionPostings;
    this.keywordPostings = keywordPostings;
    this.geoPostings = geoPostings;
    this.devicePostings = devicePostings;
    this.untargeted = untargeted;
    this.keywordMatcher = keywordMatcher;
    this.groupEnd = new int[byRank.length];
    for (int r = byRank.length - 1; r >= 0; r--) {
      boolean lastOfGroup = r == byRank.length - 1 || byRank[r + 1].group != byRank[r].group;
      groupEnd[r] = lastOfGroup ? r + 1 : groupEnd[r + 1];
    }
  }

  /** Orders campaigns by rank and gives each its rank and tie group. */
  private static CompiledCampaign[] rank(CompiledCampaign[] campaigns) {
    CompiledCampaign[] byRank = campaigns.clone();
    Arrays.sort(byRank, RANK_ORDER);
    for (int r = 0; r < byRank.length; r++) {
      CompiledCampaign c = byRank[r];
      c.rank = r;
      CompiledCampaign previous = r == 0 ? null : byRank[r - 1];
      boolean tied = previous != null && previous.source.tier() == c.source.tier()
          && Double.compare(previous.source.cpm(), c.source.cpm()) == 0;
      c.group = tied ? previous.group : r;
    }
    return byRank;
  }

  /**
   * Compiles a rule set. Served counters are resolved here, once per campaign id, so the hot path
   * reads a field; they belong to the id and so carry over from version to version.
   */
  public static CompiledRules compile(RuleSet ruleSet, long version, DeliveryCounters counters) {
    requireNonNull(ruleSet, "ruleSet");
    requireNonNull(counters, "counters");
    Dictionary sections = new Dictionary();
    Dictionary keywords = new Dictionary();
    Dictionary geo = new Dictionary();
    Dictionary advertisers = new Dictionary();
    Dictionary categories = new Dictionary();
    List<Campaign> source = ruleSet.campaigns();
    CompiledCampaign[] campaigns = new CompiledCampaign[source.size()];
    for (int i = 0; i < campaigns.length; i++) {
      Campaign c = source.get(i);
      var t = c.targeting();
      campaigns[i] = new CompiledCampaign(c, i,
          sections.ids(t.sectionsInclude()), sections.ids(t.sectionsExclude()),
          keywords.ids(t.keywordsAny()), keywords.ids(t.keywordsAll()),
          keywords.ids(t.keywordsNone()),
          geo.ids(t.geoInclude()), geo.ids(t.geoExclude()),
          advertisers.id(Keywords.normalize(c.advertiser())),
          c.category() == null ? -1 : categories.id(c.category()),
          counters.served(c.id()));
    }

    CompiledCampaign[] byRank = rank(campaigns);

    int[] sectionDf = new int[sections.size()];
    int[] keywordDf = new int[keywords.size()];
    int[] geoDf = new int[geo.size()];
    int[] deviceDf = new int[DeviceType.values().length];
    for (CompiledCampaign c : campaigns) {
      if (!c.active) {
        continue;
      }
      count(sectionDf, c.sectionsInclude);
      count(keywordDf, c.keywordsAny);
      count(keywordDf, c.keywordsAll);
      count(geoDf, c.geoInclude);
      for (int d = 0; d < deviceDf.length; d++) {
        if ((c.deviceMask & (1 << d)) != 0) {
          deviceDf[d]++;
        }
      }
    }

    Postings sectionPostings = new Postings(sections.size());
    Postings keywordPostings = new Postings(keywords.size());
    Postings geoPostings = new Postings(geo.size());
    Postings devicePostings = new Postings(deviceDf.length);
    IntList untargeted = new IntList();
    for (CompiledCampaign c : campaigns) {
      if (!c.active) {
        continue;
      }
      Anchor best = null;
      best = cheaper(best, Anchor.each(keywordPostings, c.keywordsAny, keywordDf));
      best = cheaper(best, Anchor.rarest(keywordPostings, c.keywordsAll, keywordDf));
      best = cheaper(best, Anchor.each(sectionPostings, c.sectionsInclude, sectionDf));
      best = cheaper(best, Anchor.each(geoPostings, c.geoInclude, geoDf));
      best = cheaper(best, Anchor.each(devicePostings, deviceIds(c.deviceMask), deviceDf));
      if (best == null) {
        untargeted.add(c.rank);
      } else {
        for (int value : best.values) {
          best.postings.add(value, c.rank);
        }
      }
    }
    return new CompiledRules(version, ruleSet, counters, campaigns, byRank,
        sections.freeze(), keywords.freeze(), geo.freeze(),
        sectionPostings.freeze(), keywordPostings.freeze(), geoPostings.freeze(),
        devicePostings.freeze(), untargeted.toSortedArray(),
        KeywordMatcher.compile(keywords.inOrder(), Analyzers.shared()));
  }

  /** Finds the keywords of this rule version in article text (see the class comment). */
  public KeywordMatcher keywordMatcher() {
    return keywordMatcher;
  }

  /** The rule set this was compiled from. */
  public RuleSet ruleSet() {
    return ruleSet;
  }

  /** The rule version this was compiled from. */
  public long version() {
    return version;
  }

  /** Number of campaigns, active or not. */
  public int size() {
    return campaigns.length;
  }

  /** Summary of the index, for logs and benchmarks: how campaigns were filed. */
  public String describeIndex() {
    return String.format("%d campaigns; anchors: %d untargeted, %d section, %d keyword, %d geo, "
            + "%d device postings", campaigns.length, untargeted.length,
        total(sectionPostings), total(keywordPostings), total(geoPostings),
        total(devicePostings));
  }

  private static int total(int[][] postings) {
    int n = 0;
    for (int[] p : postings) {
      n += p.length;
    }
    return n;
  }

  private static void count(int[] df, int[] values) {
    for (int v : values) {
      df[v]++;
    }
  }

  private static int[] deviceIds(int mask) {
    int[] ids = new int[Integer.bitCount(mask)];
    int n = 0;
    for (int d = 0; d < DeviceType.values().length; d++) {
      if ((mask & (1 << d)) != 0) {
        ids[n++] = d;
      }
    }
    return ids;
  }

  private static Anchor cheaper(Anchor best, Anchor candidate) {
    if (candidate == null) {
      return best;
    }
    return best == null || candidate.cost < best.cost ? candidate : best;
  }

  /** One way of filing a campaign: which posting lists, under which values, at what cost. */
  private record Anchor(Postings postings, int[] values, long cost) {
    static Anchor each(Postings postings, int[] values, int[] df) {
      if (values.length == 0) {
        return null;
      }
      long cost = 0;
      for (int v : values) {
        cost += df[v];
      }
      return new Anchor(postings, values, cost);
    }

    static Anchor rarest(Postings postings, int[] values, int[] df) {
      if (values.length == 0) {
        return null;
      }
      int rarest = values[0];
      for (int v : values) {
        if (df[v] < df[rarest]) {
          rarest = v;
        }
      }
      return new Anchor(postings, new int[] {rarest}, df[rarest]);
    }
  }

  /** Interns strings into dense ids. */
  private static final class Dictionary {
    /**
     * Every campaign's empty targeting list. Most of a campaign's seven lists are empty, and
     * matching reads each one's length: shared, they are one cache line for all campaigns
     * instead of several per candidate.
     */
    private static final int[] NONE = new int[0];

    private final Map<String, Integer> ids = new HashMap<>();

    int id(String value) {
      return ids.computeIfAbsent(value, v -> ids.size());
    }

    int[] ids(List<String> values) {
      if (values.isEmpty()) {
        return NONE;
      }
      int[] out = new int[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = id(values.get(i));
      }
      return out;
    }

    int size() {
      return ids.size();
    }

    /** The values by id. */
    List<String> inOrder() {
      String[] out = new String[ids.size()];
      ids.forEach((value, id) -> out[id] = value);
      return List.of(out);
    }

    StringIds freeze() {
      return new StringIds(ids);
    }
  }

  private static final class Postings {
    private final List<IntList> lists;

    Postings(int size) {
      lists = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        lists.add(new IntList());
      }
    }

    void add(int value, int campaign) {
      lists.get(value).add(campaign);
    }

    int[][] freeze() {
      int[][] out = new int[lists.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = lists.get(i).toSortedArray();
      }
      return out;
    }
  }

  private static final class IntList {
    private int[] values = new int[4];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int[] toSortedArray() {
      int[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }
}
