package id.iklan.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import id.iklan.IklanServer;
import id.iklan.config.IklanConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Servers on PostgreSQL started one after another in one JVM (a test suite, a supervisor
 * restarting in place) each finish their warm-up. Before the warm-up ran on one Vert.x context,
 * one start in a few dozen lost an answer and waited 30 s for it, then failed to start.
 */
final class RepeatedStartTest {
  private static final int STARTS = 60;

  @TempDir Path dir;
  private TestDatabase database;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger serverLog = (Logger) LoggerFactory.getLogger(IklanServer.class);

  @BeforeEach
  void database() {
    database = TestDatabase.create();
    assumeTrue(database != null,
        "PostgreSQL is not reachable on 127.0.0.1:5432: scale tests skipped (.ci/run starts it)");
    log.start();
    serverLog.addAppender(log);
  }

  @AfterEach
  void drop() {
    serverLog.detachAppender(log);
    if (database != null) {
      database.close();
    }
  }

  @Test
  void start_manyTimesInOneJvm_warmsUpFullyEveryTime() throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"campaigns\": []}", StandardCharsets.UTF_8);
    Map<String, String> env = Map.of("IKLAN_POSTGRES_URL", database.url());

    for (int start = 0; start < STARTS; start++) {
      IklanConfig config = IklanConfig.builder().port(0).dataDir(dir.resolve("data-" + start))
          .rules(rules).eventLoops(1).build();
      try (IklanServer server = IklanServer.start(config, Clock.systemUTC(), env)) {
        assertThat(server.port()).isPositive();
      }
    }

    assertThat(log.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("warm-up")))
        .as("warnings about the warm-up").isEmpty();
    assertThat(log.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("warmed up in"))).hasSize(STARTS);
  }
}
