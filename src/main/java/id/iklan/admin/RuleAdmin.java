package id.iklan.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.iklan.delivery.DeliveryCounters;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.Problem;
import id.iklan.rules.RuleSet;
import id.iklan.rules.RuleSetReader;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.store.Changes;
import id.iklan.store.RuleStore;
import id.iklan.store.RuleVersion;
import id.iklan.store.VersionConflictException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every change ad ops make to the rules: validated as a whole before anything changes, stored
 * durably as a new version, then compiled and published for the next ad request.
 *
 * <p>Writes are serialised (one at a time) and blocking: call them off the event loop. Ad
 * requests keep reading the previous snapshot while a new one compiles, and switch to the new one
 * in a single volatile write, so no request waits and none sees a mix of versions. The order is
 * validate, store, compile, publish: a write that fails validation or storage changes nothing.
 *
 * <p><b>Keyword lists</b> (the document's top-level {@code keywordLists}) are kept across writes
 * that do not mention them: a CSV upload (which cannot hold them), a JSON upload without the
 * member, a delete. A {@code PUT} whose JSON has {@code keywordLists} replaces them all (write
 * {@code {}} to remove them); a {@code POST} adds or replaces the lists it names. Uploaded
 * campaigns' {@code @name} references resolve against the lists in force after the write.
 */
public final class RuleAdmin {
  private final RuleStore store;
  private final RuleSetReader reader;
  private final DeliveryCounters counters;
  private final LiveRules live;
  private final ObjectMapper mapper;

  public RuleAdmin(RuleStore store, RuleSetReader reader, DeliveryCounters counters,
      LiveRules live, ObjectMapper mapper) {
    this.store = store;
    this.reader = reader;
    this.counters = counters;
    this.live = live;
    this.mapper = mapper;
  }

  /**
   * What a write did (or, for a dry run, would do).
   *
   * @param version the new version, or the unchanged current one for a dry run
   */
  public record WriteResult(long version, Changes changes, boolean dryRun) {}

  /** The current version. */
  public RuleVersion current() {
    return store.current();
  }

  public RuleStore store() {
    return store;
  }

  /** The stored JSON of one campaign of the current version. */
  public Optional<JsonNode> campaign(String id) {
    for (JsonNode campaign : campaignsOf(store.current().document())) {
      if (id.equals(campaign.path("id").asText(null))) {
        return Optional.of(campaign);
      }
    }
    return Optional.empty();
  }

  /** {@code PUT}: the upload becomes the whole rule set. */
  public synchronized WriteResult replace(Upload upload, long expectedVersion, boolean dryRun)
      throws InvalidRulesException, VersionConflictException, IOException {
    checkVersion(expectedVersion);
    JsonNode lists = upload.keywordLists() != null ? upload.keywordLists() : currentLists();
    validateUpload(upload, lists);
    return write(document(upload.campaigns(), lists), expectedVersion, dryRun, "replace");
  }

  /** {@code POST}: uploaded campaigns replace those with the same id; new ids are added. */
  public synchronized WriteResult upsert(Upload upload, long expectedVersion, boolean dryRun)
      throws InvalidRulesException, VersionConflictException, IOException {
    checkVersion(expectedVersion);
    JsonNode lists = mergedLists(currentLists(), upload.keywordLists());
    validateUpload(upload, lists);
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode campaign : campaignsOf(store.current().document())) {
      byId.put(campaign.path("id").asText(), campaign);
    }
    for (JsonNode campaign : upload.campaigns()) {
      byId.put(campaign.path("id").asText(), campaign);
    }
    ArrayNode merged = mapper.createArrayNode();
    byId.values().forEach(merged::add);
    try {
      return write(document(merged, lists), expectedVersion, dryRun, "upsert");
    } catch (InvalidRulesException e) {
      // a clash with campaigns already live (e.g. a creative id): name the upload's own lines
      throw new InvalidRulesException(upload.locate().apply(e.problems()));
    }
  }

  /** {@code DELETE}: removes one campaign. */
  public synchronized WriteResult delete(String id, long expectedVersion, boolean dryRun)
      throws InvalidRulesException, VersionConflictException, IOException,
      CampaignNotFoundException {
    checkVersion(expectedVersion);
    ArrayNode remaining = mapper.createArrayNode();
    boolean found = false;
    for (JsonNode campaign : campaignsOf(store.current().document())) {
      if (id.equals(campaign.path("id").asText(null))) {
        found = true;
      } else {
        remaining.add(campaign);
      }
    }
    if (!found) {
      throw new CampaignNotFoundException("there is no campaign \"" + id + "\"");
    }
    return write(document(remaining, currentLists()), expectedVersion, dryRun, "delete");
  }

  /** Makes a new version with the rules of an earlier one. */
  public synchronized WriteResult restore(long version, long expectedVersion, boolean dryRun)
      throws InvalidRulesException, VersionConflictException, IOException,
      CampaignNotFoundException {
    checkVersion(expectedVersion);
    RuleVersion old;
    try {
      old = store.version(version).orElseThrow(() -> new CampaignNotFoundException(
          "there is no version " + version + " (kept versions are listed at /v1/admin/versions)"));
    } catch (IOException e) {
      throw new CampaignNotFoundException("version " + version + " cannot be restored: its file "
          + "is damaged; pick another version from /v1/admin/versions");
    }
    return write(old.document(), expectedVersion, dryRun, "restore " + version);
  }

  private WriteResult write(JsonNode document, long expectedVersion, boolean dryRun,
      String action) throws InvalidRulesException, VersionConflictException, IOException {
    RuleSet rules = reader.read(document);
    RuleVersion before = store.current();
    Changes changes = Changes.between(before.rules(), rules);
    if (dryRun) {
      return new WriteResult(before.version(), changes, true);
    }
    RuleVersion saved = store.save(document, rules, expectedVersion, action, changes);
    live.publish(CompiledRules.compile(saved.rules(), saved.version(), counters));
    return new WriteResult(saved.version(), changes, false);
  }

  /**
   * Problems of the upload on its own, placed in its own terms (index or CSV line), its
   * {@code @name} references resolved against {@code lists} (the lists after the write).
   */
  private void validateUpload(Upload upload, JsonNode lists) throws InvalidRulesException {
    List<Problem> problems = new ArrayList<>(upload.problems());
    Map<String, List<String>> keywordLists = reader.readKeywordLists(lists, problems);
    List<Problem> found = new ArrayList<>();
    reader.readCampaigns(upload.campaigns(), keywordLists, found, index -> null);
    problems.addAll(upload.locate().apply(found));
    if (!problems.isEmpty()) {
      throw new InvalidRulesException(problems);
    }
  }

  private void checkVersion(long expectedVersion) throws VersionConflictException {
    long current = store.current().version();
    if (expectedVersion != RuleStore.ANY_VERSION && expectedVersion != current) {
      throw new VersionConflictException(expectedVersion, current);
    }
  }

  private ObjectNode document(JsonNode campaigns, JsonNode keywordLists) {
    ObjectNode document = mapper.createObjectNode();
    if (keywordLists != null && !(keywordLists.isObject() && keywordLists.isEmpty())) {
      document.set("keywordLists", keywordLists);
    }
    document.set("campaigns", campaigns);
    return document;
  }

  /** The keyword lists of the current version, or null when it has none. */
  private JsonNode currentLists() {
    JsonNode lists = store.current().document().get("keywordLists");
    return lists == null || lists.isNull() ? null : lists;
  }

  /** {@code current} with the lists of {@code uploaded} added or replaced by name. */
  private JsonNode mergedLists(JsonNode current, JsonNode uploaded) {
    if (uploaded == null) {
      return current;
    }
    if (current == null || !current.isObject() || !uploaded.isObject()) {
      return uploaded; // a malformed upload is reported as it is
    }
    ObjectNode merged = current.deepCopy();
    uploaded.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
    return merged;
  }

  private static Iterable<JsonNode> campaignsOf(JsonNode document) {
    JsonNode campaigns = document.path("campaigns");
    return campaigns.isArray() ? campaigns : List.of();
  }
}
