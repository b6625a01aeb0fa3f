package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SecretsTest {
  @TempDir Path dir;

  @Test
  void resolve_nothingConfigured_generatesOwnerOnlyFileAndLogsItsPathNotTheSecret()
      throws Exception {
    List<String> log = new ArrayList<>();
    Path file = dir.resolve("admin-token");

    String secret = Secrets.resolve(null, null, file, log::add);

    assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
    assertThat(Files.readString(file).strip()).isEqualTo(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(log).singleElement().asString().contains(file.toString()).doesNotContain(secret);
  }

  @Test
  void resolve_secondStart_readsTheSameGeneratedSecret() throws Exception {
    Path file = dir.resolve("secret");
    String first = Secrets.resolve(null, null, file, line -> { });

    assertThat(Secrets.resolve(null, null, file, line -> { })).isEqualTo(first);
  }

  @Test
  void resolve_environmentWinsOverConfigAndFile() throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, "from-file");

    assertThat(Secrets.resolve("from-env", "from-config", file, line -> { })).isEqualTo("from-env");
    assertThat(Secrets.resolve(null, "from-config", file, line -> { })).isEqualTo("from-config");
    assertThat(Secrets.resolve(" ", null, file, line -> { })).isEqualTo("from-file");
  }
}
