package id.iklan.tracking;

import java.io.ByteArrayOutputStream;
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
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** Tokens longer than this are not ours; refuse before decoding anything. */
  private static final int MAX_TOKEN_LENGTH = 2_048;

  private final ThreadLocal<Mac> macs;

  public TokenSigner(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the tracking secret must have at least 16 bytes");
    }
    SecretKeySpec key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
      }
    });
  }

  /** A secret given as text (configuration or environment) becomes its UTF-8 bytes. */
  public static TokenSigner fromText(String secret) {
    return new TokenSigner(secret.getBytes(StandardCharsets.UTF_8));
  }

  public String sign(TrackingToken token) {
    byte[] payload = encode(token);
    byte[] mac = mac(payload);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac);
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
    return Arrays.copyOf(macs.get().doFinal(payload), MAC_BYTES);
  }

  private static byte[] encode(TrackingToken token) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(token.requestId());
      out.writeUTF(token.slotId());
      out.writeUTF(token.campaignId());
      out.writeUTF(token.creativeId());
      out.writeUTF(token.section());
      out.writeLong(token.ruleVersion());
      out.writeLong(token.issuedAt());
      out.writeInt((int) (token.expiresAt() - token.issuedAt()));
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
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
