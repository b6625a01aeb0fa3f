package id.iklan.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who a campaign is for. Every list holds normalised values (sections and keywords per
 * {@link Keywords#normalize}, geo targets per {@link Geo#canonicalTarget}); an empty list or a
 * {@code null} schedule matches everything.
 */
public record Targeting(
    List<String> sectionsInclude,
    List<String> sectionsExclude,
    List<String> keywordsAny,
    List<String> keywordsAll,
    List<String> keywordsNone,
    List<String> geoInclude,
    List<String> geoExclude,
    Set<DeviceType> devices,
    Schedule schedule) {

  /** Targets everyone, everywhere, always. */
  public static final Targeting EVERYONE = new Targeting(
      List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Set.of(), null);

  public Targeting {
    sectionsInclude = List.copyOf(sectionsInclude);
    sectionsExclude = List.copyOf(sectionsExclude);
    keywordsAny = List.copyOf(keywordsAny);
    keywordsAll = List.copyOf(keywordsAll);
    keywordsNone = List.copyOf(keywordsNone);
    geoInclude = List.copyOf(geoInclude);
    geoExclude = List.copyOf(geoExclude);
    devices = devices.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(devices));
  }
}
