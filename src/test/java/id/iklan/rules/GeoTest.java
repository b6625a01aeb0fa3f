package id.iklan.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Geo targets and locations (SPEC §3) share one canonical spelling, so that "a target matches a
 * location inside it" is "the target's key is one of the location's keys".
 */
final class GeoTest {

  // ---- targets ----

  @Test void canonicalTarget_country_isUpperCase() {
    assertThat(Geo.canonicalTarget("ID")).isEqualTo("ID");
    assertThat(Geo.canonicalTarget("id")).isEqualTo("ID");
    assertThat(Geo.canonicalTarget(" my ")).isEqualTo("MY");
  }

  @Test void canonicalTarget_subdivision_isUpperCase() {
    assertThat(Geo.canonicalTarget("ID-JB")).isEqualTo("ID-JB");
    assertThat(Geo.canonicalTarget("id-jb")).isEqualTo("ID-JB");
    assertThat(Geo.canonicalTarget("MY-14")).isEqualTo("MY-14");
  }

  @Test void canonicalTarget_city_isNormalisedLikeAKeyword() {
    assertThat(Geo.canonicalTarget("ID-JB/Bandung")).isEqualTo("ID-JB/bandung");
    assertThat(Geo.canonicalTarget("id-jb/BANDUNG")).isEqualTo("ID-JB/bandung");
    assertThat(Geo.canonicalTarget("ID-JK/  Jakarta   Selatan ")).isEqualTo("ID-JK/jakarta selatan");
  }

  @Test void canonicalTarget_malformed_isNull() {
    for (String bad : new String[] {null, "", " ", "I", "IDN", "Indonesia", "1D", "ID-", "-JB",
        "ID-JBXX", "ID-J B", "ID-JB-X", "ID/Bandung", "ID-JB/", "ID-JB/ ", "ID-JB/Bandung/Kota",
        "ÍD"}) {
      assertThat(Geo.canonicalTarget(bad)).as(String.valueOf(bad)).isNull();
    }
  }

  // ---- locations ----

  @Test void locationKeys_fullLocation_widestFirst() {
    assertThat(Geo.locationKeys("ID", "JB", "Bandung"))
        .containsExactly("ID", "ID-JB", "ID-JB/bandung");
  }

  @Test void locationKeys_regionWithOrWithoutCountryPrefix_areTheSame() {
    assertThat(Geo.locationKeys("ID", "ID-JB", "Bandung"))
        .containsExactly(Geo.locationKeys("ID", "JB", "Bandung"));
    assertThat(Geo.locationKeys("id", "id-jb", "bandung"))
        .containsExactly("ID", "ID-JB", "ID-JB/bandung");
  }

  @Test void locationKeys_onlyCountryKnown_givesTheCountryOnly() {
    assertThat(Geo.locationKeys("ID", null, null)).containsExactly("ID");
    assertThat(Geo.locationKeys("ID", " ", "")).containsExactly("ID");
  }

  @Test void locationKeys_cityWithoutRegion_isKnownOnlyToTheCountry() {
    assertThat(Geo.locationKeys("ID", null, "Bandung")).containsExactly("ID");
  }

  @Test void locationKeys_regionWithoutCity_stopsAtTheSubdivision() {
    assertThat(Geo.locationKeys("ID", "JB", null)).containsExactly("ID", "ID-JB");
  }

  @Test void locationKeys_regionOfAnotherCountry_isIgnored() {
    assertThat(Geo.locationKeys("ID", "MY-14", "Kuala Lumpur")).containsExactly("ID");
  }

  @Test void locationKeys_countryOnlyInRegionHeader_isTakenFromIt() {
    assertThat(Geo.locationKeys(null, "ID-JB", null)).containsExactly("ID", "ID-JB");
  }

  @Test void locationKeys_unknownOrMalformedCountry_givesNoKeys() {
    assertThat(Geo.locationKeys(null, null, null)).isEmpty();
    assertThat(Geo.locationKeys(null, "JB", "Bandung")).isEmpty();
    assertThat(Geo.locationKeys("", "JB", "Bandung")).isEmpty();
    assertThat(Geo.locationKeys("IDN", "JB", "Bandung")).isEmpty();
    assertThat(Geo.locationKeys("XX-YY", null, null)).isEmpty();
  }

  @Test void locationKeys_malformedRegion_keepsTheCountry() {
    assertThat(Geo.locationKeys("ID", "Jawa Barat", "Bandung")).containsExactly("ID");
    assertThat(Geo.locationKeys("ID", "ID-", "Bandung")).containsExactly("ID");
  }

  // ---- matching: a target matches a location inside it, known down to its level ----

  @Test void target_matchesLocationsInsideIt() {
    String[] bandung = Geo.locationKeys("ID", "JB", "Bandung");

    assertThat(bandung).contains(Geo.canonicalTarget("ID"), Geo.canonicalTarget("ID-JB"),
        Geo.canonicalTarget("id-jb/bandung"));
    assertThat(bandung).doesNotContain(Geo.canonicalTarget("MY"), Geo.canonicalTarget("ID-JK"),
        Geo.canonicalTarget("ID-JB/Bogor"));
  }

  @Test void target_narrowerThanTheKnownLocation_doesNotMatch() {
    String[] countryOnly = Geo.locationKeys("ID", null, null);

    assertThat(Arrays.asList(countryOnly)).doesNotContain(Geo.canonicalTarget("ID-JB"),
        Geo.canonicalTarget("ID-JB/Bandung"));
  }
}
