package id.iklan.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.rules.RuleSet;
import java.time.Instant;

/**
 * One stored, numbered version of the rules: the document as ad ops wrote it (so it can be
 * handed back unchanged) and the rule set read from it.
 */
public record RuleVersion(long version, Instant savedAt, JsonNode document, RuleSet rules) {
  public RuleVersion {
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1");
    }
    requireNonNull(savedAt, "savedAt");
    requireNonNull(document, "document");
    requireNonNull(rules, "rules");
  }
}
