package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ad answers are written into pooled direct buffers that the server gives back itself
 * ({@link AnswerBuffers}): every one must come back, whether its reader took the answer or hung
 * up, and no answer may carry another's bytes.
 */
final class AnswerBuffersTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();

  @Test
  void answers_readOrAbandoned_everyBufferIsGivenBackAndNoAnswerIsMixedUp() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String slot = "kotak-" + i;
        answers.add(pool.submit(() -> server.ads(Fixture.oneSlot("ekonomi", slot))));
      }
      for (int i = 0; i < 20; i++) {
        hangUpAfterAsking(Fixture.oneSlot("ekonomi", "ditinggal-" + i));
      }
      for (int i = 0; i < answers.size(); i++) {
        JsonNode slots = answers.get(i).get().path("slots");
        assertThat(slots.size()).as("answer %d: %s", i, slots).isEqualTo(1);
        assertThat(slots.path("kotak-" + i).path("campaignId").isTextual())
            .as("answer %d fills its own slot: %s", i, slots).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }

    long deadline = System.nanoTime() + 10_000_000_000L;
    long inFlight = inFlight();
    while (inFlight != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      inFlight = inFlight();
    }
    assertThat(inFlight).as("answer buffers not given back").isZero();
  }

  /** Sends a whole ad request and closes the connection at once, with a reset. */
  private static void hangUpAfterAsking(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoLinger(true, 0);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/ads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
    }
  }

  private static long inFlight() {
    Matcher m = Pattern.compile("(?m)^iklan_answer_buffers_in_flight (\\d+)$")
        .matcher(server.get("/metrics").body());
    assertThat(m.find()).as("iklan_answer_buffers_in_flight in /metrics").isTrue();
    return Long.parseLong(m.group(1));
  }
}
