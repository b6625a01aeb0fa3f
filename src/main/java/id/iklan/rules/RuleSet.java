package id.iklan.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A complete, valid set of campaign rules, in the order ad ops wrote them. */
public record RuleSet(List<Campaign> campaigns) {
  public static final RuleSet EMPTY = new RuleSet(List.of());

  public RuleSet {
    campaigns = List.copyOf(campaigns);
    Set<String> ids = new HashSet<>();
    Set<String> creativeIds = new HashSet<>();
    for (Campaign campaign : campaigns) {
      if (!ids.add(campaign.id())) {
        throw new IllegalArgumentException("duplicate campaign id " + campaign.id());
      }
      for (Creative creative : campaign.creatives()) {
        if (!creativeIds.add(creative.id())) {
          throw new IllegalArgumentException("duplicate creative id " + creative.id());
        }
      }
    }
  }
}
