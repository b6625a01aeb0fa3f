package id.iklan.tracking;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies tracking tokens: {@code base64url(payload) "." base64url(mac)}, where the
 * payload is a small binary encoding of the token's fields and the mac is HMAC-SHA256 over it,
 * truncated to 128 bits (as RFC 2104 allows; 128 bits leave no room for forgery). Compact and
 * URL-safe without escaping. Verification compares in constant time.
 */
public final class TokenSigner {
  private static final byte FORMAT = 1;
  private static final int MAC_BYTES = 16;
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** Tokens longer than this are not ours; refuse before decoding anything. */
  private static final int MAX_TOKEN_LENGTH = 2_048;

  private final SecretKeySpec key;
  private final ThreadLocal<Writer> writers;

  public TokenSigner(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the tracking secret must have at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.writers = ThreadLocal.withInitial(this::newWriter);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** A secret given as text (configuration or environment) becomes its UTF-8 bytes. */
  public static TokenSigner fromText(String secret) {
    return new TokenSigner(secret.getBytes(StandardCharsets.UTF_8));
  }

  public String sign(TrackingToken token) {
    Writer writer = writers.get();
    int length = writer.sign(token);
    return new String(writer.bytes(), 0, length, StandardCharsets.ISO_8859_1);
  }

  /**
   * A signer for one thread (an event loop), with its own {@link Mac} and buffers: signing
   * allocates nothing, and the token is left in {@link #bytes()} as ASCII.
   */
  public Writer newWriter() {
    return new Writer(newMac());
  }

  /**
   * The token's fields if {@code text} is a token this signer issued and it has not expired at
   * {@code nowSeconds}.
   *
   * @throws InvalidTokenException for anything else: malformed, forged, altered or expired
   */
  public TrackingToken verify(String text, long nowSeconds) throws InvalidTokenException {
    if (text == null || text.isEmpty() || text.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("missing or malformed token");
    }
    int dot = text.indexOf('.');
    if (dot <= 0 || dot != text.lastIndexOf('.')) {
      throw new InvalidTokenException("malformed token");
    }
    byte[] payload;
    byte[] mac;
    try {
      payload = DECODER.decode(text.substring(0, dot));
      mac = DECODER.decode(text.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("malformed token");
    }
    if (!MessageDigest.isEqual(mac(payload), mac)) {
      throw new InvalidTokenException("token signature does not match");
    }
    TrackingToken token = decode(payload);
    if (nowSeconds >= token.expiresAt()) {
      throw new InvalidTokenException("token has expired");
    }
    return token;
  }

  private byte[] mac(byte[] payload) {
    return Arrays.copyOf(writers.get().mac.doFinal(payload), MAC_BYTES);
  }

  /**
   * Signs tokens into buffers of its own; not thread-safe (one per event loop). The payload is
   * the layout {@link DataOutputStream} writes ({@code writeUTF} strings, big-endian numbers),
   * written by hand so that nothing is allocated, and read back by {@link #decode}.
   */
  public static final class Writer {
    private static final byte[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final byte[] digest = new byte[32];
    private byte[] payload = new byte[256];
    private int length;
    private byte[] token = new byte[512];

    private Writer(Mac mac) {
      this.mac = mac;
    }

    /** Signs {@code t}; the token is the first returned-count bytes of {@link #bytes()}. */
    public int sign(TrackingToken t) {
      return sign(t.requestId(), t.slotId(), t.campaignId(), t.creativeId(), t.section(),
          t.ruleVersion(), t.issuedAt(), t.expiresAt());
    }

    /**
     * {@link #sign(TrackingToken)} of a token with these fields, without building it: an answer
     * signs one per ad, and the record did not stay off the heap.
     */
    public int sign(String requestId, String slotId, String campaignId, String creativeId,
        String section, long ruleVersion, long issuedAt, long expiresAt) {
      if (expiresAt <= issuedAt) {
        throw new IllegalArgumentException("a token expires after it is issued");
      }
      length = 0;
      put(FORMAT);
      putUtf(requestId);
      putUtf(slotId);
      putUtf(campaignId);
      putUtf(creativeId);
      putUtf(section);
      putLong(ruleVersion);
      putLong(issuedAt);
      putInt((int) (expiresAt - issuedAt));
      mac.update(payload, 0, length);
      try {
        mac.doFinal(digest, 0);
      } catch (javax.crypto.ShortBufferException e) {
        throw new IllegalStateException("an HMAC-SHA256 digest is 32 bytes", e);
      }
      int needed = (length + 2) / 3 * 4 + 1 + 22;
      if (token.length < needed) {
        token = new byte[Math.max(needed, token.length * 2)];
      }
      int end = base64(payload, length, token, 0);
      token[end++] = '.';
      return base64(digest, MAC_BYTES, token, end);
    }

    /** The last token signed, as ASCII; overwritten by the next {@link #sign}. */
    public byte[] bytes() {
      return token;
    }

    private void put(int b) {
      if (length == payload.length) {
        payload = Arrays.copyOf(payload, payload.length * 2);
      }
      payload[length++] = (byte) b;
    }

    /** {@link DataOutputStream#writeUTF}: a length, then modified UTF-8. */
    private void putUtf(String s) {
      int n = s.length();
      int start = length;
      if (payload.length < start + 2 + 3 * n) {
        payload = Arrays.copyOf(payload, Math.max(payload.length * 2, start + 2 + 3 * n));
      }
      // Ids, sections and request ids are ASCII: one byte per char, no capacity check per byte
      // (this loop was 4.5% of the event loops' time at saturation, with one check per byte).
      int at = start + 2;
      int i = 0;
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c == 0 || c > 0x7F) {
          break;
        }
        payload[at++] = (byte) c;
      }
      length = at;
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x0001 && c <= 0x007F) {
          put(c);
        } else if (c > 0x07FF) {
          put(0xE0 | (c >> 12) & 0x0F);
          put(0x80 | (c >> 6) & 0x3F);
          put(0x80 | c & 0x3F);
        } else {
          put(0xC0 | (c >> 6) & 0x1F);
          put(0x80 | c & 0x3F);
        }
      }
      int bytes = length - start - 2;
      if (bytes > 0xFFFF) {
        throw new IllegalArgumentException("a token field is longer than 65535 bytes");
      }
      payload[start] = (byte) (bytes >>> 8);
      payload[start + 1] = (byte) bytes;
    }

    private void putLong(long v) {
      putInt((int) (v >>> 32));
      putInt((int) v);
    }

    private void putInt(int v) {
      put(v >>> 24);
      put(v >>> 16);
      put(v >>> 8);
      put(v);
    }

    /** Base64url without padding (RFC 4648 §5) of {@code in[0, n)} at {@code out[at]}. */
    private static int base64(byte[] in, int n, byte[] out, int at) {
      int i = 0;
      for (; i + 3 <= n; i += 3) {
        int bits = (in[i] & 0xFF) << 16 | (in[i + 1] & 0xFF) << 8 | (in[i + 2] & 0xFF);
        out[at++] = ALPHABET[bits >>> 18];
        out[at++] = ALPHABET[bits >>> 12 & 0x3F];
        out[at++] = ALPHABET[bits >>> 6 & 0x3F];
        out[at++] = ALPHABET[bits & 0x3F];
      }
      if (n - i == 1) {
        int bits = (in[i] & 0xFF) << 16;
        out[at++] = ALPHABET[bits >>> 18];
        out[at++] = ALPHABET[bits >>> 12 & 0x3F];
      } else if (n - i == 2) {
        int bits = (in[i] & 0xFF) << 16 | (in[i + 1] & 0xFF) << 8;
        out[at++] = ALPHABET[bits >>> 18];
        out[at++] = ALPHABET[bits >>> 12 & 0x3F];
        out[at++] = ALPHABET[bits >>> 6 & 0x3F];
      }
      return at;
    }
  }

  private static TrackingToken decode(byte[] payload) throws InvalidTokenException {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
      if (in.readByte() != FORMAT) {
        throw new InvalidTokenException("unknown token format");
      }
      String requestId = in.readUTF();
      String slotId = in.readUTF();
      String campaignId = in.readUTF();
      String creativeId = in.readUTF();
      String section = in.readUTF();
      long version = in.readLong();
      long issuedAt = in.readLong();
      long lifetime = in.readInt();
      if (in.available() != 0 || lifetime <= 0) {
        throw new InvalidTokenException("malformed token");
      }
      return new TrackingToken(requestId, slotId, campaignId, creativeId, section, version,
          issuedAt, issuedAt + lifetime);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidTokenException("malformed token");
    }
  }
}
