package id.iklan.selection;

import id.iklan.rules.Geo;
import java.util.List;

/**
 * Where the reader is, as canonical geo keys from widest to narrowest ({@code [ID, ID-JB,
 * ID-JB/bandung]}); empty when unknown. A geo target matches when its key is one of these.
 */
public record Location(List<String> keys) {
  public static final Location UNKNOWN = new Location(List.of());

  public Location {
    keys = List.copyOf(keys);
  }

  /** From edge-header style parts; see {@link Geo#locationKeys}. */
  public static Location of(String country, String region, String city) {
    String[] keys = Geo.locationKeys(country, region, city);
    return keys.length == 0 ? UNKNOWN : new Location(List.of(keys));
  }
}
