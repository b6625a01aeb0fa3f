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
import id.iklan.store.StoreUnavailableException;
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
    JsonNode uploadedLists = upload.keywordLists();
    validateUpload(upload, uploadedLists != null ? uploadedLists : currentLists());
    return write(base -> document(upload.campaigns(),
        uploadedLists != null ? uploadedLists : listsOf(base.document())),
        expectedVersion, dryRun, "replace");
  }

  /** {@code POST}: uploaded campaigns replace those with the same id; new ids are added. */
  public synchronized WriteResult upsert(Upload upload, long expectedVersion, boolean dryRun)
      throws InvalidRulesException, VersionConflictException, IOException {
    checkVersion(expectedVersion);
    validateUpload(upload, mergedLists(currentLists(), upload.keywordLists()));
    try {
      return write(base -> {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode campaign : campaignsOf(base.document())) {
          byId.put(campaign.path("id").asText(), campaign);
        }
        for (JsonNode campaign : upload.campaigns()) {
          byId.put(campaign.path("id").asText(), campaign);
        }
        ArrayNode merged = mapper.createArrayNode();
        byId.values().forEach(merged::add);
        return document(merged, mergedLists(listsOf(base.document()), upload.keywordLists()));
      }, expectedVersion, dryRun, "upsert");
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
    try {
      return write(base -> {
      ArrayNode remaining = mapper.createArrayNode();
      boolean found = false;
      for (JsonNode campaign : campaignsOf(base.document())) {
        if (id.equals(campaign.path("id").asText(null))) {
          found = true;
        } else {
          remaining.add(campaign);
        }
      }
      if (!found) {
        throw new CampaignNotFoundException("there is no campaign \"" + id + "\"");
      }
      return document(remaining, listsOf(base.document()));
      }, expectedVersion, dryRun, "delete");
    } catch (NotFound e) {
      throw e.missing;
    }
  }

  /** Carries a missing campaign out of a {@link Change}. */
  private static final class NotFound extends RuntimeException {
    final CampaignNotFoundException missing;

    NotFound(CampaignNotFoundException missing) {
      super(missing.getMessage(), null, false, false);
      this.missing = missing;
    }
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
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (IOException e) {
      throw new CampaignNotFoundException("version " + version + " cannot be restored: its file "
          + "is damaged; pick another version from /v1/admin/versions");
    }
    return write(base -> old.document(), expectedVersion, dryRun, "restore " + version);
  }

  /**
   * Loads a version written by another server (shared store) and publishes it, compiled, for
   * the next ad request. Blocking; called by the follower on a worker thread.
   *
   * @return whether a newer version was published
   */
  public synchronized boolean catchUp() throws IOException {
    RuleVersion latest = store.refresh();
    if (latest.version() <= live.current().version()) {
      return false;
    }
    publish(latest);
    return true;
  }

  /** What a write makes of the newest stored version. */
  @FunctionalInterface
  private interface Change {
    JsonNode apply(RuleVersion base) throws CampaignNotFoundException;
  }

  /** How often an unconditional write is tried again when another server wrote in between. */
  private static final int ATTEMPTS = 5;

  /**
   * Applies {@code change} to the newest stored version and saves the result, conditionally on
   * that version, so that a change never silently drops another server's write: an
   * unconditional write that loses the race is applied again to the newer version, a
   * conditional one ({@code If-Match}) answers the conflict.
   */
  private WriteResult write(Change change, long expectedVersion, boolean dryRun, String action)
      throws InvalidRulesException, VersionConflictException, IOException {
    for (int attempt = 1; ; attempt++) {
      RuleVersion base = store.refresh();
      if (expectedVersion != RuleStore.ANY_VERSION && expectedVersion != base.version()) {
        throw new VersionConflictException(expectedVersion, base.version());
      }
      JsonNode document;
      try {
        document = change.apply(base);
      } catch (CampaignNotFoundException e) {
        throw new NotFound(e);
      }
      RuleSet rules = reader.read(document);
      Changes changes = Changes.between(base.rules(), rules);
      if (dryRun) {
        return new WriteResult(base.version(), changes, true);
      }
      RuleVersion saved;
      try {
        saved = store.save(document, rules, base.version(), action, changes);
      } catch (VersionConflictException e) {
        if (expectedVersion != RuleStore.ANY_VERSION || attempt >= ATTEMPTS) {
          throw e;
        }
        continue;
      }
      publish(saved);
      return new WriteResult(saved.version(), changes, false);
    }
  }

  /** Compiles and publishes {@code version} unless a newer one is already live. */
  private void publish(RuleVersion version) {
    counters.load(version.rules().campaigns().stream().map(c -> c.id()).toList());
    CompiledRules compiled = CompiledRules.compile(version.rules(), version.version(), counters);
    live.publishIfNewer(compiled);
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

  private void checkVersion(long expectedVersion) throws VersionConflictException, IOException {
    if (expectedVersion == RuleStore.ANY_VERSION) {
      return;
    }
    long current = store.refresh().version();
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
    return listsOf(store.current().document());
  }

  private static JsonNode listsOf(JsonNode document) {
    JsonNode lists = document.get("keywordLists");
    return lists == null || lists.isNull() ? null : lists;
  }

  /** {@code current} with the lists of {@code uploaded} added or replaced by name. */
  private static JsonNode mergedLists(JsonNode current, JsonNode uploaded) {
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
