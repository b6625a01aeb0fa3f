package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.iklan.testing.ChildServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security pass (SECURITY.md): secrets and tokens never reach the log, secret files are
 * readable by their owner only, clicks go only to rule URLs, html creatives are only ever
 * rendered in a sandbox.
 */
final class SecurityTest {
  private static final String ADMIN = "ADMIN-9f3c1e-JANGAN-BOCOR-token";
  private static final String SECRET = "SECRET-7d2b4a-JANGAN-BOCOR-hmac-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("[?&]t=([^&\"]+)");
  private static final String PAGE = """
      {"page": {"url": "https://kabarkita.contoh.id/nasional/1", "section": "nasional"},
       "slots": [{"id": "a", "sizes": [[300, 250]]}, {"id": "b", "sizes": [[728, 90]]}]%s}
      """;
  private static final String RULES = """
      {"campaigns": [
        {"id": "c-aman", "advertiser": "Toko Aman", "tier": "standard", "cpm": 1000,
         "start": "2020-01-01T00:00:00+07:00",
         "creatives": [{"id": "cr-aman", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/a.png", "clickUrl": "https://aman.contoh.id/"}]},
        {"id": "c-html", "advertiser": "Toko Html", "tier": "standard", "cpm": 900,
         "start": "2020-01-01T00:00:00+07:00",
         "creatives": [{"id": "cr-html", "format": "html", "size": [728, 90],
           "html": "<script>parent.document.cookie</script>",
           "clickUrl": "https://html.contoh.id/"}]}
      ]}
      """;

  @TempDir Path dir;
  private final List<ChildServer> children = new ArrayList<>();

  @AfterEach
  void kill() {
    children.forEach(ChildServer::close);
  }

  /**
   * A full scenario in a child JVM with the secrets in the environment: ads, explain, every
   * admin route, uploads in JSON and CSV, restore, reports, beacons good and forged, wrong
   * tokens, a throttled address; then a clean stop. The log must contain neither secret nor
   * any tracking token the server issued.
   */
  @Test
  void fullRun_logNeverContainsTheSecretsOrIssuedTrackingTokens() throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, RULES, StandardCharsets.UTF_8);
    ChildServer server = start(ChildServer.writeConfig(dir, rules), dir.resolve("data"),
        Map.of("IKLAN_ADMIN_TOKEN", ADMIN, "IKLAN_SECRET", SECRET));
    String[] auth = {"Authorization", "Bearer " + ADMIN};
    Set<String> issued = new LinkedHashSet<>();

    for (int i = 0; i < 5; i++) {
      HttpResponse<String> ads = server.send("POST", "/v1/ads", "application/json",
          PAGE.formatted(i == 0 ? ", \"explain\": true" : ""), auth);
      assertThat(ads.statusCode()).isEqualTo(200);
      Matcher m = TOKEN.matcher(ads.body());
      while (m.find()) {
        issued.add(m.group(1));
      }
    }
    assertThat(issued).hasSizeGreaterThan(5);
    for (String t : issued) {
      assertThat(server.get("/v1/imp?t=" + t).statusCode()).isEqualTo(204);
      assertThat(server.get("/v1/click?t=" + t).statusCode()).isEqualTo(302);
      assertThat(server.get("/v1/imp?t=" + t + "x").statusCode()).isEqualTo(400);
      assertThat(server.get("/v1/click?t=" + t.substring(1)).statusCode()).isEqualTo(400);
    }
    assertThat(server.get("/v1/admin/campaigns", auth).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/admin/campaigns", "Authorization", "Bearer " + ADMIN,
        "Accept", "text/csv").statusCode()).isEqualTo(200);
    assertThat(server.send("PUT", "/v1/admin/campaigns", "application/json", RULES, auth)
        .statusCode()).isEqualTo(200);
    assertThat(server.send("POST", "/v1/admin/campaigns", "text/csv",
        "id,advertiser,tier,start,creative_id,format,size,image_url,click_url\n"
            + "c-csv,Toko,standard,2020-01-01,cr-csv,image,300x250,https://c.id/a.png,"
            + "https://c.id/\n", auth).statusCode()).isEqualTo(200);
    assertThat(server.send("PUT", "/v1/admin/campaigns", "application/json", "{\"campaigns\": "
        + "[{\"id\": \"x\"}]}", auth).statusCode()).isEqualTo(422);
    assertThat(server.send("POST", "/v1/admin/versions/1/restore", null, null, auth)
        .statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/admin/versions", auth).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/admin/report?by=campaign", auth).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/admin/report?by=section", "Authorization", "Bearer " + ADMIN,
        "Accept", "text/csv").statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/admin/report?by=nope", auth).statusCode()).isEqualTo(400);
    for (int i = 0; i < 12; i++) { // wrong tokens until the address is throttled
      assertThat(server.get("/v1/admin/versions", "Authorization", "Bearer " + ADMIN + i)
          .statusCode()).isIn(401, 429);
    }
    assertThat(server.get("/v1/admin/" + ADMIN).statusCode()).isIn(401, 429);
    assertThat(server.get("/metrics").body()).doesNotContain(ADMIN).doesNotContain(SECRET);
    server.stop();

    List<String> log = server.logLines();
    assertThat(log).as("the child's log").isNotEmpty();
    assertThat(String.join("\n", log)).contains("shutting down");
    for (String line : log) {
      assertThat(line).doesNotContain(ADMIN).doesNotContain(SECRET);
      for (String t : issued) {
        assertThat(line).doesNotContain(t);
      }
    }
  }

  /**
   * Generated secrets are written owner-only and never logged; a stored secret that others can
   * read is made owner-only at start, and the log says so (by path).
   */
  @Test
  void generatedAndStoredSecrets_areOwnerOnlyAndNeverLogged() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path secret = data.resolve("secret");
    String stored = "tersimpan-rahasia-dengan-panjang-cukup";
    Files.writeString(secret, stored + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, RULES, StandardCharsets.UTF_8);

    ChildServer server = start(ChildServer.writeConfig(dir, rules), data, Map.of());
    String generated = Files.readString(data.resolve("admin-token")).strip();
    assertThat(server.get("/v1/admin/versions", "Authorization", "Bearer " + generated)
        .statusCode()).isEqualTo(200);
    server.stop();

    for (String name : List.of("admin-token", "secret")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(name))))
          .as(name).isEqualTo("rw-------");
    }
    assertThat(server.logLinesContaining("admin-token", "owner only")).hasSize(1);
    assertThat(server.logLinesContaining(secret.toAbsolutePath().toString(), "rw-r--r--"))
        .hasSize(1);
    for (String line : server.logLines()) {
      assertThat(line).doesNotContain(generated).doesNotContain(stored);
    }
  }

  /** The ad tag renders html only as the srcdoc of an iframe sandboxed from the page. */
  @Test
  void adTag_rendersHtmlCreativesOnlyInASandboxedFrame() throws Exception {
    String js;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("web/iklan.js")) {
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
        "eval(", "new Function")) {
      assertThat(js).as("the tag uses %s", sink).doesNotContain(sink);
    }
    Matcher uses = Pattern.compile("ad\\.html(?!\\w)").matcher(js);
    List<String> lines = new ArrayList<>();
    while (uses.find()) {
      int start = js.lastIndexOf('\n', uses.start()) + 1;
      lines.add(js.substring(start, js.indexOf('\n', uses.end())).trim());
    }
    assertThat(lines).as("every use of ad.html: the format check, else the frame's srcdoc")
        .anySatisfy(line -> assertThat(line).startsWith("if (format === \"html\""))
        .allSatisfy(line -> assertThat(line).satisfiesAnyOf(
            l -> assertThat(l).startsWith("if (format === \"html\""),
            l -> assertThat(l).matches("\\w+\\.srcdoc = .*")));
    Matcher sandbox = Pattern.compile("setAttribute\\(\"sandbox\", \"([^\"]*)\"\\)").matcher(js);
    assertThat(sandbox.find()).isTrue();
    assertThat(js.indexOf(".srcdoc")).isGreaterThan(sandbox.start());
    assertThat(sandbox.group(1)).doesNotContain("allow-same-origin")
        .doesNotContain("allow-top-navigation").doesNotContain("allow-forms");
  }

  /** Clicks go only to rule URLs, and rules take only http(s) addresses as click URLs. */
  @Test
  void clickUrls_onlyHttpAddressesInRules_andRedirectsIgnoreTheRequest() throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, RULES, StandardCharsets.UTF_8);
    try (TestServer server = TestServer.start(TestServer.config(dir.resolve("data"), rules))) {
      AdminClient admin = new AdminClient(server);
      for (String url : List.of("javascript:alert(1)", "data:text/html,x", "//evil.contoh.id/",
          "/relative", "https://a.contoh.id/\\r\\nSet-Cookie: x=1", "ftp://a.contoh.id/",
          "https://", "http:evil.contoh.id")) {
        HttpResponse<String> put = admin.putJson(RULES.replace("https://aman.contoh.id/", url));
        JsonNode problem = TestServer.assertProblem(put, 422);
        assertThat(problem.toString()).as(url).contains("clickUrl");
      }
      JsonNode ad = server.ads(PAGE.formatted("")).path("slots").path("a");
      String click = TrackingEndpointsTest.path(ad.path("clickUrl").asText());
      for (String extra : List.of("&url=https://evil.contoh.id/", "&redirect=//evil.contoh.id",
          "&clickUrl=https://evil.contoh.id/")) {
        HttpResponse<String> response = server.get(click + extra);
        assertThat(response.statusCode()).isIn(302, 400);
        response.headers().firstValue("Location").ifPresent(location ->
            assertThat(URI.create(location).getHost()).isEqualTo("aman.contoh.id"));
      }
    }
  }

  private ChildServer start(Path config, Path data, Map<String, String> env) throws Exception {
    ChildServer child = ChildServer.start(config, data, env);
    children.add(child);
    return child;
  }
}
