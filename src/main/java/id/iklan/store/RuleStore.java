package id.iklan.store;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.rules.RuleSet;
import java.io.IOException;

/**
 * Durable, numbered versions of the rule set. Implementations are blocking: call them off the
 * event loop. The embedded implementation is {@link FileRuleStore}.
 */
public interface RuleStore extends AutoCloseable {
  /** The newest good version. */
  RuleVersion current();

  /**
   * Stores {@code rules} (already validated, read from {@code document}) as the next version and
   * returns it once it is durable.
   */
  RuleVersion save(JsonNode document, RuleSet rules) throws IOException;

  @Override
  void close();
}
