package id.iklan.store;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.rules.RuleSet;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Durable, numbered versions of the rule set. Implementations are blocking: call them off the
 * event loop. The embedded implementation is {@link FileRuleStore}; {@link PgRuleStore} keeps
 * the versions on PostgreSQL, shared by several servers.
 *
 * <p>A shared store can be unreachable: then its methods throw {@link StoreUnavailableException}
 * and {@link #current()} still answers the last version this server knew.
 */
public interface RuleStore extends AutoCloseable {
  /** For {@link #save}: write whatever the current version is. */
  long ANY_VERSION = -1;

  /** The newest good version this server knows; never blocks. */
  RuleVersion current();

  /**
   * The newest good version in the store, read again when other servers can write to it (the
   * embedded store only has this server's writes: {@link #current()}).
   */
  default RuleVersion refresh() throws IOException {
    return current();
  }

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
  List<VersionSummary> history() throws IOException;

  /** A kept version, or empty when it never existed or is no longer kept. */
  Optional<RuleVersion> version(long version) throws IOException;

  @Override
  void close();
}
