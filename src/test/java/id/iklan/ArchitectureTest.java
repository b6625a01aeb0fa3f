package id.iklan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The selection core, the rule model and delivery counting are plain Java: they can be tested,
 * benchmarked and reused without a Vert.x instance. Surefire runs with the project directory as
 * the working directory, so the sources are found relative to it.
 */
final class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/id/iklan");
  private static final List<String> PLAIN_JAVA_PACKAGES = List.of("selection", "rules", "delivery", "context", "geo");
  private static final Pattern VERTX_IMPORT =
      Pattern.compile("^\\s*import\\s+(static\\s+)?io\\.vertx\\.");

  @Test void plainJavaPackages_doNotImportVertx() throws IOException {
    List<String> offences = new ArrayList<>();
    int files = 0;
    for (String pkg : PLAIN_JAVA_PACKAGES) {
      Path dir = SOURCES.resolve(pkg);
      assertThat(dir).as("package directory %s (run from the project directory)", dir)
          .isDirectory();
      for (Path file : javaFiles(dir)) {
        files++;
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (VERTX_IMPORT.matcher(lines.get(i)).find()) {
            offences.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }

    assertThat(files).as("Java files scanned").isPositive();
    assertThat(offences).as("io.vertx imports in the plain-Java packages %s", PLAIN_JAVA_PACKAGES).isEmpty();
  }

  @Test void vertxImportPattern_recognisesImportsOnly() {
    assertThat(VERTX_IMPORT.matcher("import io.vertx.core.Vertx;").find()).isTrue();
    assertThat(VERTX_IMPORT.matcher("  import static io.vertx.core.Future.succeededFuture;").find())
        .isTrue();
    assertThat(VERTX_IMPORT.matcher("// no io.vertx here, see import io.vertx in http/").find())
        .isFalse();
    assertThat(VERTX_IMPORT.matcher("import id.iklan.rules.Geo;").find()).isFalse();
  }

  private static List<Path> javaFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
