package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

final class TokenSignerTest {
  private static final long NOW = 1_795_000_000L;
  private final TokenSigner signer = TokenSigner.fromText("rahasia-yang-cukup-panjang-untuk-uji");
  private final TrackingToken token = new TrackingToken("req-1", "top", "c-telco", "cr-728",
      "internasional", 7, NOW, NOW + 86_400);

  @Test
  void verify_signedToken_returnsItsFields() throws Exception {
    String text = signer.sign(token);

    assertThat(signer.verify(text, NOW + 10)).isEqualTo(token);
  }

  /**
   * Tokens issued before an upgrade must still verify after it, so the allocation-free writer
   * has to produce exactly the format first written with {@link DataOutputStream}: checked here
   * against that original encoding, for fields with ASCII, NUL, two- and three-byte characters
   * and lone surrogates.
   */
  @Test
  void writer_producesTheOriginalStreamFormat_forAnyText() throws Exception {
    String secret = "rahasia-yang-cukup-panjang-untuk-uji";
    TokenSigner.Writer writer = TokenSigner.fromText(secret).newWriter();
    SplittableRandom random = new SplittableRandom(11);
    String alphabet = "aZ09-_.~ \"\\\u0000\u007f\u0080\u00e9\u07ff\u0800\u20ac\ud83d\ude00\ud800";
    for (int i = 0; i < 500; i++) {
      long issuedAt = random.nextLong(-1L << 40, 1L << 40);
      TrackingToken t = new TrackingToken(text(random, alphabet, 40), text(random, alphabet, 130),
          text(random, alphabet, 20), text(random, alphabet, 20), text(random, alphabet, 10),
          random.nextLong(), issuedAt, issuedAt + 1 + random.nextInt(1_000_000));

      int length = writer.sign(t);

      String written = new String(writer.bytes(), 0, length, StandardCharsets.ISO_8859_1);
      assertThat(written).isEqualTo(streamFormat(secret, t)).isEqualTo(signer(secret).sign(t));
      assertThat(signer(secret).verify(written, t.issuedAt())).isEqualTo(t);
    }
  }

  private static TokenSigner signer(String secret) {
    return TokenSigner.fromText(secret);
  }

  private static String text(SplittableRandom random, String alphabet, int maxLength) {
    int[] points = alphabet.codePoints().toArray();
    StringBuilder out = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      out.appendCodePoint(points[random.nextInt(points.length)]);
    }
    return out.toString();
  }

  /** The token format as first written: DataOutputStream, then java.util.Base64. */
  private static String streamFormat(String secret, TrackingToken t) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeUTF(t.requestId());
      out.writeUTF(t.slotId());
      out.writeUTF(t.campaignId());
      out.writeUTF(t.creativeId());
      out.writeUTF(t.section());
      out.writeLong(t.ruleVersion());
      out.writeLong(t.issuedAt());
      out.writeInt((int) (t.expiresAt() - t.issuedAt()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(bytes.toByteArray());
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString(bytes.toByteArray()) + "."
        + base64.encodeToString(java.util.Arrays.copyOf(digest, 16));
  }

  @Test
  void sign_isUrlSafeWithoutEscaping() {
    assertThat(signer.sign(token)).matches("[A-Za-z0-9_\\-.]+");
  }

  @Test
  void verify_otherSecret_isRejected() {
    String forged = TokenSigner.fromText("rahasia-lain-yang-juga-panjang-sekali").sign(token);

    assertThatThrownBy(() -> signer.verify(forged, NOW)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void verify_alteredPayload_isRejected() {
    String text = signer.sign(token);
    int dot = text.indexOf('.');
    byte[] payload = Base64.getUrlDecoder().decode(text.substring(0, dot));
    payload[payload.length - 20] ^= 1;
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(payload)
        + text.substring(dot);

    assertThatThrownBy(() -> signer.verify(altered, NOW)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void verify_expiredToken_isRejected() {
    String text = signer.sign(token);

    assertThatThrownBy(() -> signer.verify(text, NOW + 86_400))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
  }

  @Test
  void verify_garbage_isRejectedWithoutOtherExceptions() {
    for (String garbage : new String[] {"", ".", "abc", "a.b.c", "!!!.???", "AQ.AQ",
        "x".repeat(5000), null}) {
      assertThatThrownBy(() -> signer.verify(garbage, NOW))
          .isInstanceOf(InvalidTokenException.class);
    }
  }

  @Test
  void constructor_shortSecret_isRefused() {
    assertThatThrownBy(() -> new TokenSigner(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
