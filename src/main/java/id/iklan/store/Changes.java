package id.iklan.store;

import id.iklan.rules.Campaign;
import id.iklan.rules.RuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Campaign ids added, changed and removed by a write, each in rule order. */
public record Changes(List<String> added, List<String> changed, List<String> removed) {
  public static final Changes NONE = new Changes(List.of(), List.of(), List.of());

  public Changes {
    added = List.copyOf(added);
    changed = List.copyOf(changed);
    removed = List.copyOf(removed);
  }

  /**
   * Compares by meaning, not by spelling: campaigns are compared as validated records, so a CSV
   * upload of the same rules as a JSON one changes nothing.
   */
  public static Changes between(RuleSet before, RuleSet after) {
    Map<String, Campaign> old = new HashMap<>();
    before.campaigns().forEach(c -> old.put(c.id(), c));
    Map<String, Campaign> now = new HashMap<>();
    after.campaigns().forEach(c -> now.put(c.id(), c));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Campaign c : after.campaigns()) {
      Campaign previous = old.get(c.id());
      if (previous == null) {
        added.add(c.id());
      } else if (!previous.equals(c)) {
        changed.add(c.id());
      }
    }
    List<String> removed = new ArrayList<>();
    for (Campaign c : before.campaigns()) {
      if (!now.containsKey(c.id())) {
        removed.add(c.id());
      }
    }
    return new Changes(added, changed, removed);
  }
}
