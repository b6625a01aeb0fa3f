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
 */
public record Upload(JsonNode campaigns, List<Problem> problems, UnaryOperator<List<Problem>> locate) {
  public Upload {
    requireNonNull(campaigns, "campaigns");
    problems = List.copyOf(problems);
    requireNonNull(locate, "locate");
    if (!campaigns.isArray()) {
      throw new IllegalArgumentException("campaigns must be a JSON array");
    }
  }

  /** Campaigns from a JSON body: problems already name indexes and fields of that body. */
  public static Upload json(JsonNode campaigns) {
    return new Upload(campaigns, List.of(), UnaryOperator.identity());
  }
}
