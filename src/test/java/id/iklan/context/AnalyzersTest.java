package id.iklan.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class AnalyzersTest {
  private final Analyzers analyzers = Analyzers.shared();

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "id, INDONESIAN", "id-ID, INDONESIAN", "ID_id, INDONESIAN", "in, INDONESIAN",
      "ms-MY, INDONESIAN", "en, ENGLISH", "en-GB, ENGLISH", "EN, ENGLISH",
      "jv, null", "fr-FR, null", "'', null", "null, null"})
  void fromTag_primarySubtag_namesTheLanguage(String tag, Language expected) {
    assertThat(Language.fromTag(tag)).isEqualTo(expected);
  }

  @Test void detect_indonesianText_isIndonesian() {
    assertThat(analyzers.detect("Harga beras naik", "Pemerintah menyatakan bahwa harga beras di "
        + "pasar induk akan turun setelah panen raya, namun pedagang masih ragu."))
        .isEqualTo(Language.INDONESIAN);
  }

  @Test void detect_englishText_isEnglish() {
    assertThat(analyzers.detect("Rice prices rise", "The government said that the price of rice "
        + "at the main market will fall after the harvest, but traders are not sure."))
        .isEqualTo(Language.ENGLISH);
  }

  @Test void detect_noFunctionWords_isIndonesian() {
    assertThat(analyzers.detect("Jakarta", null)).isEqualTo(Language.INDONESIAN);
    assertThat(analyzers.detect(null, null)).isEqualTo(Language.INDONESIAN);
  }

  @Test void languageOf_declaredLanguage_winsOverDetection() {
    String english = "The talks were held in the capital and the ministers said they will meet.";

    assertThat(analyzers.languageOf("id", null, english)).isEqualTo(Language.INDONESIAN);
    assertThat(analyzers.languageOf(null, null, english)).isEqualTo(Language.ENGLISH);
    assertThat(analyzers.languageOf("jv", null, english)).isEqualTo(Language.ENGLISH);
  }

  @Test void stems_keywordWithStopWord_leavesAGapInPositions() {
    var stems = analyzers.stems("korban dan jiwa", Language.INDONESIAN);

    assertThat(stems.stems()).containsExactly("korban", "jiwa");
    assertThat(stems.positions()).containsExactly(0, 2);
    assertThat(stems.span()).isEqualTo(2);
  }
}
