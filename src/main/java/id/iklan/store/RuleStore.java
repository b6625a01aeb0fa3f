package id.iklan.store;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.rules.RuleSet;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Durable, numbered versions of the rule set. Implementations are blocking: call them off the
 * event loop. The embedded implementation is {@link FileRuleStore}.
 */
public interface RuleStore extends AutoCloseable {
  /** For {@link #save}: write whatever the current version is. */
  long ANY_VERSION = -1;

  /** The newest good version. */
  RuleVersion current();

  /**
   * Stores {@code rules} (already validated, read from {@code document}) as the next version and
   * returns it once it is durable: it survives a crash right after this returns.
   *
   * @param expectedVersion the version the writer based its change on, or {@link #ANY_VERSION}
   * @param action what made this version, for the history
   * @throws VersionConflictException when the current version is not {@code expectedVersion}
   */
  RuleVersion save(JsonNode document, RuleSet rules, long expectedVersion, String action,
      Changes changes) throws IOException, VersionConflictException;

  /** The kept versions, newest first. */
  List<VersionSummary> history();

  /** A kept version, or empty when it never existed or is no longer kept. */
  Optional<RuleVersion> version(long version) throws IOException;

  @Override
  void close();
}
