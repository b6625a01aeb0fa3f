package id.iklan.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>} against the admin token. Both sides are hashed
 * before the constant-time comparison, so neither the content nor the length of the token leaks
 * through timing.
 */
final class AdminAuth {
  private static final String BEARER = "bearer ";
  private final byte[] expectedHash;

  AdminAuth(String adminToken) {
    this.expectedHash = sha256(adminToken);
  }

  boolean isAdmin(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    String token = authorization.substring(BEARER.length()).trim();
    return MessageDigest.isEqual(expectedHash, sha256(token));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
