package id.iklan.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import id.iklan.IklanServer;
import id.iklan.config.IklanConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With PostgreSQL and no admin token set, the servers of a deployment share one generated token
 * (kept in PostgreSQL), and each keeps a copy in its data directory, readable by its owner only
 * (SPEC §5: the generated token is stored in the data directory and the log says where).
 */
final class SharedSecretsTest {
  @TempDir Path dir;
  private TestDatabase database;

  @BeforeEach
  void database() {
    database = TestDatabase.create();
    assumeTrue(database != null,
        "PostgreSQL is not reachable on 127.0.0.1:5432: scale tests skipped (.ci/run starts it)");
  }

  @AfterEach
  void drop() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void generatedAdminToken_isSharedAndCopiedIntoEachDataDirectory() throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"campaigns\": []}", StandardCharsets.UTF_8);
    Map<String, String> env = Map.of("IKLAN_POSTGRES_URL", database.url());

    String tokenA;
    String tokenB;
    try (IklanServer a = IklanServer.start(config(rules, dir.resolve("data-a")),
        Clock.systemUTC(), env)) {
      tokenA = a.adminToken();
    }
    try (IklanServer b = IklanServer.start(config(rules, dir.resolve("data-b")),
        Clock.systemUTC(), env)) {
      tokenB = b.adminToken();
    }

    assertThat(tokenB).isEqualTo(tokenA).hasSizeGreaterThanOrEqualTo(43);
    for (String data : new String[] {"data-a", "data-b"}) {
      Path copy = dir.resolve(data).resolve("admin-token");
      assertThat(Files.readString(copy, StandardCharsets.UTF_8).strip()).isEqualTo(tokenA);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
          .isEqualTo("rw-------");
    }
  }

  private static IklanConfig config(Path rules, Path data) {
    return IklanConfig.builder().port(0).dataDir(data).rules(rules).eventLoops(1).build();
  }
}
