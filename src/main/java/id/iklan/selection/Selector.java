package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.Size;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses the ads of a page (SPEC §4): which campaigns are eligible, how they rank, and how the
 * slots are filled under the page rules.
 *
 * <p>A decision runs on one compiled snapshot. <b>Page matching</b>, shared by all slots: the
 * index yields the candidates of the page in rank order, window by window (see
 * {@link CompiledRules}), and each is checked once against every page-level rule and its delivery
 * limits. <b>Filling</b>: slots in request order take the best-ranked allowed campaign with a
 * fitting creative; equal tier and cpm rotate by weight; a roadblock that has won takes every
 * later slot it fits. Matching goes only as deep in the ranking as filling needs: when every
 * slot is decided from the best windows, the rest of the candidates are never looked at. The
 * result is exactly that of matching everything first, random draws included.
 *
 * <p>Work arrays live in a per-thread {@link Scratch} and are reset by bumping an epoch, so a
 * decision allocates little more than its result. Random choices draw from the generator passed
 * in, only when there is a real choice (two or more candidates), which makes decisions
 * reproducible under a seeded generator.
 *
 * <p>{@link #decide} is pure: it reads delivery counters but changes nothing. {@link #serve}
 * decides and then counts what it served.
 */
public final class Selector {
  private final ZoneRules zoneRules;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** @param zone the publisher time zone, in which schedules are read */
  public Selector(ZoneId zone) {
    this.zoneRules = requireNonNull(zone, "zone").getRules();
  }

  /** Decides and counts, without a deadline; see {@link #serve(PageRequest, CompiledRules,
   * Instant, RandomGenerator, boolean, long)}. */
  public Outcome serve(PageRequest request, CompiledRules rules, Instant now,
      RandomGenerator random, boolean explain) {
    return serve(request, rules, now, random, explain, System.nanoTime() + Long.MAX_VALUE / 2);
  }

  /** A decision and, when asked for, its explanation. */
  public record Outcome(PageDecision decision, Explanation explanation) {}

  /** Decides without counting anything. */
  public PageDecision decide(
      PageRequest request, CompiledRules rules, Instant now, RandomGenerator random) {
    Scratch s = scratch.get();
    run(s, request, rules, now, random);
    return s.toDecision(request);
  }

  /**
   * Decides and counts what was served (goals, pacing and caps see it at once). A goal is never
   * exceeded: when a concurrent request took the last impressions of a goal first, the slot is
   * left unfilled rather than over-delivered.
   *
   * @param explain whether to also explain the decision (costs a pass over all campaigns)
   * @param deadlineNanos a {@link System#nanoTime()} after which the decision is too late to be
   *     used: then every slot is left unfilled and nothing is counted
   * @return the outcome, or {@code null} when the deadline passed
   */
  public Outcome serve(PageRequest request, CompiledRules rules, Instant now,
      RandomGenerator random, boolean explain, long deadlineNanos) {
    Scratch s = scratch.get();
    run(s, request, rules, now, random);
    if (System.nanoTime() - deadlineNanos > 0) {
      return null;
    }
    Explanation explanation = explain ? explain(s, request, rules) : null;
    commit(s, request, rules);
    return new Outcome(s.toDecision(request), explanation);
  }

  /**
   * Fills again the slots {@code kept} leaves empty, as {@link #serve} would, with the campaigns
   * {@code kept} placed staying where they are: already counted, and binding the page rules for
   * the new ones (one slot per campaign, one advertiser, one competitive category). For a page
   * whose capped campaigns the shared counters refused after the decision, because another
   * server served the reader first: their slots go to the next best campaign (SPEC §4) rather
   * than staying empty. The refused campaigns must already fail their delivery limits in the
   * counters of {@code rules}, or they win again. A campaign already on the page takes no new
   * slot, not even a roadblock (its further slots would have to be counted again). Counts what
   * it adds.
   *
   * <p>The kept campaigns are found by one pass over the rule set: this runs only when shared
   * counters refused a cap.
   *
   * @param explain whether to explain the new decision (the refused campaigns then show the
   *     limit they failed)
   * @return the decision with the empty slots filled where a campaign allows, and its
   *     explanation when asked; {@code kept} itself, without an explanation, when the deadline
   *     passed or {@code kept} is not a decision on {@code rules}
   */
  public Outcome refill(PageRequest request, PageDecision kept, CompiledRules rules,
      Instant now, RandomGenerator random, boolean explain, long deadlineNanos) {
    List<Slot> slots = request.slots();
    List<SlotDecision> keptSlots = kept.slots();
    if (keptSlots.size() != slots.size()) {
      throw new IllegalArgumentException("kept must be a decision of this request");
    }
    Map<Campaign, CompiledCampaign> placed = new java.util.IdentityHashMap<>();
    for (SlotDecision slot : keptSlots) {
      if (slot.filled()) {
        placed.put(slot.campaign(), null);
      }
    }
    if (!placed.isEmpty()) {
      for (CompiledCampaign c : rules.campaigns) {
        if (placed.containsKey(c.source)) {
          placed.put(c.source, c);
        }
      }
    }
    Scratch s = scratch.get();
    s.prepare(rules, request.page(), now.toEpochMilli(), zoneRules);
    startMatch(s, rules);
    s.beginFill(slots.size());
    for (int i = 0; i < slots.size(); i++) {
      SlotDecision slot = keptSlots.get(i);
      if (!slot.filled()) {
        continue;
      }
      CompiledCampaign c = placed.get(slot.campaign());
      int creative = c == null ? -1 : Arrays.asList(c.creatives).indexOf(slot.creative());
      if (creative < 0) {
        return new Outcome(kept, null);
      }
      s.winners[i] = c;
      s.winningCreatives[i] = creative;
      s.take(c);
      s.committedEpoch[c.index] = s.epoch; // counted with the first decision
    }
    for (int i = 0; i < slots.size(); i++) {
      if (s.winners[i] != null) {
        continue;
      }
      s.loadSlot(slots.get(i));
      CompiledCampaign winner = bestAllowed(s, rules, random);
      if (winner != null) {
        s.winners[i] = winner;
        s.winningCreatives[i] = pickCreative(winner, s, random);
        s.take(winner);
      }
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      return new Outcome(kept, null);
    }
    Explanation explanation = explain ? explain(s, request, rules) : null;
    commit(s, request, rules);
    return new Outcome(s.toDecision(request), explanation);
  }

  /** The ids of the campaigns eligible for the page at {@code now}, in rank order. */
  public List<String> eligible(Page page, CompiledRules rules, Instant now) {
    Scratch s = scratch.get();
    s.prepare(rules, page, now.toEpochMilli(), zoneRules);
    match(s, rules);
    List<String> ids = new ArrayList<>(s.eligibleCount);
    for (int i = 0; i < s.eligibleCount; i++) {
      ids.add(rules.byRank[s.eligible[i]].source.id());
    }
    return ids;
  }

  private void run(
      Scratch s, PageRequest request, CompiledRules rules, Instant now, RandomGenerator random) {
    s.prepare(rules, request.page(), now.toEpochMilli(), zoneRules);
    startMatch(s, rules);
    fill(s, request, rules, random);
  }

  // ---- page matching ----

  /** The first window of ranks looked at; later windows double. */
  private static final int FIRST_WINDOW = 64;

  /** Sets up the posting lists of this page: its section, keywords, location and device. */
  private static void startMatch(Scratch s, CompiledRules rules) {
    s.listCount = 0;
    s.limit = 0;
    s.eligibleCount = 0;
    s.addList(rules.untargeted);
    if (s.sectionId >= 0) {
      s.addList(rules.sectionPostings[s.sectionId]);
    }
    for (int k = 0; k < s.keywordCount; k++) {
      s.addList(rules.keywordPostings[s.keywords[k]]);
    }
    for (int g = 0; g < s.geoCount; g++) {
      s.addList(rules.geoPostings[s.geo[g]]);
    }
    if (s.device >= 0) {
      s.addList(rules.devicePostings[s.device]);
    }
  }

  /** Every eligible campaign, in rank order (for explanations and tests). */
  private static void match(Scratch s, CompiledRules rules) {
    startMatch(s, rules);
    while (extend(s, rules)) {
      // collect every window
    }
  }

  /**
   * Collects the eligible campaigns of the next window of ranks into {@code s.eligible}, which
   * stays in rank order. Windows end on tie-group boundaries. Returns false when every rank has
   * been looked at.
   */
  private static boolean extend(Scratch s, CompiledRules rules) {
    int n = rules.byRank.length;
    if (s.limit >= n) {
      return false;
    }
    int next = Math.min(n, Math.max(FIRST_WINDOW, s.limit * 2));
    next = rules.groupEnd[next - 1];
    int from = s.eligibleCount;
    boolean anyLeft = false;
    for (int l = 0; l < s.listCount; l++) {
      int[] list = s.lists[l];
      int p = s.cursors[l];
      while (p < list.length && list[p] < next) {
        int rank = list[p++];
        if (s.seen[rank] == s.epoch) {
          continue;
        }
        s.seen[rank] = s.epoch;
        CompiledCampaign c = rules.byRank[rank];
        if (pageFailure(c, s) == null && deliveryFailure(c, s, rules, 0) == null) {
          s.eligible[s.eligibleCount++] = rank;
        }
      }
      s.cursors[l] = p;
      anyLeft |= p < list.length;
    }
    Arrays.sort(s.eligible, from, s.eligibleCount);
    s.limit = anyLeft ? next : n;
    return true;
  }

  /** The first page-level rule (status to schedule) that {@code c} fails, or null. */
  static Reason pageFailure(CompiledCampaign c, Scratch s) {
    if (!c.active) {
      return Reason.INACTIVE;
    }
    if (s.now < c.startMillis || s.now >= c.endMillis) {
      return Reason.FLIGHT;
    }
    if (c.sectionsInclude.length > 0 && !contains(c.sectionsInclude, s.sectionId)) {
      return Reason.SECTION;
    }
    if (s.sectionId >= 0 && contains(c.sectionsExclude, s.sectionId)) {
      return Reason.SECTION;
    }
    if (!keywordsMatch(c, s)) {
      return Reason.KEYWORDS;
    }
    if (c.geoInclude.length > 0 && !anyOf(c.geoInclude, s.geo, s.geoCount)) {
      return Reason.GEO;
    }
    if (anyOf(c.geoExclude, s.geo, s.geoCount)) {
      return Reason.GEO;
    }
    if (c.deviceMask != CompiledCampaign.ANY_DEVICE
        && (s.device < 0 || (c.deviceMask & (1 << s.device)) == 0)) {
      return Reason.DEVICE;
    }
    if ((c.dayMask & (1 << s.dayOfWeek)) == 0 || (c.hourMask & (1 << s.hour)) == 0) {
      return Reason.SCHEDULE;
    }
    return null;
  }

  private static boolean keywordsMatch(CompiledCampaign c, Scratch s) {
    int[] stamp = s.keywordStamp;
    int epoch = s.epoch;
    if (c.keywordsAny.length > 0) {
      boolean hit = false;
      for (int k : c.keywordsAny) {
        if (stamp[k] == epoch) {
          hit = true;
          break;
        }
      }
      if (!hit) {
        return false;
      }
    }
    for (int k : c.keywordsAll) {
      if (stamp[k] != epoch) {
        return false;
      }
    }
    for (int k : c.keywordsNone) {
      if (stamp[k] == epoch) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first delivery limit (cap, goal, pacing) that stops {@code c} from taking one more slot
   * when it has already taken {@code taken} slots of this page, or null.
   */
  static Reason deliveryFailure(CompiledCampaign c, Scratch s, CompiledRules rules, int taken) {
    if (c.capCount > 0) {
      if (s.userId == null) {
        return Reason.FREQUENCY_CAP;
      }
      int seen = rules.counters.servedToUser(s.userId, c.source.id(), s.now - c.capWindowMillis);
      if (seen + taken >= c.capCount) {
        return Reason.FREQUENCY_CAP;
      }
    }
    if (c.goal > 0) {
      long served = c.served.get() + taken;
      if (served >= c.goal) {
        return Reason.GOAL_REACHED;
      }
      if (c.evenPacing && !Pacing.allows(served, c.goal, c.startMillis, c.endMillis, s.now)) {
        return Reason.PACING;
      }
    }
    return null;
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyOf(int[] targets, int[] location, int locationCount) {
    for (int t : targets) {
      for (int g = 0; g < locationCount; g++) {
        if (location[g] == t) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- filling ----

  private static void fill(
      Scratch s, PageRequest request, CompiledRules rules, RandomGenerator random) {
    List<Slot> slots = request.slots();
    s.beginFill(slots.size());
    for (int i = 0; i < slots.size(); i++) {
      s.loadSlot(slots.get(i));
      CompiledCampaign winner = roadblockFor(s, rules);
      if (winner == null) {
        winner = bestAllowed(s, rules, random);
      }
      if (winner == null) {
        s.winners[i] = null;
        continue;
      }
      s.winners[i] = winner;
      s.winningCreatives[i] = pickCreative(winner, s, random);
      s.take(winner);
    }
  }

  /** A roadblock already on the page takes this slot if it fits and its limits allow. */
  private static CompiledCampaign roadblockFor(Scratch s, CompiledRules rules) {
    for (int r = 0; r < s.roadblockCount; r++) {
      CompiledCampaign c = s.roadblocks[r];
      if (c.fits(s.sizeKeys, s.sizeCount, s.acceptsNative)
          && deliveryFailure(c, s, rules, s.taken(c)) == null) {
        return c;
      }
    }
    return null;
  }

  /**
   * The best-ranked campaign allowed on the page with a creative for the current slot, drawing by
   * weight within its tie group. Extends the candidate windows only while nothing qualifies.
   */
  private static CompiledCampaign bestAllowed(
      Scratch s, CompiledRules rules, RandomGenerator random) {
    CompiledCampaign[] byRank = rules.byRank;
    int j = 0;
    while (true) {
      if (j == s.eligibleCount) {
        if (!extend(s, rules)) {
          return null;
        }
        continue;
      }
      CompiledCampaign first = byRank[s.eligible[j]];
      if (!allowedAndFits(first, s)) {
        j++;
        continue;
      }
      int end = j + 1;
      double total = first.weight;
      int members = 1;
      while (end < s.eligibleCount && byRank[s.eligible[end]].group == first.group) {
        CompiledCampaign c = byRank[s.eligible[end]];
        if (allowedAndFits(c, s)) {
          total += c.weight;
          members++;
        }
        end++;
      }
      if (members == 1) {
        return first;
      }
      double point = random.nextDouble() * total;
      CompiledCampaign last = first;
      for (int k = j; k < end; k++) {
        CompiledCampaign c = byRank[s.eligible[k]];
        if (!allowedAndFits(c, s)) {
          continue;
        }
        last = c;
        point -= c.weight;
        if (point < 0) {
          return c;
        }
      }
      return last;
    }
  }

  private static boolean allowedAndFits(CompiledCampaign c, Scratch s) {
    return s.allowed(c) && c.fits(s.sizeKeys, s.sizeCount, s.acceptsNative);
  }

  private static int pickCreative(CompiledCampaign c, Scratch s, RandomGenerator random) {
    int count = 0;
    int only = -1;
    double total = 0;
    for (int i = 0; i < c.creatives.length; i++) {
      if (c.creativeFits(i, s.sizeKeys, s.sizeCount, s.acceptsNative)) {
        count++;
        only = i;
        total += c.creativeWeights[i];
      }
    }
    if (count == 1) {
      return only;
    }
    double point = random.nextDouble() * total;
    int last = only;
    for (int i = 0; i < c.creatives.length; i++) {
      if (c.creativeFits(i, s.sizeKeys, s.sizeCount, s.acceptsNative)) {
        last = i;
        point -= c.creativeWeights[i];
        if (point < 0) {
          return i;
        }
      }
    }
    return last;
  }

  // ---- counting ----

  private static void commit(Scratch s, PageRequest request, CompiledRules rules) {
    int slots = request.slots().size();
    for (int i = 0; i < slots; i++) {
      CompiledCampaign c = s.winners[i];
      if (c == null || s.committedEpoch[c.index] == s.epoch) {
        continue;
      }
      s.committedEpoch[c.index] = s.epoch;
      int taken = s.taken(c);
      boolean counted;
      if (c.goal > 0) {
        counted = c.served.tryAdd(taken, c.goal);
      } else {
        c.served.add(taken);
        counted = true;
      }
      if (!counted) {
        for (int j = i; j < slots; j++) {
          if (s.winners[j] == c) {
            s.winners[j] = null;
          }
        }
        continue;
      }
      if (c.capCount > 0) {
        rules.counters.recordUserServes(s.userId, c.source.id(), s.now, taken);
      }
    }
  }

  // ---- explaining ----

  private static Explanation explain(Scratch s, PageRequest request, CompiledRules rules) {
    List<Slot> slots = request.slots();
    Map<String, Explanation.SlotExplanation> out = new LinkedHashMap<>();
    for (int i = 0; i < slots.size(); i++) {
      s.loadSlot(slots.get(i));
      CompiledCampaign winner = s.winners[i];
      Map<String, Reason> lost = new LinkedHashMap<>();
      int candidates = 0;
      for (CompiledCampaign c : rules.campaigns) {
        Reason reason = pageFailure(c, s);
        if (reason == null && !c.fits(s.sizeKeys, s.sizeCount, s.acceptsNative)) {
          reason = Reason.NO_FITTING_CREATIVE;
        }
        if (reason == null) {
          reason = deliveryFailure(c, s, rules, takenBefore(s, c, i));
        }
        if (reason == null) {
          candidates++;
          if (c == winner) {
            continue;
          }
          reason = excludedBefore(s, c, i) ? Reason.PAGE_EXCLUSION : Reason.OUTRANKED;
        }
        lost.put(c.source.id(), reason);
      }
      out.put(slots.get(i).id(), new Explanation.SlotExplanation(
          winner == null ? null : winner.source.id(), candidates, lost));
    }
    return new Explanation(out, explainKeywords(request.page(), rules));
  }

  /**
   * What the article text did, or null when the page sent none: the rule keywords found in it
   * (with the article's own words), the campaigns whose {@code keywords.any}/{@code all} only the
   * text satisfied, and those whose {@code keywords.none} the text hit. A keyword the page also
   * sent itself is not the text's doing and is left out of both.
   */
  private static Explanation.KeywordExplanation explainKeywords(Page page, CompiledRules rules) {
    var article = page.extracted();
    if (!article.analysed()) {
      return null;
    }
    Map<String, String> found = new LinkedHashMap<>();
    for (int k = 0; k < article.keywords().size(); k++) {
      found.put(article.keywords().get(k), article.found().get(k));
    }
    Set<String> own = Set.copyOf(page.keywords());
    Set<String> fromText = new HashSet<>(found.keySet());
    fromText.removeAll(own);
    Map<String, String> matched = new LinkedHashMap<>();
    Map<String, String> blocked = new LinkedHashMap<>();
    for (CompiledCampaign c : rules.campaigns) {
      var t = c.source.targeting();
      String block = firstIn(t.keywordsNone(), fromText);
      if (block != null) {
        blocked.put(c.source.id(), block);
        continue;
      }
      if (t.keywordsAny().isEmpty() && t.keywordsAll().isEmpty()) {
        continue;
      }
      boolean anyOk = t.keywordsAny().isEmpty() || firstIn(t.keywordsAny(), own) != null
          || firstIn(t.keywordsAny(), fromText) != null;
      boolean allOk = t.keywordsAll().stream().allMatch(k -> own.contains(k)
          || fromText.contains(k));
      if (!anyOk || !allOk || firstIn(t.keywordsNone(), own) != null) {
        continue;
      }
      String because = firstIn(t.keywordsAny(), own) == null
          ? firstIn(t.keywordsAny(), fromText) : null;
      if (because == null) {
        because = firstIn(t.keywordsAll(), fromText);
      }
      if (because != null) {
        matched.put(c.source.id(), because);
      }
    }
    return new Explanation.KeywordExplanation(article.language().tag(), found, matched, blocked);
  }

  private static String firstIn(List<String> keywords, Set<String> present) {
    for (String k : keywords) {
      if (present.contains(k)) {
        return k;
      }
    }
    return null;
  }

  private static int takenBefore(Scratch s, CompiledCampaign c, int slot) {
    int n = 0;
    for (int j = 0; j < slot; j++) {
      if (s.winners[j] == c) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether the page rules, given the slots filled before {@code slot}, keep {@code c} out. In a
   * {@link #refill}, the kept ads (marked committed before the explanation) bind every slot,
   * later ones too.
   */
  private static boolean excludedBefore(Scratch s, CompiledCampaign c, int slot) {
    for (int j = 0; j < s.winners.length; j++) {
      CompiledCampaign w = s.winners[j];
      if (w == null || j == slot || (j > slot && s.committedEpoch[w.index] != s.epoch)) {
        continue;
      }
      if (w == c) {
        return !c.roadblock;
      }
      if (w.advertiser == c.advertiser || (c.category >= 0 && w.category == c.category)) {
        return true;
      }
    }
    return false;
  }

  /** Per-thread work arrays, reused across requests and reset by bumping {@link #epoch}. */
  static final class Scratch {
    int epoch;
    CompiledRules rules;
    int[] seen = new int[0];
    int[] committedEpoch = new int[0];
    int[] takenEpoch = new int[0];
    int[] takenCount = new int[0];
    int[] keywordStamp = new int[0];
    int[] eligible = new int[0];
    int eligibleCount;
    int[][] lists = new int[32][];
    int[] cursors = new int[32];
    int listCount;
    /** Ranks below this have been looked at. */
    int limit;
    int sectionId;
    int[] keywords = new int[16];
    int keywordCount;
    int[] geo = new int[3];
    int geoCount;
    int device;
    int dayOfWeek;
    int hour;
    long now;
    String userId;
    CompiledCampaign[] winners = new CompiledCampaign[0];
    int[] winningCreatives = new int[0];
    CompiledCampaign[] roadblocks = new CompiledCampaign[0];
    int roadblockCount;
    int[] pageAdvertisers = new int[0];
    int[] pageCategories = new int[0];
    int pageAdvertiserCount;
    int pageCategoryCount;
    int[] sizeKeys = new int[8];
    int sizeCount;
    boolean acceptsNative;

    void prepare(CompiledRules rules, Page page, long now, ZoneRules zone) {
      if (this.rules != rules) {
        sizeFor(rules);
      }
      if (++epoch == Integer.MAX_VALUE) {
        resetStamps();
      }
      this.now = now;
      this.userId = page.userId();
      eligibleCount = 0;
      sectionId = page.section() == null ? -1 : rules.sectionIds.get(page.section());
      keywordCount = 0;
      stampKeywords(rules, page.keywords());
      stampKeywords(rules, page.extracted().keywords());
      geoCount = 0;
      List<String> locationKeys = page.location().keys();
      for (int i = 0; i < locationKeys.size() && i < geo.length; i++) {
        int id = rules.geoIds.get(locationKeys.get(i));
        if (id >= 0) {
          geo[geoCount++] = id;
        }
      }
      device = page.device() == null ? -1 : page.device().ordinal();
      long seconds = Math.floorDiv(now, 1000L);
      long local = seconds + zone.getOffset(Instant.ofEpochSecond(seconds)).getTotalSeconds();
      long day = Math.floorDiv(local, 86_400L);
      dayOfWeek = (int) Math.floorMod(day + 3, 7L) + 1;
      hour = (int) (Math.floorMod(local, 86_400L) / 3600);
    }

    /** Stamps the dictionary ids of {@code values}: the page's own and its extracted keywords. */
    private void stampKeywords(CompiledRules rules, List<String> values) {
      for (int i = 0; i < values.size(); i++) {
        int id = rules.keywordIds.get(values.get(i));
        if (id >= 0 && keywordStamp[id] != epoch) {
          keywordStamp[id] = epoch;
          if (keywordCount == keywords.length) {
            keywords = Arrays.copyOf(keywords, keywordCount * 2);
          }
          keywords[keywordCount++] = id;
        }
      }
    }

    private void sizeFor(CompiledRules next) {
      rules = next;
      int n = next.campaigns.length;
      if (seen.length < n) {
        seen = new int[n];
        committedEpoch = new int[n];
        takenEpoch = new int[n];
        takenCount = new int[n];
        eligible = new int[n];
      }
      if (keywordStamp.length < next.keywordIds.size()) {
        keywordStamp = new int[next.keywordIds.size()];
      }
      resetStamps();
    }

    private void resetStamps() {
      Arrays.fill(seen, 0);
      Arrays.fill(committedEpoch, 0);
      Arrays.fill(takenEpoch, 0);
      Arrays.fill(keywordStamp, 0);
      epoch = 1;
    }

    void beginFill(int slots) {
      if (winners.length < slots) {
        winners = new CompiledCampaign[slots];
        winningCreatives = new int[slots];
        roadblocks = new CompiledCampaign[slots];
        pageAdvertisers = new int[slots];
        pageCategories = new int[slots];
      }
      Arrays.fill(winners, null);
      roadblockCount = 0;
      pageAdvertiserCount = 0;
      pageCategoryCount = 0;
    }

    void loadSlot(Slot slot) {
      List<Size> sizes = slot.sizes();
      if (sizeKeys.length < sizes.size()) {
        sizeKeys = new int[sizes.size()];
      }
      sizeCount = sizes.size();
      for (int i = 0; i < sizeCount; i++) {
        sizeKeys[i] = sizes.get(i).key();
      }
      acceptsNative = slot.acceptsNative();
    }

    void addList(int[] list) {
      if (list.length == 0) {
        return;
      }
      if (listCount == lists.length) {
        lists = Arrays.copyOf(lists, listCount * 2);
        cursors = Arrays.copyOf(cursors, listCount * 2);
      }
      lists[listCount] = list;
      cursors[listCount] = 0;
      listCount++;
    }

    int taken(CompiledCampaign c) {
      return takenEpoch[c.index] == epoch ? takenCount[c.index] : 0;
    }

    boolean allowed(CompiledCampaign c) {
      if (taken(c) > 0) {
        return false;
      }
      for (int i = 0; i < pageAdvertiserCount; i++) {
        if (pageAdvertisers[i] == c.advertiser) {
          return false;
        }
      }
      if (c.category >= 0) {
        for (int i = 0; i < pageCategoryCount; i++) {
          if (pageCategories[i] == c.category) {
            return false;
          }
        }
      }
      return true;
    }

    void take(CompiledCampaign c) {
      int before = taken(c);
      takenEpoch[c.index] = epoch;
      takenCount[c.index] = before + 1;
      if (before > 0) {
        return;
      }
      pageAdvertisers[pageAdvertiserCount++] = c.advertiser;
      if (c.category >= 0) {
        pageCategories[pageCategoryCount++] = c.category;
      }
      if (c.roadblock) {
        roadblocks[roadblockCount++] = c;
      }
    }

    PageDecision toDecision(PageRequest request) {
      List<Slot> slots = request.slots();
      List<SlotDecision> out = new ArrayList<>(slots.size());
      for (int i = 0; i < slots.size(); i++) {
        CompiledCampaign c = winners[i];
        if (c == null) {
          out.add(SlotDecision.noFill(slots.get(i)));
        } else {
          Campaign campaign = c.source;
          Creative creative = c.creatives[winningCreatives[i]];
          out.add(new SlotDecision(slots.get(i), campaign, creative));
        }
      }
      return new PageDecision(out);
    }
  }
}
