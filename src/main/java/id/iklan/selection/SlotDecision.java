package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;

/** The ad chosen for one slot, or no fill when {@code campaign} is {@code null}. */
public record SlotDecision(Slot slot, Campaign campaign, Creative creative) {
  public SlotDecision {
    requireNonNull(slot, "slot");
    if ((campaign == null) != (creative == null)) {
      throw new IllegalArgumentException("a filled slot has both a campaign and a creative");
    }
  }

  public static SlotDecision noFill(Slot slot) {
    return new SlotDecision(slot, null, null);
  }

  public boolean filled() {
    return campaign != null;
  }
}
