package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting on "any free port" (SPEC §8: {@code --port 0}) with the default of several event
 * loops: every event loop must share the one port the first one got. On Linux (x86-64, ARM64)
 * the loops run on Netty's epoll transport (docs/design.md "Event loop transport").
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

  @Test
  void start_onLinux_runsTheEventLoopsOnEpoll() throws Exception {
    String arch = System.getProperty("os.arch");
    assumeTrue(System.getProperty("os.name").equals("Linux")
            && List.of("amd64", "x86_64", "aarch64").contains(arch),
        "Iklan ships Netty's epoll library for Linux x86-64 and ARM64; elsewhere it runs on NIO");
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    try (TestServer server = TestServer.start(TestServer.withEventLoops(
        TestServer.config(dir.resolve("data"), rules), 2))) {
      assertThat(server.transport()).isEqualTo("epoll");
      assertThat(server.ads(ConnectionGuardTest.page("")).path("slots").path("atas").isObject())
          .as("an ad request is answered on it").isTrue();
    }
  }
}
