package id.iklan.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.rules.RuleSetReader;
import id.iklan.shared.Health;
import id.iklan.store.Changes;
import id.iklan.store.PgRuleStore;
import id.iklan.store.RuleStore;
import id.iklan.store.VersionConflictException;
import id.iklan.store.VersionSummary;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL rule store on its own, two stores standing for two servers on one database:
 * the guarantees of the embedded store (numbered versions, history, conditional save) hold
 * across them.
 */
final class PgRuleStoreTest {
  private final ObjectMapper mapper = new ObjectMapper();
  private final RuleSetReader reader = new RuleSetReader(ZoneId.of("Asia/Jakarta"));
  private final List<String> warnings = new ArrayList<>();
  private TestDatabase database;
  private Vertx vertx;

  @BeforeEach
  void database() {
    database = TestDatabase.create();
    assumeTrue(database != null,
        "PostgreSQL is not reachable on 127.0.0.1:5432: scale tests skipped (.ci/run starts it)");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void drop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (database != null) {
      database.close();
    }
  }

  private PgRuleStore open(JsonNode seed, int depth) throws Exception {
    return PgRuleStore.open(vertx, database.url(), mapper, reader, Clock.systemUTC(),
        () -> seed, depth, warnings::add, new Health(line -> { }).add("postgres"));
  }

  private JsonNode rules(String... ids) throws Exception {
    StringBuilder campaigns = new StringBuilder();
    for (String id : ids) {
      campaigns.append(campaigns.length() == 0 ? "" : ",").append("""
          {"id": "%s", "advertiser": "A %s", "tier": "standard", "start": "2026-01-01T00:00:00Z",
           "creatives": [{"id": "cr-%s", "format": "image", "size": [300, 250],
             "imageUrl": "https://cdn.contoh.id/a.png", "clickUrl": "https://contoh.id/"}]}
          """.formatted(id, id, id));
    }
    return mapper.readTree("{\"campaigns\": [" + campaigns + "]}");
  }

  private long save(RuleStore store, JsonNode document, long expected) throws Exception {
    return store.save(document, reader.read(document), expected, "replace", Changes.NONE)
        .version();
  }

  @Test
  void open_twoServersAtOnce_seedOnceAndMigrateOnce() throws Exception {
    JsonNode seed = rules("seed");
    CompletableFuture<PgRuleStore> a = CompletableFuture.supplyAsync(() -> openQuietly(seed));
    CompletableFuture<PgRuleStore> b = CompletableFuture.supplyAsync(() -> openQuietly(seed));
    try (PgRuleStore first = a.join(); PgRuleStore second = b.join()) {
      assertThat(first.current().version()).isEqualTo(1);
      assertThat(second.current().version()).isEqualTo(1);
      assertThat(first.history()).hasSize(1);
      assertThat(first.history().get(0).action()).isEqualTo("initial");
    }
    try (PgRuleStore again = open(rules("ignored"), 50)) {
      assertThat(again.current().rules().campaigns().get(0).id()).isEqualTo("seed");
    }
  }

  private PgRuleStore openQuietly(JsonNode seed) {
    try {
      return open(seed, 50);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void save_conditionalOnAVersionAnotherServerReplaced_conflicts() throws Exception {
    try (PgRuleStore a = open(rules("a"), 50); PgRuleStore b = open(null, 50)) {
      assertThat(save(b, rules("b"), 1)).isEqualTo(2);

      assertThatThrownBy(() -> save(a, rules("a2"), 1))
          .isInstanceOf(VersionConflictException.class)
          .satisfies(e -> assertThat(((VersionConflictException) e).current()).isEqualTo(2));
      assertThat(a.refresh().version()).as("a learns of b's version").isEqualTo(2);
      assertThat(save(a, rules("a2"), 2)).isEqualTo(3);
      assertThat(save(b, rules("b3"), RuleStore.ANY_VERSION)).isEqualTo(4);
      assertThat(b.refresh().rules().campaigns().get(0).id()).isEqualTo("b3");
    }
  }

  @Test
  void history_keepsTheNewestDepthVersions_andNeverReusesANumber() throws Exception {
    try (PgRuleStore store = open(rules("v1"), 3)) {
      for (int i = 2; i <= 5; i++) {
        save(store, rules("v" + i), RuleStore.ANY_VERSION);
      }
      assertThat(store.history()).extracting(VersionSummary::version).containsExactly(5L, 4L, 3L);
      assertThat(store.version(2)).isEmpty();
      assertThat(store.version(3).orElseThrow().rules().campaigns().get(0).id()).isEqualTo("v3");
      assertThat(save(store, rules("v6"), 5)).isEqualTo(6);
    }
  }

  @Test
  void open_newestVersionUnreadable_servesTheNewestGoodOne_andSavesAfterIt() throws Exception {
    try (PgRuleStore store = open(rules("good"), 50)) {
      save(store, rules("good-2"), RuleStore.ANY_VERSION);
    }
    database.execute("UPDATE iklan_rule_versions SET document = "
        + "'{\"campaigns\": [{\"id\": \"bad\"}]}' WHERE version = 2");

    try (PgRuleStore reopened = open(null, 50)) {
      assertThat(reopened.current().version()).isEqualTo(1);
      assertThat(warnings).anySatisfy(w -> assertThat(w).contains("rule version 2"));
      assertThat(save(reopened, rules("good-3"), RuleStore.ANY_VERSION)).isEqualTo(3);
    }
  }

  @Test
  void sharedSecret_isTheSameForEveryServer() throws Exception {
    try (PgRuleStore a = open(rules("a"), 50); PgRuleStore b = open(null, 50)) {
      String secret = a.sharedSecret("secret");
      assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
      assertThat(b.sharedSecret("secret")).isEqualTo(secret);
      assertThat(b.sharedSecret("admin-token")).isNotEqualTo(secret);
    }
  }
}
