package id.iklan.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.rules.Problem;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Campaigns as uploaded, before validation: a JSON list of campaign objects (from a JSON body, or
 * converted from CSV), the problems found while converting, and how to re-place the validator's
 * problems in the uploaded source (CSV lines and columns instead of list indexes and JSON paths).
 *
 * @param keywordLists the upload's {@code keywordLists} object, or {@code null} when it has none
 *     (a CSV never has: the rule set's current lists stay, see {@link RuleAdmin})
 */
public record Upload(JsonNode campaigns, JsonNode keywordLists, List<Problem> problems,
    UnaryOperator<List<Problem>> locate) {
  public Upload {
    requireNonNull(campaigns, "campaigns");
    problems = List.copyOf(problems);
    requireNonNull(locate, "locate");
    if (!campaigns.isArray()) {
      throw new IllegalArgumentException("campaigns must be a JSON array");
    }
  }

  /** Campaigns without keyword lists, with problems found while converting them. */
  public Upload(JsonNode campaigns, List<Problem> problems, UnaryOperator<List<Problem>> locate) {
    this(campaigns, null, problems, locate);
  }

  /** Campaigns from a JSON body: problems already name indexes and fields of that body. */
  public static Upload json(JsonNode campaigns) {
    return json(campaigns, null);
  }

  /** A JSON rule document's campaigns and, when it has them, its keyword lists. */
  public static Upload json(JsonNode campaigns, JsonNode keywordLists) {
    return new Upload(campaigns, keywordLists == null || keywordLists.isNull() ? null
        : keywordLists, List.of(), UnaryOperator.identity());
  }
}
