package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tracking is plain Java like the selection core: usable and testable without Vert.x. */
final class TrackingPackageTest {
  @Test
  void trackingSources_doNotImportVertx() throws IOException {
    Path dir = Path.of("src/main/java/id/iklan/tracking");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }

    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(Files.readAllLines(file)).as("%s", file)
          .noneMatch(line -> line.strip().matches("import\\s+(static\\s+)?io\\.vertx\\..*"));
    }
  }
}
