package id.iklan.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding rule keywords in article text after stemming (the matcher alone, without rules). */
final class KeywordMatcherTest {
  private static final Analyzers ANALYZERS = Analyzers.shared();

  private static List<String> found(List<String> vocabulary, String text, Language language) {
    return KeywordMatcher.compile(vocabulary, ANALYZERS).match(null, text, language).keywords();
  }

  private static List<String> foundIndonesian(List<String> vocabulary, String text) {
    return found(vocabulary, text, Language.INDONESIAN);
  }

  @Test void match_affixedIndonesianForms_findTheirRoot() {
    var vocabulary = List.of("perang", "bencana", "celaka");

    assertThat(foundIndonesian(vocabulary, "Kedua negara pernah berperang.")).containsExactly("perang");
    assertThat(foundIndonesian(vocabulary, "Dampak peperangan terasa di desa.")).containsExactly("perang");
    assertThat(foundIndonesian(vocabulary, "Sejarah perangnya panjang.")).containsExactly("perang");
    assertThat(foundIndonesian(vocabulary, "Penanganan kebencanaan daerah.")).containsExactly("bencana");
    assertThat(foundIndonesian(vocabulary, "Dua orang luka dalam kecelakaan itu.")).containsExactly("celaka");
  }

  @Test void match_affixedRuleKeyword_meetsTheRootInTheText() {
    assertThat(foundIndonesian(List.of("peperangan"), "Mereka menolak perang.")).containsExactly("peperangan");
  }

  @Test void match_wordNotInTheVocabulary_isNotFound() {
    assertThat(foundIndonesian(List.of("perang"), "Harga beras naik di pasar induk.")).isEmpty();
  }

  @Test void match_multiWordKeyword_matchesItsWordsInSequence() {
    var vocabulary = List.of("korea utara", "piala dunia");

    assertThat(foundIndonesian(vocabulary, "Delegasi tiba di Korea Utara pada Jumat."))
        .containsExactly("korea utara");
    assertThat(foundIndonesian(vocabulary, "Timnas bersiap menuju Piala Dunia 2030."))
        .containsExactly("piala dunia");
  }

  @Test void match_multiWordKeyword_wordsOutOfSequence_isNotFound() {
    var vocabulary = List.of("korea utara", "piala dunia");

    assertThat(foundIndonesian(vocabulary, "Wilayah utara Korea diguyur hujan.")).isEmpty();
    assertThat(foundIndonesian(vocabulary, "Korea Selatan dan Utara bertemu.")).isEmpty();
    assertThat(foundIndonesian(vocabulary, "Piala itu diarak keliling dunia.")).isEmpty();
    assertThat(foundIndonesian(vocabulary, "Korea")).isEmpty();
  }

  @Test void match_multiWordKeyword_affixedWordsInSequence_areFound() {
    assertThat(foundIndonesian(List.of("korban jiwa"), "Tidak ada korbannya jiwa."))
        .containsExactly("korban jiwa");
    assertThat(foundIndonesian(List.of("angkutan barang"), "Rute pengangkutan barang dibuka."))
        .containsExactly("angkutan barang");
  }

  @Test void match_titleAndText_areMatchedSeparately() {
    KeywordMatcher matcher = KeywordMatcher.compile(List.of("korea utara"), ANALYZERS);

    assertThat(matcher.match("Kabar dari Korea", "Utara dan selatan", Language.INDONESIAN)
        .keywords()).isEmpty();
    assertThat(matcher.match("Kabar dari Korea Utara", null, Language.INDONESIAN).keywords())
        .containsExactly("korea utara");
  }

  @Test void match_englishArticle_isStemmedAsEnglish() {
    var vocabulary = List.of("war", "election");
    String text = "The warring parties agreed to postpone the elections.";

    assertThat(found(vocabulary, text, Language.ENGLISH)).containsExactly("war", "election");
    // the Indonesian stemmer does not know English suffixes
    assertThat(found(vocabulary, text, Language.INDONESIAN)).isEmpty();
  }

  @Test void match_foundText_isTheArticlesOwnWords() {
    ArticleKeywords found = KeywordMatcher.compile(List.of("perang", "korea utara"), ANALYZERS)
        .match("Korea\n  Utara", "Mereka berperang lagi.", Language.INDONESIAN);

    assertThat(found.keywords()).containsExactly("korea utara", "perang");
    assertThat(found.foundAs("korea utara")).isEqualTo("Korea Utara");
    assertThat(found.foundAs("perang")).isEqualTo("berperang");
    assertThat(found.language()).isEqualTo(Language.INDONESIAN);
  }

  @Test void match_keywordFoundTwice_isReportedOnce() {
    assertThat(foundIndonesian(List.of("perang"), "perang, berperang, peperangan"))
        .containsExactly("perang");
  }

  @Test void match_keywordWithStopWord_keepsTheGap() {
    var vocabulary = List.of("bank of america");

    assertThat(found(vocabulary, "Shares of Bank of America fell.", Language.ENGLISH))
        .containsExactly("bank of america");
    assertThat(found(vocabulary, "Bank America", Language.ENGLISH)).isEmpty();
  }

  @Test void match_keywordOfStopWordsOnly_isNeverFoundInText() {
    assertThat(foundIndonesian(List.of("yang"), "yang mana yang benar")).isEmpty();
  }

  @Test void match_keywordsThatShareAStem_areAllFound() {
    assertThat(foundIndonesian(List.of("perang", "peperangan"), "mereka berperang"))
        .containsExactlyInAnyOrder("perang", "peperangan");
  }

  @Test void match_emptyVocabulary_findsNothing() {
    assertThat(KeywordMatcher.empty().match("perang", "perang", Language.INDONESIAN).keywords())
        .isEmpty();
  }

  @Test void match_longKeyword_ringHoldsItsWholeSpan() {
    String keyword = "ibu kota nusantara baru di kalimantan timur";
    KeywordMatcher matcher = KeywordMatcher.compile(List.of(keyword, "nusantara"), ANALYZERS);

    assertThat(matcher.match(null, "Pembangunan Ibu Kota Nusantara baru di Kalimantan Timur "
        + "berlanjut.", Language.INDONESIAN).keywords()).containsExactly("nusantara", keyword);
    assertThat(matcher.match(null, "Ibu Kota Nusantara lama di Kalimantan Timur",
        Language.INDONESIAN).keywords()).containsExactly("nusantara");
  }
}
