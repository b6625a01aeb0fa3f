package id.iklan.selection;

import static id.iklan.testing.CampaignBuilder.campaign;
import static id.iklan.testing.PageBuilder.page;
import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.context.Analyzers;
import id.iklan.context.Article;
import id.iklan.context.KeywordExtractor;
import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.RuleSet;
import id.iklan.testing.CampaignBuilder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4 keywords from article text: the page's keywords are its own plus the rule keywords
 * found in its title and text after stemming, so that Indonesian affixed forms meet their roots
 * in keywords.any and keywords.none alike. Rules are compiled as the server compiles them, and
 * the article is matched with the compiled rules' own matcher.
 */
final class ContextualKeywordsTest {
  private static final Instant NOW = Instant.parse("2026-11-18T03:00:00Z");
  private static final String URL = "https://kabarkita.contoh.id/internasional/2026/11/18/berita";

  private final Selector selector = new Selector(ZoneId.of("Asia/Jakarta"));
  private final KeywordExtractor extractor = new KeywordExtractor(Analyzers.shared(), 100);
  private final Random random = new Random(7);

  private static CompiledRules rules(CampaignBuilder... campaigns) {
    return CompiledRules.compile(new RuleSet(Arrays.stream(campaigns)
        .map(CampaignBuilder::build).toList()), 1, new InMemoryDeliveryCounters());
  }

  /** The request the server would build for a page that sends this article. */
  private PageRequest article(CompiledRules rules, String language, String title, String text,
      String... ownKeywords) {
    PageRequest request = page("internasional").keywords(ownKeywords).toRequest();
    var extracted = extractor.extract(new Article(URL, title, text, language),
        rules.keywordMatcher(), rules.version());
    return new PageRequest(request.page().withExtracted(extracted), request.slots());
  }

  private String winner(CompiledRules rules, PageRequest request) {
    var slot = selector.decide(request, rules, NOW, random).slots().get(0);
    return slot.filled() ? slot.campaign().id() : null;
  }

  @Test void select_anyWithRoot_matchesAffixedFormsInTheText() {
    var rules = rules(
        campaign("c-sejarah").cpm(90_000).keywordsAny("perang"),
        campaign("c-umum").cpm(1_000));

    assertThat(winner(rules, article(rules, "id", null, "Museum memamerkan senjata peperangan.")))
        .isEqualTo("c-sejarah");
    assertThat(winner(rules, article(rules, "id", null, "Kedua kerajaan pernah berperang.")))
        .isEqualTo("c-sejarah");
    assertThat(winner(rules, article(rules, "id", null, "Museum memamerkan kain tenun.")))
        .isEqualTo("c-umum");
  }

  @Test void select_noneWithRoot_blockedByAffixedFormsInTheText() {
    var rules = rules(
        campaign("c-bank").cpm(90_000).keywordsNone("perang"),
        campaign("c-umum").cpm(1_000));

    assertThat(winner(rules, article(rules, null, "Kabar dunia",
        "Dua kelompok bersenjata berperang di perbatasan."))).isEqualTo("c-umum");
    assertThat(winner(rules, article(rules, null, "Kabar dunia",
        "Dampak peperangan terasa hingga ke pasar."))).isEqualTo("c-umum");
    assertThat(winner(rules, article(rules, null, "Kabar dunia",
        "Pasar saham dibuka menguat."))).isEqualTo("c-bank");
  }

  @Test void select_affixedRuleKeyword_blockedByTheRootInTheText() {
    var rules = rules(
        campaign("c-bank").cpm(90_000).keywordsNone("kebencanaan"),
        campaign("c-umum").cpm(1_000));

    assertThat(winner(rules, article(rules, "id", "Bencana longsor", null))).isEqualTo("c-umum");
  }

  @Test void select_multiWordKeyword_matchesOnlyInSequence() {
    var rules = rules(
        campaign("c-diplomasi").cpm(90_000).keywordsAny("korea utara"),
        campaign("c-umum").cpm(1_000));

    assertThat(winner(rules, article(rules, "id", null, "Delegasi tiba di Korea Utara.")))
        .isEqualTo("c-diplomasi");
    assertThat(winner(rules, article(rules, "id", null, "Hujan di wilayah utara Korea.")))
        .isEqualTo("c-umum");
    assertThat(winner(rules, article(rules, "id", null, "Korea Selatan dan Utara bertemu.")))
        .isEqualTo("c-umum");
  }

  @Test void select_englishArticle_isStemmedAsEnglish() {
    var rules = rules(
        campaign("c-airline").cpm(90_000).keywordsNone("war"),
        campaign("c-umum").cpm(1_000));
    String text = "The warring factions agreed to a ceasefire after talks in the capital.";

    assertThat(winner(rules, article(rules, "en", null, text))).isEqualTo("c-umum");
    assertThat(winner(rules, article(rules, null, null, text))).as("detected as English")
        .isEqualTo("c-umum");
    assertThat(winner(rules, article(rules, "id", null, text)))
        .as("read as Indonesian, 'warring' is not 'war'").isEqualTo("c-airline");
  }

  @Test void select_pageKeywordsWithoutText_matchAsBefore() {
    var rules = rules(
        campaign("c-diplomasi").cpm(90_000).keywordsAny("korea utara"),
        campaign("c-umum").cpm(1_000));
    PageRequest request = page("internasional").keywords("Korea  Utara").toRequest();

    assertThat(winner(rules, request)).isEqualTo("c-diplomasi");
  }

  @Test void select_pageKeywordsAreNotStemmed() {
    var rules = rules(
        campaign("c-bank").cpm(90_000).keywordsNone("perang"),
        campaign("c-umum").cpm(1_000));

    assertThat(winner(rules, page("internasional").keywords("peperangan").toRequest()))
        .isEqualTo("c-bank");
  }

  @Test void select_keywordsAll_canBeMetByPageAndTextTogether() {
    var rules = rules(
        campaign("c-ev").cpm(90_000).keywordsAll("mobil listrik", "baterai"),
        campaign("c-umum").cpm(1_000));

    assertThat(winner(rules, article(rules, "id", null, "Stok baterai menipis.",
        "mobil listrik"))).isEqualTo("c-ev");
  }

  @Test void explain_reportsTheExtractedKeywordThatMatchedOrBlocked() {
    var rules = rules(
        campaign("c-bank").cpm(90_000).keywordsNone("perang"),
        campaign("c-diplomasi").cpm(50_000).keywordsAny("rusia", "korea utara"),
        campaign("c-rusia").cpm(40_000).keywordsAny("rusia"),
        campaign("c-umum").cpm(1_000));
    PageRequest request = article(rules, "id", "Delegasi ke Korea Utara",
        "Kedua negara pernah berperang puluhan tahun lalu.", "rusia");

    Explanation explanation = selector.serve(request, rules, NOW, random, true).explanation();

    var keywords = explanation.keywords();
    assertThat(keywords.language()).isEqualTo("id");
    assertThat(keywords.found()).containsEntry("korea utara", "Korea Utara")
        .containsEntry("perang", "berperang");
    assertThat(keywords.blocked()).containsExactly(java.util.Map.entry("c-bank", "perang"));
    // c-diplomasi also matched through the page's own "rusia": the text did not decide it
    assertThat(keywords.matched()).isEmpty();
    assertThat(explanation.slots().get("s1").lost().get("c-bank")).isEqualTo(Reason.KEYWORDS);
  }

  @Test void explain_campaignMatchedOnlyThroughTheText_isReported() {
    var rules = rules(
        campaign("c-diplomasi").cpm(50_000).keywordsAny("rusia", "korea utara"),
        campaign("c-umum").cpm(1_000));
    PageRequest request = article(rules, "id", "Delegasi ke Korea Utara", null);

    Explanation explanation = selector.serve(request, rules, NOW, random, true).explanation();

    assertThat(explanation.keywords().matched())
        .containsExactly(java.util.Map.entry("c-diplomasi", "korea utara"));
    assertThat(explanation.slots().get("s1").winner()).isEqualTo("c-diplomasi");
  }

  @Test void explain_pageWithoutText_hasNoKeywordPart() {
    var rules = rules(campaign("c-umum"));

    Explanation explanation = selector.serve(page("internasional").toRequest(), rules, NOW,
        random, true).explanation();

    assertThat(explanation.keywords()).isNull();
  }
}
