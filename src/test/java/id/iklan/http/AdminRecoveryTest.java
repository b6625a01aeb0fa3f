package id.iklan.http;

import static id.iklan.http.AdminClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API after a start that skipped a damaged newest version file (the file stays on disk
 * for the operator to inspect): the history does not offer it, and asking to restore it is a
 * problem answer, not a 500 (SPEC §5: 404 for a version that is not kept; §7: never a 500).
 * The start itself, with its log line, is covered in a real child JVM by
 * {@code RuleDurabilityTest}.
 */
final class AdminRecoveryTest {
  @TempDir Path dir;

  @Test
  void restore_versionSkippedAsTornAtStart_isAProblemNot500AndChangesNothing() throws Exception {
    Path rules = TestServer.writeRules(dir, Fixture.RULES);
    Path data = dir.resolve("data");
    try (TestServer first = TestServer.start(TestServer.config(data, rules))) {
      ok(new AdminClient(first).putJson(AdminApiTest.BASE));
    }
    Path newest = data.resolve("rules").resolve("v0000000002.json");
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));

    try (TestServer second = TestServer.start(TestServer.config(data, rules))) {
      AdminClient admin = new AdminClient(second);
      AdminClient.Snapshot before = admin.snapshot();
      assertThat(before.etag()).isEqualTo("\"1\"");
      JsonNode versions = ok(admin.get("/v1/admin/versions"));
      assertThat(versions.path("versions")).extracting(v -> v.path("version").asLong())
          .containsExactly(1L);

      HttpResponse<String> restore = admin.restore("2");

      assertThat(restore.statusCode()).as("status of %s", restore.body()).isIn(404, 409, 410);
      JsonNode problem = TestServer.assertProblem(restore, restore.statusCode());
      assertThat(problem.path("detail").asText()).contains("2");
      admin.assertUnchanged(before);
      assertThat(AdminClient.version(ok(admin.restore("1")))).isEqualTo(3);
    }
  }
}
