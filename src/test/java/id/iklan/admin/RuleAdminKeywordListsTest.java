package id.iklan.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.JsonMapper;
import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.CsvRules;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.Problem;
import id.iklan.rules.RuleSetReader;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.store.FileRuleStore;
import id.iklan.store.RuleStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How writes keep, replace and merge the rule set's named keyword lists. */
final class RuleAdminKeywordListsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"),
      ZoneOffset.UTC);
  private final ObjectMapper mapper = JsonMapper.create();
  private final RuleSetReader reader = new RuleSetReader(ZoneId.of("Asia/Jakarta"));
  private final InMemoryDeliveryCounters counters = new InMemoryDeliveryCounters();
  @TempDir Path dataDir;
  private FileRuleStore store;
  private RuleAdmin admin;

  private static String campaign(String id, String none) {
    return """
        {"id": "%s", "advertiser": "Toko %s", "tier": "standard", "start": "2026-11-01",
         "targeting": {"keywords": {"none": ["%s"]}},
         "creatives": [{"id": "%s-cr", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/%s.png", "clickUrl": "https://toko.contoh.id/"}]}
        """.formatted(id, id, none, id, id);
  }

  private JsonNode json(String text) throws Exception {
    return mapper.readTree(text);
  }

  @BeforeEach
  void open() throws Exception {
    JsonNode seed = json("{\"keywordLists\": {\"tragedi\": [\"bencana\", \"perang\"]}, "
        + "\"campaigns\": [" + campaign("c-bank", "@tragedi") + "]}");
    store = FileRuleStore.open(dataDir, mapper, reader, CLOCK, () -> seed, w -> { });
    var v = store.current();
    admin = new RuleAdmin(store, reader, counters,
        new LiveRules(CompiledRules.compile(v.rules(), v.version(), counters)), mapper);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Upload jsonUpload(String document) throws Exception {
    JsonNode root = json(document);
    return Upload.json(root.get("campaigns"), root.get("keywordLists"));
  }

  @Test void replace_jsonWithoutLists_keepsTheCurrentLists() throws Exception {
    admin.replace(jsonUpload("{\"campaigns\": [" + campaign("c-asuransi", "@tragedi") + "]}"),
        RuleStore.ANY_VERSION, false);

    assertThat(store.current().document().get("keywordLists").has("tragedi")).isTrue();
    assertThat(store.current().rules().campaigns().get(0).targeting().keywordsNone())
        .containsExactly("bencana", "perang");
  }

  @Test void replace_csv_keepsTheCurrentListsAndResolvesAgainstThem() throws Exception {
    CsvRules.Parsed parsed = CsvRules.read("""
        id,advertiser,tier,start,keywords_none,creative_id,format,size,image_url,click_url
        c-csv,Toko,standard,2026-11-01,@tragedi;banjir,cr-csv,image,300x250,https://cdn.contoh.id/a.png,https://toko.contoh.id/
        """);
    Upload csv = new Upload(parsed.campaigns(), parsed.problems(),
        found -> CsvRules.locate(found, parsed));

    admin.replace(csv, RuleStore.ANY_VERSION, false);

    assertThat(store.current().rules().campaigns().get(0).targeting().keywordsNone())
        .containsExactly("bencana", "perang", "banjir");
  }

  @Test void replace_jsonWithLists_replacesThemAndChangesCampaignsThatUseThem() throws Exception {
    var result = admin.replace(jsonUpload("{\"keywordLists\": {\"tragedi\": [\"gempa\"]}, "
        + "\"campaigns\": [" + campaign("c-bank", "@tragedi") + "]}"), RuleStore.ANY_VERSION, false);

    assertThat(result.changes().changed()).containsExactly("c-bank");
    assertThat(store.current().rules().campaigns().get(0).targeting().keywordsNone())
        .containsExactly("gempa");
  }

  @Test void upsert_listsByName_areMergedIntoTheCurrentOnes() throws Exception {
    admin.upsert(jsonUpload("{\"keywordLists\": {\"saham\": [\"ihsg\"]}, \"campaigns\": ["
        + campaign("c-sekuritas", "@saham") + "]}"), RuleStore.ANY_VERSION, false);

    JsonNode lists = store.current().document().get("keywordLists");
    assertThat(lists.has("tragedi")).isTrue();
    assertThat(lists.has("saham")).isTrue();
    assertThat(store.current().rules().campaigns()).hasSize(2);
  }

  @Test void upsert_changedListThatAnotherCampaignUses_reportsThatCampaignChanged()
      throws Exception {
    var result = admin.upsert(jsonUpload("{\"keywordLists\": {\"tragedi\": [\"bencana\"]}, "
        + "\"campaigns\": []}"), RuleStore.ANY_VERSION, false);

    assertThat(result.changes().changed()).containsExactly("c-bank");
  }

  @Test void replace_referenceToUnknownList_isA422ProblemAndChangesNothing() throws Exception {
    long before = store.current().version();

    InvalidRulesException e = catchThrowableOfType(InvalidRulesException.class, () ->
        admin.replace(jsonUpload("{\"campaigns\": [" + campaign("c-x", "@bencana-alam") + "]}"),
            RuleStore.ANY_VERSION, false));

    assertThat(e.problems()).extracting(Problem::campaign, Problem::field)
        .containsExactly(tuple("c-x", "targeting.keywords.none[0]"));
    assertThat(store.current().version()).isEqualTo(before);
  }

  @Test void replace_removingAListStillInUse_isAProblem() throws Exception {
    InvalidRulesException e = catchThrowableOfType(InvalidRulesException.class, () ->
        admin.replace(jsonUpload("{\"keywordLists\": {}, \"campaigns\": ["
            + campaign("c-bank", "@tragedi") + "]}"), RuleStore.ANY_VERSION, false));

    assertThat(e.problems()).extracting(Problem::field)
        .containsExactly("targeting.keywords.none[0]");
  }

  @Test void delete_keepsTheLists() throws Exception {
    admin.delete("c-bank", RuleStore.ANY_VERSION, false);

    assertThat(store.current().document().get("keywordLists").has("tragedi")).isTrue();
  }
}
