package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One ad request: a page and its slots, most valuable first. */
public record PageRequest(Page page, List<Slot> slots) {
  public PageRequest {
    requireNonNull(page, "page");
    slots = List.copyOf(slots);
  }
}
