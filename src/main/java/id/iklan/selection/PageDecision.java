package id.iklan.selection;

import java.util.List;

/** The ads chosen for a page, one decision per requested slot, in request order. */
public record PageDecision(List<SlotDecision> slots) {
  public PageDecision {
    slots = List.copyOf(slots);
  }

  public int filledCount() {
    int n = 0;
    for (SlotDecision slot : slots) {
      if (slot.filled()) {
        n++;
      }
    }
    return n;
  }
}
