package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting on "any free port" (SPEC §8: {@code --port 0}) with the default of several event
 * loops: every event loop must share the one port the first one got.
 */
final class ServerStartTest {
  @TempDir Path dir;

  @Test
  void start_portZeroWithSeveralEventLoops_listensOnOnePortAndAnswers() throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    try (TestServer server = TestServer.start(TestServer.withEventLoops(
        TestServer.config(dir.resolve("data"), rules), 3))) {
      assertThat(server.port()).isPositive();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        statuses.add(server.get("/health").statusCode());
      }
      assertThat(statuses).containsOnly(200);
    }
  }
}
