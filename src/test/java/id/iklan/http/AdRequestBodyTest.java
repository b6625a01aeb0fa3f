package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How {@code POST /v1/ads} reads its body (it reads it itself, without Vert.x Web's body
 * handler): in one piece or several, with {@code Expect: 100-continue}, and what it refuses
 * before reading.
 */
final class AdRequestBodyTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();

  private static final byte[] BODY =
      Fixture.oneSlot("ekonomi", "kotak").getBytes(StandardCharsets.UTF_8);

  @Test
  void ads_bodyArrivingInThreePieces_isAnsweredLikeOneInOnePiece() throws Exception {
    byte[] request = RawHttp.request("POST", "/v1/ads", "application/json", BODY);
    int head = request.length - BODY.length;
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send(Arrays.copyOfRange(request, 0, head + 10));
      Thread.sleep(100); // separate reads on the server: the body comes in three chunks
      http.send(Arrays.copyOfRange(request, head + 10, head + 40));
      Thread.sleep(100);
      http.send(Arrays.copyOfRange(request, head + 40, request.length));

      RawHttp.Response response = http.read();

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      JsonNode ad = TestServer.JSON.readTree(response.body()).path("slots").path("kotak");
      assertThat(ad.path("campaignId").isTextual()).as("filled: %s", response.body()).isTrue();
    }
  }

  @Test
  void ads_piecesOfTwoRequestsOnOneConnection_eachIsAnsweredWithItsOwnSlots() throws Exception {
    byte[] first = RawHttp.request("POST", "/v1/ads", "application/json", BODY);
    byte[] second = RawHttp.request("POST", "/v1/ads", "application/json",
        Fixture.oneSlot("ekonomi", "bawah").getBytes(StandardCharsets.UTF_8));
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send(Arrays.copyOfRange(first, 0, first.length - 5));
      Thread.sleep(100);
      http.send(Arrays.copyOfRange(first, first.length - 5, first.length));
      assertThat(TestServer.JSON.readTree(http.read().body()).path("slots").has("kotak")).isTrue();

      http.send(second);
      JsonNode slots = TestServer.JSON.readTree(http.read().body()).path("slots");

      assertThat(slots.has("bawah")).as("%s", slots).isTrue();
      assertThat(slots.has("kotak")).as("nothing of the first body is left: %s", slots).isFalse();
    }
  }

  @Test
  void ads_expect100Continue_isToldToSendThenAnswered() throws Exception {
    byte[] request = RawHttp.request("POST", "/v1/ads", "application/json", BODY,
        "Expect: 100-continue");
    int head = request.length - BODY.length;
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send(Arrays.copyOfRange(request, 0, head));

      assertThat(http.read().status()).isEqualTo(100);
      http.send(Arrays.copyOfRange(request, head, request.length));
      RawHttp.Response response = http.read();

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("\"kotak\":{\"campaignId\"");
    }
  }

  @Test
  void ads_expect100ContinueOverHttp10_is417Problem() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send("POST /v1/ads HTTP/1.0\r\nHost: a\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + BODY.length + "\r\n\r\n");

      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(417); // HTTP/1.0 has no 100 Continue to send
      assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }
  }

  @Test
  void ads_wrongMediaTypeWithABodyThatNeverEnds_is415WithoutWaitingForTheBody()
      throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send("POST /v1/ads HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
          + "Content-Length: 1000\r\n\r\n{\"page\":");

      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(415);
      assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }
  }

  @Test
  void ads_declaredLengthOverTheLimit_is413BeforeAnyBodyIsSent() throws Exception {
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send("POST /v1/ads HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (HttpApi.MAX_AD_REQUEST_BYTES + 1) + "\r\n\r\n");

      RawHttp.Response response = http.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }
  }
}
