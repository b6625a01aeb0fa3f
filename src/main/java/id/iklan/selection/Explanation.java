package id.iklan.selection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why each slot got the ad it got: per slot id, in request order, the winner, how many campaigns
 * competed for the slot, and for every other campaign the first rule it failed.
 */
public record Explanation(Map<String, SlotExplanation> slots) {
  public Explanation {
    slots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slots));
  }

  /**
   * @param winner the winning campaign id, or {@code null} for no fill
   * @param candidates campaigns eligible for this slot before page rules (one campaign per page,
   *     advertiser, category) and ranking: those that passed every other rule and fit the slot
   * @param lost campaign id to the reason it lost, in rule order
   */
  public record SlotExplanation(String winner, int candidates, Map<String, Reason> lost) {
    public SlotExplanation {
      lost = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lost));
    }
  }
}
