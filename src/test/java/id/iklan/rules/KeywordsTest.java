package id.iklan.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The one normalisation of SPEC §4 for keywords and sections: Unicode NFKC, lower case, trimmed,
 * inner white space collapsed.
 */
final class KeywordsTest {

  @Test void normalize_caseAndSurroundingAndInnerSpaces_areNormalised() {
    assertThat(Keywords.normalize("  Korea   UTARA ")).isEqualTo("korea utara");
  }

  @Test void normalize_tabsNewlinesAndNoBreakSpaces_collapseToOneSpace() {
    assertThat(Keywords.normalize("korea\tutara")).isEqualTo("korea utara");
    assertThat(Keywords.normalize("korea\r\n utara\n")).isEqualTo("korea utara");
    assertThat(Keywords.normalize("korea\u00A0utara")).isEqualTo("korea utara");
    assertThat(Keywords.normalize("korea\u3000utara")).isEqualTo("korea utara");
    assertThat(Keywords.normalize("korea\u2003\u2003utara")).isEqualTo("korea utara");
  }

  @Test void normalize_fullWidthLetters_becomeAscii() {
    assertThat(Keywords.normalize("ＫＯＲＥＡ")).isEqualTo("korea");
    assertThat(Keywords.normalize("２０２６")).isEqualTo("2026");
  }

  @Test void normalize_compatibilityCharacters_areDecomposed() {
    assertThat(Keywords.normalize("ﬁnansial")).isEqualTo("finansial"); // fi ligature
    assertThat(Keywords.normalize("Ⅳ")).isEqualTo("iv"); // Roman numeral four
  }

  @Test void normalize_decomposedAccent_equalsComposedAccent() {
    String decomposed = "Cafe\u0301";
    String composed = "Caf\u00E9";

    assertThat(Keywords.normalize(decomposed)).isEqualTo(Keywords.normalize(composed))
        .isEqualTo("caf\u00E9");
  }

  @Test void normalize_alreadyNormalText_isUnchanged() {
    assertThat(Keywords.normalize("korea utara")).isEqualTo("korea utara");
    assertThat(Keywords.normalize("covid-19")).isEqualTo("covid-19");
    assertThat(Keywords.normalize("rusia")).isSameAs(Keywords.normalize("rusia"));
  }

  @Test void normalize_blankText_isEmpty() {
    assertThat(Keywords.normalize("")).isEmpty();
    assertThat(Keywords.normalize("   ")).isEmpty();
    assertThat(Keywords.normalize("\t\n")).isEmpty();
  }

  @Test void normalize_isIdempotent() {
    for (String raw : new String[] {"  Korea   UTARA ", "ＫＯＲＥＡ\u3000ｕｔａｒａ", "Cafe\u0301",
        "ﬁnansial", "A  b\tC"}) {
      String once = Keywords.normalize(raw);
      assertThat(Keywords.normalize(once)).as(raw).isEqualTo(once);
    }
  }

  @Test void normalize_multiWordKeyword_staysOneKeyword() {
    assertThat(Keywords.normalize("Korea Utara")).isEqualTo("korea utara").contains(" ");
  }
}
