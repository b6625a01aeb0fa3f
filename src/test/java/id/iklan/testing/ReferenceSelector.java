package id.iklan.testing;

import id.iklan.delivery.DeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.Keywords;
import id.iklan.rules.Pacing;
import id.iklan.rules.RuleSet;
import id.iklan.rules.Schedule;
import id.iklan.rules.Status;
import id.iklan.rules.Targeting;
import id.iklan.selection.Page;
import id.iklan.selection.PageDecision;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Slot;
import id.iklan.selection.SlotDecision;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * A deliberately simple, brute-force implementation of SPEC §4, for differential tests of the
 * indexed {@code id.iklan.selection.Selector}. It has no index, no int ids and no scratch
 * arrays: every request looks at every campaign, compares strings and reads the clock with
 * {@code java.time}. It is slow on purpose and should stay obviously correct; when it and the
 * selector disagree, suspect the selector first, but check this class against the spec too.
 *
 * <p>Project decisions it shares with the selector, beyond the words of the spec:
 * <ul>
 *   <li>rank order is tier (enum order), then cpm descending, then rule-set order; a rotation group
 *       is a run of equal tier and equal cpm;
 *   <li>a slot first goes to a roadblock already on the page (in the order they first won) that
 *       fits it and whose limits allow one more serve; otherwise the best-ranked allowed, fitting
 *       campaign decides the group, and one weighted draw picks among the allowed, fitting
 *       members of that group;
 *   <li>random numbers are drawn only for a real choice (two or more), one {@code nextDouble()}
 *       per choice: first the campaign, then its creative.
 * </ul>
 */
public final class ReferenceSelector {
  private final ZoneId zone;
  private final Map<String, Integer> tally;

  public ReferenceSelector(ZoneId zone) {
    this(zone, null);
  }

  /**
   * @param tally when not null, counts what happened (failure reasons, draws, page-rule
   *     exclusions, roadblock continuations), so that a randomized test can show what it covered
   */
  public ReferenceSelector(ZoneId zone, Map<String, Integer> tally) {
    this.zone = zone;
    this.tally = tally;
  }

  private void note(String event) {
    if (tally != null) {
      tally.merge(event, 1, Integer::sum);
    }
  }

  // ---- eligibility ----

  /** Ids of the campaigns eligible for the page at {@code now}, in rank order. */
  public List<String> eligible(RuleSet rules, DeliveryCounters counters, Page page, Instant now) {
    List<String> ids = new ArrayList<>();
    for (Campaign c : eligibleCampaigns(rules, counters, page, now)) {
      ids.add(c.id());
    }
    return ids;
  }

  private List<Campaign> eligibleCampaigns(
      RuleSet rules, DeliveryCounters counters, Page page, Instant now) {
    List<Campaign> out = new ArrayList<>();
    for (Campaign c : inRankOrder(rules)) {
      String failure = pageFailure(c, page, now);
      if (failure == null) {
        failure = deliveryFailure(c, counters, page.userId(), now, 0);
      }
      note(failure == null ? "eligible" : failure);
      if (failure == null) {
        out.add(c);
      }
    }
    return out;
  }

  /** All campaigns in rank order; {@link List#sort} is stable, so ties keep rule-set order. */
  public static List<Campaign> inRankOrder(RuleSet rules) {
    List<Campaign> list = new ArrayList<>(rules.campaigns());
    list.sort(Comparator.<Campaign>comparingInt(c -> c.tier().ordinal())
        .thenComparing((a, b) -> Double.compare(b.cpm(), a.cpm())));
    return list;
  }

  private static boolean sameGroup(Campaign a, Campaign b) {
    return a.tier() == b.tier() && Double.compare(a.cpm(), b.cpm()) == 0;
  }

  /**
   * The first page-level rule {@code c} fails, as the spec's explain reason ({@code inactive},
   * {@code flight}, {@code section}, {@code keywords}, {@code geo}, {@code device},
   * {@code schedule}), or {@code null} when it passes them all.
   */
  public String pageFailure(Campaign c, Page page, Instant now) {
    if (c.status() != Status.ACTIVE) {
      return "inactive";
    }
    if (now.isBefore(c.start()) || (c.end() != null && !now.isBefore(c.end()))) {
      return "flight";
    }
    Targeting t = c.targeting();

    String section = page.section();
    if (!t.sectionsInclude().isEmpty()
        && (section == null || !t.sectionsInclude().contains(section))) {
      return "section";
    }
    if (section != null && t.sectionsExclude().contains(section)) {
      return "section";
    }

    // The page's own keywords and those extracted from its article count alike (SPEC §4).
    List<String> keywords = page.allKeywords();
    if (!t.keywordsAny().isEmpty()) {
      boolean hit = false;
      for (String k : t.keywordsAny()) {
        if (keywords.contains(k)) {
          hit = true;
        }
      }
      if (!hit) {
        return "keywords";
      }
    }
    for (String k : t.keywordsAll()) {
      if (!keywords.contains(k)) {
        return "keywords";
      }
    }
    for (String k : t.keywordsNone()) {
      if (keywords.contains(k)) {
        return "keywords";
      }
    }

    List<String> location = page.location().keys();
    if (!t.geoInclude().isEmpty()) {
      boolean hit = false;
      for (String target : t.geoInclude()) {
        if (location.contains(target)) {
          hit = true;
        }
      }
      if (!hit) {
        return "geo";
      }
    }
    for (String target : t.geoExclude()) {
      if (location.contains(target)) {
        return "geo";
      }
    }

    if (!t.devices().isEmpty()
        && (page.device() == null || !t.devices().contains(page.device()))) {
      return "device";
    }

    Schedule schedule = t.schedule();
    if (schedule != null) {
      ZonedDateTime local = now.atZone(zone);
      if (!schedule.days().isEmpty() && !schedule.days().contains(local.getDayOfWeek())) {
        return "schedule";
      }
      if (schedule.hasHours()) {
        int h = local.getHour();
        boolean inside;
        if (schedule.startHour() < schedule.endHour()) {
          inside = h >= schedule.startHour() && h < schedule.endHour();
        } else {
          inside = h >= schedule.startHour() || h < schedule.endHour();
        }
        if (!inside) {
          return "schedule";
        }
      }
    }
    return null;
  }

  /**
   * The first delivery limit ({@code frequency-cap}, {@code goal-reached}, {@code pacing}) that
   * stops {@code c} from taking one more slot when it already took {@code taken} slots of this
   * page, or {@code null}.
   */
  public String deliveryFailure(
      Campaign c, DeliveryCounters counters, String userId, Instant now, int taken) {
    long nowMillis = now.toEpochMilli();
    if (c.frequencyCap() != null) {
      if (userId == null) {
        return "frequency-cap";
      }
      long since = nowMillis - c.frequencyCap().window().toMillis();
      int seen = counters.servedToUser(userId, c.id(), since);
      if (seen + taken >= c.frequencyCap().count()) {
        return "frequency-cap";
      }
    }
    if (c.goal() != null) {
      long goal = c.goal().impressions();
      long served = counters.served(c.id()).get() + taken;
      if (served >= goal) {
        return "goal-reached";
      }
      if (c.goal().pacing() == Pacing.EVEN) {
        long start = c.start().toEpochMilli();
        long end = c.end().toEpochMilli();
        double elapsed = (double) (nowMillis - start) / (double) (end - start);
        if (!(served < goal * elapsed)) {
          return "pacing";
        }
      }
    }
    return null;
  }

  // ---- filling ----

  /** Fills the slots of {@code request} in order, drawing from {@code random} as documented. */
  public PageDecision decide(RuleSet rules, DeliveryCounters counters, PageRequest request,
      Instant now, Random random) {
    Page page = request.page();
    List<Campaign> eligible = eligibleCampaigns(rules, counters, page, now);
    List<Campaign> winners = new ArrayList<>();
    List<Campaign> roadblocksOnPage = new ArrayList<>();
    List<SlotDecision> out = new ArrayList<>();

    for (Slot slot : request.slots()) {
      Campaign winner = null;

      for (Campaign roadblock : roadblocksOnPage) {
        int taken = count(winners, roadblock);
        if (fittingCreatives(roadblock, slot).isEmpty()) {
          note("roadblock-does-not-fit");
          continue;
        }
        String failure = deliveryFailure(roadblock, counters, page.userId(), now, taken);
        if (failure != null) {
          note("roadblock-stopped-by-" + failure);
          continue;
        }
        note("roadblock-continues");
        winner = roadblock;
        break;
      }

      if (winner == null) {
        List<Campaign> passing = new ArrayList<>();
        for (Campaign c : eligible) {
          String excluded = pageRuleExcluding(c, winners);
          if (excluded != null) {
            note(excluded);
          } else if (fittingCreatives(c, slot).isEmpty()) {
            note("slot-no-fitting-creative");
          } else {
            passing.add(c);
          }
        }
        if (!passing.isEmpty()) {
          Campaign first = passing.get(0);
          List<Campaign> group = new ArrayList<>();
          for (Campaign c : passing) {
            if (sameGroup(first, c)) {
              group.add(c);
            }
          }
          if (group.size() > 1) {
            note("campaign-draw");
          }
          winner = weightedPick(group, Campaign::weight, random);
        }
      }

      if (winner == null) {
        winners.add(null);
        out.add(SlotDecision.noFill(slot));
        continue;
      }
      List<Creative> fitting = fittingCreatives(winner, slot);
      if (fitting.size() > 1) {
        note("creative-draw");
      }
      Creative creative = weightedPick(fitting, Creative::weight, random);
      if (winner.roadblock() && !winners.contains(winner)) {
        roadblocksOnPage.add(winner);
      }
      winners.add(winner);
      out.add(new SlotDecision(slot, winner, creative));
    }
    return new PageDecision(out);
  }

  /**
   * The page rule that keeps {@code c} out given the slots already filled, or {@code null}: one
   * slot per campaign, one advertiser per page, one campaign per category.
   */
  private static String pageRuleExcluding(Campaign c, List<Campaign> winners) {
    for (Campaign w : winners) {
      if (w == null) {
        continue;
      }
      if (w.id().equals(c.id())) {
        return "excluded-already-on-page";
      }
      if (Keywords.normalize(w.advertiser()).equals(Keywords.normalize(c.advertiser()))) {
        return "excluded-same-advertiser";
      }
      if (c.category() != null && c.category().equals(w.category())) {
        return "excluded-same-category";
      }
    }
    return null;
  }

  /** The creatives of {@code c} that fit {@code slot}, in creative-list order. */
  public static List<Creative> fittingCreatives(Campaign c, Slot slot) {
    List<Creative> out = new ArrayList<>();
    for (Creative creative : c.creatives()) {
      boolean fits = creative.format().isDisplay()
          ? slot.sizes().contains(creative.size())
          : slot.acceptsNative();
      if (fits) {
        out.add(creative);
      }
    }
    return out;
  }

  private static int count(List<Campaign> winners, Campaign c) {
    int n = 0;
    for (Campaign w : winners) {
      if (w != null && w.id().equals(c.id())) {
        n++;
      }
    }
    return n;
  }

  /** The only item without a draw; otherwise one draw, walked through the weights in order. */
  private static <T> T weightedPick(List<T> items, ToDoubleFunction<T> weight, Random random) {
    if (items.size() == 1) {
      return items.get(0);
    }
    double total = 0;
    for (T item : items) {
      total += weight.applyAsDouble(item);
    }
    double point = random.nextDouble() * total;
    for (T item : items) {
      point -= weight.applyAsDouble(item);
      if (point < 0) {
        return item;
      }
    }
    return items.get(items.size() - 1);
  }
}
