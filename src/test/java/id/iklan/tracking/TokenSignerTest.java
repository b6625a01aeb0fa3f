package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
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
