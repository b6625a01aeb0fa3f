package id.iklan.tracking;

import static java.util.Objects.requireNonNull;

/**
 * What an impression or click URL vouches for: one ad served in one slot of one request, under
 * one rule version, valid from {@code issuedAt} until {@code expiresAt} (epoch seconds).
 * {@code section} is the serving page's section, or empty when it had none.
 */
public record TrackingToken(String requestId, String slotId, String campaignId,
    String creativeId, String section, long ruleVersion, long issuedAt, long expiresAt) {
  public TrackingToken {
    requireNonNull(requestId, "requestId");
    requireNonNull(slotId, "slotId");
    requireNonNull(campaignId, "campaignId");
    requireNonNull(creativeId, "creativeId");
    requireNonNull(section, "section");
    if (expiresAt <= issuedAt) {
      throw new IllegalArgumentException("a token expires after it is issued");
    }
  }
}
