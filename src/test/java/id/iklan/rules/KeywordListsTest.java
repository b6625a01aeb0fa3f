package id.iklan.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Named keyword lists: defined once at the top of a rule set ({@code keywordLists}), referred to
 * as {@code @name} from any campaign's keywords.any, all or none, expanded while reading.
 */
final class KeywordListsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RuleSetReader reader = new RuleSetReader(ZoneId.of("Asia/Jakarta"));

  private static String campaign(String id, String keywords) {
    return """
        {"id": "%s", "advertiser": "Toko %s", "tier": "standard", "start": "2026-11-01",
         "targeting": {"keywords": %s},
         "creatives": [{"id": "%s-cr", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/%s.png", "clickUrl": "https://toko.contoh.id/"}]}
        """.formatted(id, id, keywords, id, id);
  }

  private static JsonNode document(String lists, String... campaigns) throws Exception {
    return JSON.readTree("{" + (lists == null ? "" : "\"keywordLists\": " + lists + ", ")
        + "\"campaigns\": [" + String.join(",", campaigns) + "]}");
  }

  private List<Problem> problems(JsonNode document) {
    return catchThrowableOfType(InvalidRulesException.class, () -> reader.read(document))
        .problems();
  }

  @Test void read_referenceInNone_expandsToTheListsKeywords() throws Exception {
    RuleSet rules = reader.read(document(
        "{\"tragedi\": [\"bencana\", \"Korban  Jiwa\", \"perang\"]}",
        campaign("c-bank", "{\"none\": [\"@tragedi\", \"banjir\"]}")));

    assertThat(rules.campaigns().get(0).targeting().keywordsNone())
        .containsExactly("bencana", "korban jiwa", "perang", "banjir");
  }

  @Test void read_referencesInAnyAndAll_expandAndDropDuplicates() throws Exception {
    RuleSet rules = reader.read(document(
        "{\"Otomotif\": [\"mobil listrik\", \"motor listrik\"], \"baterai\": [\"baterai\"]}",
        campaign("c-ev", "{\"any\": [\"motor listrik\", \"@otomotif\"], "
            + "\"all\": [\"@BATERAI\"]}")));

    var targeting = rules.campaigns().get(0).targeting();
    assertThat(targeting.keywordsAny()).containsExactly("motor listrik", "mobil listrik");
    assertThat(targeting.keywordsAll()).containsExactly("baterai");
  }

  @Test void read_oneListInManyCampaigns_isKeptInOnePlace() throws Exception {
    RuleSet rules = reader.read(document("{\"tragedi\": [\"bencana\", \"gempa\"]}",
        campaign("c-a", "{\"none\": [\"@tragedi\"]}"),
        campaign("c-b", "{\"none\": [\"@tragedi\"]}")));

    assertThat(rules.campaigns()).extracting(c -> c.targeting().keywordsNone())
        .containsOnly(List.of("bencana", "gempa"));
  }

  @Test void read_unknownList_isAProblemNamingCampaignAndField() throws Exception {
    List<Problem> problems = problems(document("{\"tragedi\": [\"bencana\"]}",
        campaign("c-bank", "{\"none\": [\"banjir\", \"@tragedy\"]}")));

    assertThat(problems).extracting(Problem::campaign, Problem::field)
        .containsExactly(tuple("c-bank", "targeting.keywords.none[1]"));
    assertThat(problems.get(0).message()).contains("\"tragedy\"", "defined lists: tragedi");
  }

  @Test void read_referenceWithoutAnyLists_saysWhereToDefineThem() throws Exception {
    List<Problem> problems = problems(document(null,
        campaign("c-bank", "{\"any\": [\"@saham\"]}")));

    assertThat(problems).extracting(Problem::field).containsExactly("targeting.keywords.any[0]");
    assertThat(problems.get(0).message()).contains("keywordLists");
  }

  @Test void read_badLists_areProblemsAtTheRoot() throws Exception {
    List<Problem> problems = problems(document("""
        {"tragedi": [], "bad name!": ["x"], "nested": ["@tragedi"], "mixed": ["ok", 42, ""]}
        """));

    assertThat(problems).extracting(Problem::campaign, Problem::field).containsExactly(
        tuple(null, "keywordLists.tragedi"),
        tuple(null, "keywordLists.bad name!"),
        tuple(null, "keywordLists.nested[0]"),
        tuple(null, "keywordLists.mixed[1]"),
        tuple(null, "keywordLists.mixed[2]"));
  }

  @Test void read_listsNotAnObject_isAProblem() throws Exception {
    assertThat(problems(document("[\"bencana\"]"))).extracting(Problem::field)
        .containsExactly("keywordLists");
  }

  @Test void read_listNamesDifferingOnlyInCase_areAProblem() throws Exception {
    assertThat(problems(document("{\"tragedi\": [\"a\"], \"Tragedi\": [\"b\"]}")))
        .extracting(Problem::field).containsExactly("keywordLists.Tragedi");
  }

  @Test void readCampaigns_csvCellsWithReferences_resolveAgainstGivenLists() {
    CsvRules.Parsed parsed = CsvRules.read("""
        id,advertiser,tier,start,keywords_none,creative_id,format,size,image_url,click_url
        c-bank,Bank,standard,2026-11-01,@tragedi;banjir,cr-1,image,300x250,https://cdn.contoh.id/a.png,https://bank.contoh.id/
        """);
    List<Problem> problems = new ArrayList<>();

    List<Campaign> campaigns = reader.readCampaigns(parsed.campaigns(),
        Map.of("tragedi", List.of("bencana", "perang")), problems, i -> null);

    assertThat(problems).isEmpty();
    assertThat(campaigns.get(0).targeting().keywordsNone())
        .containsExactly("bencana", "perang", "banjir");
  }

  @Test void readCampaigns_csvReferenceToUnknownList_isLocatedAtLineAndColumn() {
    CsvRules.Parsed parsed = CsvRules.read("""
        id,advertiser,tier,start,keywords_none,creative_id,format,size,image_url,click_url
        c-bank,Bank,standard,2026-11-01,@tragedi,cr-1,image,300x250,https://cdn.contoh.id/a.png,https://bank.contoh.id/
        """);
    List<Problem> found = new ArrayList<>();
    reader.readCampaigns(parsed.campaigns(), Map.of(), found, i -> null);

    assertThat(CsvRules.locate(found, parsed)).extracting(Problem::line, Problem::field)
        .containsExactly(tuple(2, "keywords_none"));
  }
}
