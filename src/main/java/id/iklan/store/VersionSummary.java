package id.iklan.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One entry of the version history: enough for ad ops to pick a version to roll back to.
 *
 * @param action what made the version: {@code initial}, {@code replace}, {@code upsert},
 *     {@code delete}, or {@code restore N}
 * @param campaigns how many campaigns it holds
 */
public record VersionSummary(long version, Instant savedAt, String action, int campaigns,
    Changes changes) {
  public VersionSummary {
    requireNonNull(savedAt, "savedAt");
    requireNonNull(action, "action");
    requireNonNull(changes, "changes");
  }
}
