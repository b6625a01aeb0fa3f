package id.iklan.tracking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The identity of one beacon, (kind, request id, slot id), as 128 bits of SHA-256: what the
 * replay guard remembers. Two longs take a fraction of the memory of the strings; a collision
 * (2<sup>-128</sup>) is not a practical concern.
 */
record Fingerprint(long high, long low) {
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  });

  static Fingerprint of(BeaconKind kind, String requestId, String slotId) {
    MessageDigest digest = SHA_256.get();
    digest.update((byte) kind.ordinal());
    update(digest, requestId);
    update(digest, slotId);
    ByteBuffer hash = ByteBuffer.wrap(digest.digest());
    return new Fingerprint(hash.getLong(), hash.getLong());
  }

  /** Length-prefixed, so that ("ab", "c") and ("a", "bc") differ. */
  private static void update(MessageDigest digest, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) (bytes.length >>> 24));
    digest.update((byte) (bytes.length >>> 16));
    digest.update((byte) (bytes.length >>> 8));
    digest.update((byte) bytes.length);
    digest.update(bytes);
  }
}
