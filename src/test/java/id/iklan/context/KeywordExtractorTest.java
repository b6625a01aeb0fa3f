package id.iklan.context;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.CommonPoolBlocked;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache of extractions: per article (URL and text), language and rule version. */
final class KeywordExtractorTest {
  private static final String URL = "https://kabarkita.contoh.id/nasional/2026/11/18/berita";
  private final KeywordMatcher matcher =
      KeywordMatcher.compile(List.of("perang", "banjir", "korea utara"), Analyzers.shared());
  private final KeywordExtractor extractor = new KeywordExtractor(Analyzers.shared(), 100);

  private List<String> extract(String title, String text, long version) {
    return extractor.extract(new Article(URL, title, text, null), matcher, version).keywords();
  }

  @Test void extract_sameArticleAgain_isServedFromTheCache() {
    assertThat(extract("Banjir melanda", "Warga mengungsi karena kebanjiran.", 1))
        .containsExactly("banjir");
    assertThat(extract("Banjir melanda", "Warga mengungsi karena kebanjiran.", 1))
        .containsExactly("banjir");

    assertThat(extractor.stats().hitCount()).isEqualTo(1);
    assertThat(extractor.stats().missCount()).isEqualTo(1);
  }

  @Test void extract_editedArticle_isReadAgain() {
    assertThat(extract("Banjir melanda", "Warga mengungsi.", 1)).containsExactly("banjir");

    assertThat(extract("Banjir melanda", "Warga mengungsi. Dua kelompok berperang di hulu.", 1))
        .containsExactly("banjir", "perang");
    assertThat(extract("Hujan deras", "Warga mengungsi.", 1)).isEmpty();
    assertThat(extractor.stats().hitCount()).isZero();
    assertThat(extractor.stats().missCount()).isEqualTo(3);
  }

  @Test void extract_newRuleVersion_readsTheArticleAgain() {
    KeywordMatcher wider = KeywordMatcher.compile(List.of("warga"), Analyzers.shared());
    Article article = new Article(URL, "Banjir melanda", "Warga mengungsi.", "id");

    assertThat(extractor.extract(article, matcher, 1).keywords()).containsExactly("banjir");
    assertThat(extractor.extract(article, wider, 2).keywords()).containsExactly("warga");
  }

  @Test void extract_sameTextOnAnotherUrl_isItsOwnEntry() {
    extract("Banjir", null, 1);
    extractor.extract(new Article(URL + "-2", "Banjir", null, null), matcher, 1);

    assertThat(extractor.stats().missCount()).isEqualTo(2);
  }

  @Test void extract_titleAndTextBoundary_isPartOfTheKey() {
    assertThat(extract("Banjir", "perang", 1)).containsExactly("banjir", "perang");
    assertThat(extract("Banjirperang", null, 1)).isEmpty();
    assertThat(extractor.stats().missCount()).isEqualTo(2);
  }

  @Test void extract_declaredLanguage_isUsed() {
    Article english = new Article(URL, null, "The wars went on.", "en");
    KeywordMatcher war = KeywordMatcher.compile(List.of("war"), Analyzers.shared());

    ArticleKeywords found = extractor.extract(english, war, 1);

    assertThat(found.keywords()).containsExactly("war");
    assertThat(found.language()).isEqualTo(Language.ENGLISH);
  }

  @Test void extract_nothingToRead_isNone() {
    assertThat(extractor.extract(new Article(URL, null, "  ", null), matcher, 1))
        .isSameAs(ArticleKeywords.NONE);
  }

  @Test void extract_fullWidthLetters_areNormalisedLikeRuleKeywords() {
    assertThat(extract(null, "Ｂａｎｊｉｒ besar", 1)).containsExactly("banjir");
  }

  @Test void extract_cacheIsBounded_evictedOnTheCallingThread() throws Exception {
    KeywordExtractor small = new KeywordExtractor(Analyzers.shared(), 2);
    // no cleanUp(), and the common pool busy: eviction handed to a pool thread could not have
    // run yet, so the bound holds only if maintenance runs on the caller
    try (CommonPoolBlocked blocked = new CommonPoolBlocked()) {
      for (int i = 0; i < 50; i++) {
        small.extract(new Article(URL + i, "Banjir", null, null), matcher, 1);
      }

      assertThat(small.stats().missCount()).isEqualTo(50);
      assertThat(small.size()).isLessThanOrEqualTo(2);
    }
  }

  @Test void extract_cacheOfSizeZero_readsEveryTime() {
    KeywordExtractor off = new KeywordExtractor(Analyzers.shared(), 0);
    Article article = new Article(URL, "Banjir", null, null);

    assertThat(off.extract(article, matcher, 1).keywords()).containsExactly("banjir");
    assertThat(off.extract(article, matcher, 1).keywords()).containsExactly("banjir");
    assertThat(off.stats().requestCount()).isZero();
    assertThat(off.size()).isZero();
  }
}
