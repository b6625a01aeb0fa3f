package id.iklan.selection;

import static java.util.Objects.requireNonNull;

import id.iklan.rules.Size;
import java.util.List;

/** A place on the page: the display sizes it takes and whether it takes native ads. */
public record Slot(String id, List<Size> sizes, boolean acceptsNative) {
  public Slot {
    requireNonNull(id, "id");
    sizes = List.copyOf(sizes);
    if (sizes.isEmpty() && !acceptsNative) {
      throw new IllegalArgumentException("a slot needs at least one size or format");
    }
  }
}
