package id.iklan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.JsonMapper;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.RuleSetReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileRuleStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"),
      ZoneOffset.UTC);
  private final ObjectMapper mapper = JsonMapper.create();
  private final RuleSetReader reader = new RuleSetReader(ZoneId.of("Asia/Jakarta"));
  @TempDir Path dataDir;

  private JsonNode rules(String... ids) throws Exception {
    StringBuilder json = new StringBuilder("{\"campaigns\":[");
    for (int i = 0; i < ids.length; i++) {
      json.append(i == 0 ? "" : ",").append("""
          {"id":"%s","advertiser":"Toko %s","tier":"house","start":"2026-01-01",
           "creatives":[{"id":"%s-cr","format":"image","size":[300,250],
             "imageUrl":"https://cdn.example/%s.png","clickUrl":"https://toko.example/%s"}]}
          """.formatted(ids[i], ids[i], ids[i], ids[i], ids[i]));
    }
    return mapper.readTree(json.append("]}").toString());
  }

  private FileRuleStore open(JsonNode seed, List<String> warnings) throws Exception {
    return FileRuleStore.open(dataDir, mapper, reader, CLOCK, () -> seed, warnings::add);
  }

  @Test
  void open_emptyDataDir_seedsVersionOne() throws Exception {
    try (FileRuleStore store = open(rules("promo-app"), new ArrayList<>())) {
      assertThat(store.current().version()).isEqualTo(1);
      assertThat(store.current().rules().campaigns()).extracting(c -> c.id())
          .containsExactly("promo-app");
    }
    assertThat(dataDir.resolve("rules/v0000000001.json")).exists();
  }

  @Test
  void open_existingVersions_servesTheNewestAndIgnoresTheSeed() throws Exception {
    try (FileRuleStore store = open(rules("a"), new ArrayList<>())) {
      JsonNode next = rules("b");
      store.save(next, reader.read(next), RuleStore.ANY_VERSION, "replace", Changes.NONE);
    }
    FileRuleStore.Seed failing = () -> {
      throw new java.io.IOException("the seed must not be read when versions exist");
    };
    try (FileRuleStore reopened =
        FileRuleStore.open(dataDir, mapper, reader, CLOCK, failing, line -> { })) {
      assertThat(reopened.current().version()).isEqualTo(2);
      assertThat(reopened.current().rules().campaigns()).extracting(c -> c.id())
          .containsExactly("b");
    }
  }

  @Test
  void open_tornNewestFile_reportsItAndServesTheLastGoodVersion() throws Exception {
    try (FileRuleStore store = open(rules("a"), new ArrayList<>())) {
      JsonNode next = rules("b");
      store.save(next, reader.read(next), RuleStore.ANY_VERSION, "replace", Changes.NONE);
    }
    Path newest = dataDir.resolve("rules/v0000000002.json");
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    List<String> warnings = new ArrayList<>();

    try (FileRuleStore reopened = open(null, warnings)) {
      assertThat(reopened.current().version()).isEqualTo(1);
      assertThat(warnings).singleElement().asString().contains("v0000000002.json");
      JsonNode next = rules("c");
      assertThat(reopened.save(next, reader.read(next), RuleStore.ANY_VERSION, "replace",
          Changes.NONE).version())
          .as("a new version never reuses the number of a damaged file").isEqualTo(3);
    }
  }

  @Test
  void open_leftoverTemporaryFile_isIgnored() throws Exception {
    try (FileRuleStore store = open(rules("a"), new ArrayList<>())) {
      Files.writeString(dataDir.resolve("rules/v0000000002.json.tmp"), "{\"half");
    }
    try (FileRuleStore reopened = open(null, new ArrayList<>())) {
      assertThat(reopened.current().version()).isEqualTo(1);
    }
  }

  @Test
  void open_invalidSeed_failsWithTheProblems() {
    assertThatThrownBy(() -> open(mapper.readTree("{\"campaigns\":[{\"id\":\"x\"}]}"),
        new ArrayList<>()))
        .isInstanceOf(InvalidRulesException.class);
    assertThat(dataDir.resolve("rules/v0000000001.json")).doesNotExist();
  }
}
