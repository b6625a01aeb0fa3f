package id.iklan.selection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why each slot got the ad it got: per slot id, in request order, the winner, how many campaigns
 * competed for the slot, and for every other campaign the first rule it failed; and, when the
 * page sent article text, what the text did ({@code keywords}, {@code null} otherwise).
 */
public record Explanation(Map<String, SlotExplanation> slots, KeywordExplanation keywords) {
  public Explanation {
    slots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slots));
  }

  public Explanation(Map<String, SlotExplanation> slots) {
    this(slots, null);
  }

  /**
   * What the article text did to the page's keywords.
   *
   * @param language the language the text was analysed in ({@code id} or {@code en})
   * @param found rule keyword found in the text to the article's own words where it was found
   * @param matched campaign id to the extracted keyword that met its {@code keywords.any} or
   *     {@code keywords.all}, for campaigns that met them only thanks to the text
   * @param blocked campaign id to the extracted keyword of its {@code keywords.none} that the text
   *     holds (brand safety), for keywords the page did not also send itself
   */
  public record KeywordExplanation(String language, Map<String, String> found,
      Map<String, String> matched, Map<String, String> blocked) {
    public KeywordExplanation {
      found = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(found));
      matched = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(matched));
      blocked = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blocked));
    }
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
