package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input (SPEC §7: "Bad input never yields a 500, never a stack trace, never a hung
 * connection"). Seeded generators build well over a thousand distinct cases against one real
 * server:
 *
 * <ul>
 *   <li>{@code POST /v1/ads}: every member of a valid request, at every depth, replaced by every
 *       hostile value (wrong types, huge and non-finite numbers, control characters, lone
 *       surrogates, huge strings and arrays, nesting 5,000 deep); truncations; invalid UTF-8;
 *       duplicate members; wrong roots and media types; a body over the limit;
 *   <li>{@code PUT/POST /v1/admin/campaigns} as JSON: the same over every member of a rule set
 *       (as dry runs, so a mutation that happens to be valid changes nothing either), and real
 *       writes of damaged bodies;
 *   <li>the same as CSV: every column of a valid sheet given hostile cells (unbalanced quotes,
 *       line breaks, NUL, invalid UTF-8, formulas, huge numbers), broken headers, random bytes;
 *   <li>{@code /v1/imp} and {@code /v1/click} tokens: bit flips, truncations, random and
 *       percent-encoded garbage, huge, repeated, empty;
 *   <li>raw HTTP: oversized heads and request lines, control bytes, bad framing, truncated and
 *       never-ending bodies.
 * </ul>
 *
 * Every answer must be a {@code 4xx} problem document or a valid {@code 200}/{@code 204}/
 * {@code 302}; none a {@code 5xx}, none later than five seconds. Afterwards the stored rules
 * (ETag, body, history) and the impression and click counters are exactly as before, and the
 * served counters moved by exactly the ads the valid answers carried.
 */
final class HostileInputTest {
  private static final long SEED = 20261128L;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String AUTH = "Bearer " + TestServer.ADMIN_TOKEN;
  private static final String HOLE = "@@hostile@@";
  private static final String PAGE = """
      {"page": {"url": "https://kabarkita.contoh.id/internasional/2026/11/18/berita",
                "section": "internasional", "keywords": ["rusia", "korea utara"],
                "title": "Judul", "text": "Isi berita", "language": "id"},
       "slots": [{"id": "atas", "sizes": [[728, 90], [970, 250]]},
                 {"id": "baca", "formats": ["native"]}],
       "user": {"id": "pembaca-1"}, "device": {"type": "desktop"}, "explain": false,
       "tmax": 5000}
      """;
  private static final String RULES = """
      {"campaigns": [
        {"id": "c-uji", "advertiser": "Toko Uji", "category": "ritel", "status": "active",
         "tier": "standard", "cpm": 1000, "currency": "IDR", "weight": 1,
         "start": "2026-11-01T00:00:00+07:00", "end": "2026-12-31T23:59:59+07:00",
         "goal": {"impressions": 1000, "pacing": "even"},
         "frequencyCap": {"count": 3, "window": "PT24H"}, "roadblock": false,
         "targeting": {"sections": {"include": ["uji"], "exclude": ["kriminal"]},
           "keywords": {"any": ["a"], "all": ["b"], "none": ["c"]},
           "geo": {"include": ["ID"], "exclude": ["ID-PA"]}, "devices": ["mobile"],
           "schedule": {"days": ["MON"], "hours": [6, 22]}},
         "creatives": [
           {"id": "cr-1", "format": "image", "size": [300, 250],
            "imageUrl": "https://cdn.contoh.id/a.png", "alt": "A",
            "clickUrl": "https://toko.contoh.id/", "weight": 1},
           {"id": "cr-2", "format": "html", "size": [728, 90], "html": "<b>x</b>",
            "clickUrl": "https://toko.contoh.id/"},
           {"id": "cr-3", "format": "native", "title": "T", "body": "B",
            "imageUrl": "https://cdn.contoh.id/n.png", "sponsor": "S",
            "clickUrl": "https://toko.contoh.id/"}]}]}
      """;
  private static final String CSV_HEADER = "id,advertiser,category,status,tier,cpm,currency,"
      + "weight,start,end,goal_impressions,pacing,cap_count,cap_window,roadblock,"
      + "sections_include,sections_exclude,keywords_any,keywords_all,keywords_none,geo_include,"
      + "geo_exclude,devices,days,hours,creative_id,format,size,image_url,alt,html,title,body,"
      + "sponsor,click_url,creative_weight";
  private static final String CSV_ROW = "c-csv,Toko CSV,ritel,active,standard,1000,IDR,1,"
      + "2026-11-01T00:00:00+07:00,2026-12-31T23:59:59+07:00,1000,even,3,PT24H,false,uji,"
      + "kriminal,a;b,,c,ID,ID-PA,mobile;desktop,MON;TUE,6-22,cr-csv,image,300x250,"
      + "https://cdn.contoh.id/c.png,Alt,,,,,https://toko.contoh.id/,1";

  @RegisterExtension static final TestServer server = TestServer.fixture();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(TIMEOUT)
      .build();

  private final Random random = new Random(SEED);
  private final Set<String> distinct = new HashSet<>();
  private final List<String> failures = new ArrayList<>();
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final Map<String, Integer> perTarget = new LinkedHashMap<>();
  private long filledSlots;

  @Test
  void hostileInputs_neverGet5xxOrHang_andChangeNoRulesOrCounters() throws Exception {
    AdminClient admin = new AdminClient(server);
    AdminClient.Snapshot rulesBefore = snapshot(admin);
    JsonNode ad = server.ads(PAGE).path("slots").path("atas");
    assertThat(ad.isObject()).as("the fixture fills the page").isTrue();
    filledSlots = 0;
    long[] countsBefore = counts();

    adRequests();
    ruleUploadsJson();
    ruleUploadsCsv();
    beaconTokens(ad.path("impressionUrl").asText(), ad.path("clickUrl").asText());
    rawHttp();

    System.out.printf("hostile cases: %d distinct (%s); statuses %s; 5xx: %d; failures: %d%n",
        distinct.size(), perTarget, statuses,
        statuses.entrySet().stream().filter(e -> e.getKey() >= 500)
            .mapToInt(Map.Entry::getValue).sum(), failures.size());
    assertThat(failures).as("cases answered wrongly").isEmpty();
    assertThat(distinct.size()).as("distinct hostile cases").isGreaterThanOrEqualTo(200);
    assertThat(statuses.keySet()).as("statuses seen").allMatch(s -> s < 500);

    assertThat(snapshot(admin)).as("rules, ETag and history after the suite")
        .isEqualTo(rulesBefore);
    long[] countsAfter = counts();
    assertThat(countsAfter[1]).as("impressions").isEqualTo(countsBefore[1]);
    assertThat(countsAfter[2]).as("clicks").isEqualTo(countsBefore[2]);
    assertThat(countsAfter[0] - countsBefore[0]).as("served: the ads of the valid answers")
        .isEqualTo(filledSlots);
    assertThat(server.ads(PAGE).path("slots").path("atas").isObject())
        .as("still serving").isTrue();
    assertThat(server.get("/metrics").body())
        .as("no 500 answered, not even to a client that was gone")
        .contains("\niklan_internal_errors_total 0\n");
  }

  // ---- POST /v1/ads ----

  private void adRequests() throws Exception {
    JsonNode base = TestServer.JSON.readTree(PAGE);
    for (List<Object> path : paths(base)) {
      for (String value : hostileValues()) {
        ads("member " + path + " = " + abbreviate(value), replace(base, path, value));
      }
    }
    ads("page.text over the body limit", replace(base, List.of("page", "text"),
        "\"" + "x".repeat(70_000) + "\""));
    byte[] valid = TestServer.JSON.writeValueAsBytes(base);
    for (int i = 0; i < 40; i++) {
      int cut = random.nextInt(valid.length);
      ads("truncated at " + cut, java.util.Arrays.copyOf(valid, cut));
    }
    for (byte[] bad : invalidUtf8()) {
      ads("invalid UTF-8 " + hex(bad), splice(valid, "Judul", bad));
    }
    for (int i = 0; i < 10; i++) {
      byte[] noisy = valid.clone();
      for (int k = 0; k < 1 + random.nextInt(5); k++) {
        noisy[random.nextInt(noisy.length)] = (byte) random.nextInt(256);
      }
      ads("random bytes changed, run " + i, noisy);
    }
    String text = TestServer.JSON.writeValueAsString(base);
    ads("duplicate page", text.replaceFirst("\\{", "{\"page\": {\"url\": \"https://a.b/\"}, "));
    ads("duplicate slot id member", text.replace("\"id\":\"atas\"", "\"id\":\"atas\",\"id\":\"x\""));
    ads("duplicate tmax", text.replace("\"tmax\":5000", "\"tmax\":5000,\"tmax\":1"));
    ads("raw control byte in a string", text.replace("Judul", "Ju\u0001dul"));
    ads("raw line break in a string", text.replace("Judul", "Ju\ndul"));
    ads("tmax NaN", text.replace("\"tmax\":5000", "\"tmax\":NaN"));
    ads("tmax Infinity", text.replace("\"tmax\":5000", "\"tmax\":Infinity"));
    ads("tmax -Infinity", text.replace("\"tmax\":5000", "\"tmax\":-Infinity"));
    ads("single-quoted strings", text.replace('"', '\''));
    ads("trailing comma", text.replace("}}", "},}"));
    ads("comment", "/* x */" + text);
    ads("two documents", text + text);
    ads("trailing garbage", text + "xyz");
    ads("BOM first", "\uFEFF" + text);
    ads("21 slots", slots(21));
    ads("10,000 keywords", text.replace("\"rusia\"", "\"k\"" + ",\"k\"".repeat(9_999)));
    ads("20,000 element size list", text.replace("[728,90]", "[728,90]" + ",[1,1]".repeat(20_000)));
    for (String root : List.of("", " ", "null", "[]", "\"x\"", "1", "true", "{}", "{\"slots\":[]}")) {
      ads("root " + root, root);
    }
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=latin1",
        "application/xml", "json", "*/*", "application/json\u0001")) {
      send("ads", "media type " + type, "POST", "/v1/ads", type,
          "a=" + "b".repeat(10_000) + "&c=d", new String[0]);
    }
  }

  private String slots(int n) {
    StringBuilder b = new StringBuilder("{\"page\":{\"url\":\"https://a.b/\"},\"slots\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i)
          .append("\",\"sizes\":[[300,250]]}");
    }
    return b.append("]}").toString();
  }

  private void ads(String label, String body) {
    ads(label, body.getBytes(StandardCharsets.UTF_8));
  }

  private void ads(String label, byte[] body) {
    HttpResponse<String> response = send("ads", label, "POST", "/v1/ads", "application/json",
        body, new String[0]);
    if (response != null && response.statusCode() == 200) {
      try {
        JsonNode slots = TestServer.JSON.readTree(response.body()).path("slots");
        for (Iterator<JsonNode> it = slots.elements(); it.hasNext(); ) {
          if (it.next().isObject()) {
            filledSlots++;
          }
        }
      } catch (Exception e) {
        failures.add(label + ": 200 that is not JSON: " + abbreviate(response.body()));
      }
    }
  }

  // ---- admin uploads ----

  private void ruleUploadsJson() throws Exception {
    JsonNode base = TestServer.JSON.readTree(RULES);
    for (List<Object> path : paths(base)) {
      for (String value : hostileValues()) {
        rules("json", "member " + path + " = " + abbreviate(value), "PUT", "application/json",
            replace(base, path, value));
      }
    }
    JsonNode campaign = base.path("campaigns").get(0);
    for (String field : List.of("id", "clickUrl", "html", "imageUrl")) {
      for (String value : List.of("\"javascript:alert(1)\"", "\"https://a.b/\\r\\nSet-Cookie: x=1\"",
          "\"data:text/html,<script>x</script>\"", "\"//evil.example/\"", "\"https://\"")) {
        List<Object> path = field.equals("id") ? List.of("campaigns", 0, "id")
            : List.of("campaigns", 0, "creatives", 0, field);
        rules("json", "upsert " + path + " = " + value, "POST", "application/json",
            replace(campaign.isObject() ? base : base, path, value));
      }
    }
    byte[] valid = TestServer.JSON.writeValueAsBytes(base);
    for (int i = 0; i < 30; i++) {
      int cut = random.nextInt(valid.length);
      rules("json", "truncated at " + cut, "PUT", "application/json",
          java.util.Arrays.copyOf(valid, cut));
    }
    for (byte[] bad : invalidUtf8()) {
      rules("json", "invalid UTF-8 " + hex(bad), "PUT", "application/json",
          splice(valid, "Toko Uji", bad));
    }
    String text = TestServer.JSON.writeValueAsString(base);
    rules("json", "duplicate id member", "PUT", "application/json",
        text.replace("\"id\":\"c-uji\"", "\"id\":\"c-uji\",\"id\":\"c-lain\""));
    rules("json", "duplicate campaigns", "PUT", "application/json",
        text.replaceFirst("\\{", "{\"campaigns\":[],"));
    rules("json", "cpm NaN", "PUT", "application/json", text.replace("\"cpm\":1000", "\"cpm\":NaN"));
    rules("json", "two campaigns with one id", "PUT", "application/json",
        text.replace("]}]}", "]}," + TestServer.JSON.writeValueAsString(campaign) + "]}"));
    for (String root : List.of("", "null", "[]", "\"x\"", "1", "{}", "{\"campaigns\":{}}",
        "{\"campaigns\":null}", "[[]]", "[null]")) {
      rules("json", "root " + root, "PUT", "application/json", root);
      rules("json", "upsert root " + root, "POST", "application/json", root);
    }
    // Real writes (no dry run) of bodies that must be refused: the store must not move.
    for (int i = 0; i < 10; i++) {
      int cut = 1 + random.nextInt(valid.length - 2);
      send("json", "real write truncated at " + cut, "PUT", "/v1/admin/campaigns",
          "application/json", java.util.Arrays.copyOf(valid, cut), new String[] {"Authorization",
              AUTH});
    }
    send("json", "real write with a bad clickUrl", "POST", "/v1/admin/campaigns",
        "application/json", replace(base, List.of("campaigns", 0, "creatives", 0, "clickUrl"),
            "\"javascript:alert(1)\"").getBytes(StandardCharsets.UTF_8),
        new String[] {"Authorization", AUTH});
  }

  private void ruleUploadsCsv() {
    String[] columns = CSV_HEADER.split(",");
    String[] cells = CSV_ROW.split(",", -1);
    List<byte[]> hostile = new ArrayList<>();
    for (String s : List.of("", "x".repeat(5_000), "\"unclosed", "a\"b", "\"multi\nline\"",
        "\u0000", "\u0007bel", "=HYPERLINK(\"https://evil.example\")", "-1", "1e400", "NaN",
        ";;;", "300x250x1", "99999999999999999999999", "\uD83D\uDE00\u202E", " \t ")) {
      hostile.add(s.getBytes(StandardCharsets.UTF_8));
    }
    hostile.addAll(invalidUtf8());
    for (int c = 0; c < columns.length; c++) {
      for (byte[] value : hostile) {
        ByteArrayOutputStream row = new ByteArrayOutputStream();
        for (int k = 0; k < cells.length; k++) {
          if (k > 0) {
            row.write(',');
          }
          row.writeBytes(k == c ? value : cells[k].getBytes(StandardCharsets.UTF_8));
        }
        rules("csv", "column " + columns[c] + " = " + abbreviate(new String(value,
            StandardCharsets.UTF_8)), "PUT", "text/csv", concat((CSV_HEADER + "\n")
            .getBytes(StandardCharsets.UTF_8), row.toByteArray()));
      }
    }
    String sheet = CSV_HEADER + "\n" + CSV_ROW + "\n";
    List<String> structural = List.of("", "\n", CSV_HEADER, CSV_HEADER + "\n",
        CSV_ROW + "\n", "id,id,advertiser\nc,c,A\n", CSV_HEADER + ",extra\n" + CSV_ROW + ",x\n",
        CSV_HEADER + "\n" + CSV_ROW + ",too,many\n", CSV_HEADER + "\nc-x\n",
        sheet.replace("\n", "\r"), sheet.replace("\n", "\r\n"), "\uFEFF" + sheet,
        sheet + sheet.substring(CSV_HEADER.length() + 1),
        "col".repeat(1) + ",c".repeat(5_000) + "\n", "\"" + "\n".repeat(1000),
        sheet.replace(",", ";"), sheet.replace(",", "\t"), sheet.toUpperCase(),
        CSV_HEADER + "\n" + (CSV_ROW + "\n").repeat(500));
    for (String s : structural) {
      rules("csv", "sheet " + abbreviate(s), "PUT", "text/csv", s);
      rules("csv", "upsert sheet " + abbreviate(s), "POST", "text/csv", s);
    }
    for (int i = 0; i < 20; i++) {
      byte[] noise = new byte[1 + random.nextInt(2_000)];
      random.nextBytes(noise);
      rules("csv", "random bytes " + i, "PUT", "text/csv", noise);
    }
  }

  private void rules(String target, String label, String method, String type, String body) {
    rules(target, label, method, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private void rules(String target, String label, String method, String type, byte[] body) {
    send(target, label, method, "/v1/admin/campaigns?dryRun=true", type, body,
        new String[] {"Authorization", AUTH});
  }

  // ---- beacon tokens ----

  private void beaconTokens(String impressionUrl, String clickUrl) {
    String token = TrackingEndpointsTest.token(impressionUrl);
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      char[] chars = token.toCharArray();
      int at = random.nextInt(chars.length);
      chars[at] = chars[at] == 'A' ? 'B' : 'A';
      bad.add(new String(chars));
    }
    for (int i = 0; i < 15; i++) {
      bad.add(token.substring(0, random.nextInt(token.length())));
    }
    for (int i = 0; i < 15; i++) {
      byte[] noise = new byte[1 + random.nextInt(200)];
      random.nextBytes(noise);
      bad.add(Base64.getUrlEncoder().withoutPadding().encodeToString(noise));
    }
    bad.addAll(List.of(token + "A", token + "." + token, "." + token, token.replace('.', '~'),
        "%FF%FE", "%00", "%C3%28", "%ED%A0%80", "..", ".", "a.b.c.d", "%2e%2e%2f",
        "x".repeat(6_000), token + "&t=" + token, "&t=", "+" + token, "%20" + token,
        "%F0%9F%98%80", "A".repeat(7_900)));
    for (String t : bad) {
      for (String path : List.of("/v1/imp?t=", "/v1/click?t=", "/v1/imp?f=gif&t=")) {
        send("beacon", path + abbreviate(t), "GET", path + t, null, (byte[]) null,
            new String[0]);
      }
    }
    for (String query : List.of("", "?", "?t", "?t=", "?f=gif", "?f=png&t=" + token,
        "?f=gif&f=gif&t=" + token)) {
      send("beacon", "query " + abbreviate(query), "GET", "/v1/imp" + query, null,
          (byte[]) null, new String[0]);
    }
    // The real token of the page above, replayed with an open-redirect attempt: counted? No:
    // its impression and click are not fired here, so the counters must not move.
  }

  // ---- raw HTTP ----

  private void rawHttp() throws Exception {
    byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
    String json = "Content-Type: application/json";
    raw("header of 20 KiB", RawHttp.request("POST", "/v1/ads", "application/json", body,
        "X-Big: " + "a".repeat(20_000)), false);
    raw("300 headers of 100 bytes", RawHttp.request("POST", "/v1/ads", "application/json", body,
        headers(300, 100)), false);
    raw("request line of 9 KiB", RawHttp.request("GET", "/v1/imp?t=" + "a".repeat(9_000), null,
        null), false);
    raw("control byte in a header", RawHttp.request("POST", "/v1/ads", "application/json", body,
        "X-Ctl: a\u0001b"), false);
    raw("header without colon", RawHttp.request("POST", "/v1/ads", "application/json", body,
        "NoColonHere"), false);
    raw("bad method", "G\u0000T / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(
        StandardCharsets.ISO_8859_1), false);
    raw("HTTP/0.9", "GET /health\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), false);
    raw("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(
        StandardCharsets.ISO_8859_1), false);
    raw("TLS hello on plain HTTP", new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5},
        true);
    raw("Content-Length not a number", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nContent-Length: abc\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
    raw("Content-Length negative", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nContent-Length: -1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
    raw("two Content-Lengths", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}").getBytes(
        StandardCharsets.ISO_8859_1), false);
    raw("Content-Length and chunked", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    raw("bad chunk size", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").getBytes(
        StandardCharsets.ISO_8859_1), true);
    raw("huge chunk size", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\n{}").getBytes(
        StandardCharsets.ISO_8859_1), true);
    raw("Transfer-Encoding gzip", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nTransfer-Encoding: gzip\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1), true);
    raw("Content-Encoding gzip", RawHttp.request("POST", "/v1/ads", "application/json",
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}, "Content-Encoding: gzip"), false);
    raw("declared 100 MB body", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nContent-Length: 100000000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1),
        true);
    raw("Expect 100-continue for 100 MB", ("POST /v1/ads HTTP/1.1\r\nHost: a\r\n" + json
        + "\r\nExpect: 100-continue\r\nContent-Length: 100000000\r\n\r\n").getBytes(
        StandardCharsets.ISO_8859_1), true);
    raw("body cut short, then the client half-closes", java.util.Arrays.copyOf(
        RawHttp.request("POST", "/v1/ads", "application/json", body), 150), true);
    raw("no Host", ("GET /health HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
        false);
    raw("absolute-form target", ("GET http://evil.example/health HTTP/1.1\r\nHost: a\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    raw("path traversal in demo", ("GET /demo/../../../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    raw("encoded traversal in demo", ("GET /demo/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: a"
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
    raw("invalid percent-encoding in path", ("GET /v1/%zz HTTP/1.1\r\nHost: a\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    raw("HTTP/2.0 request line", ("GET /health HTTP/2.0\r\nHost: a\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    raw("HTTP/3.0 request line", ("POST /v1/ads HTTP/3.0\r\nHost: a\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1), false);
    raw("WebSocket upgrade", RawHttp.request("GET", "/v1/ads", null, null, "Upgrade: websocket",
        "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13"), false);
    raw("h2c upgrade", RawHttp.request("GET", "/health", null, null, "Upgrade: h2c",
        "Connection: Upgrade, HTTP2-Settings", "HTTP2-Settings: AAMAAABkAAQAAP__"), false);
    raw("admin with a 10 KiB token", RawHttp.request("GET", "/v1/admin/versions", null, null,
        "Authorization: Bearer " + "z".repeat(10_000)), false);
    raw("admin with a non-ASCII token", RawHttp.request("GET", "/v1/admin/versions", null, null,
        "Authorization: Bearer \u00ff\u00fe"), false);
  }

  private static String[] headers(int count, int size) {
    String[] lines = new String[count];
    for (int i = 0; i < count; i++) {
      lines[i] = "X-H" + i + ": " + "v".repeat(size);
    }
    return lines;
  }

  /**
   * One raw request: the answer must be a 4xx problem or a valid answer, or, when
   * {@code mayClose}, the server may close the connection without one (the client sent no
   * complete request). Either way within the timeout.
   */
  private void raw(String label, byte[] request, boolean mayClose) throws Exception {
    count("raw", label + " " + hex(java.util.Arrays.copyOf(request, Math.min(64,
        request.length))) + request.length);
    try (RawHttp raw = RawHttp.connect(server.port(), "127.0.0.1", (int) TIMEOUT.toMillis())) {
      long started = System.nanoTime();
      try {
        raw.send(request);
        if (mayClose) {
          raw.socket.shutdownOutput();
        }
      } catch (java.io.IOException e) {
        // the server may close while we still write a huge head: check what it answered
      }
      RawHttp.Response response;
      try {
        response = raw.read();
      } catch (java.net.SocketTimeoutException e) {
        failures.add("raw " + label + ": no answer and no close within " + TIMEOUT);
        return;
      } catch (java.io.IOException e) {
        response = new RawHttp.Response(-1, Map.of(), "");
      }
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (response.status() == -1) {
        if (!mayClose) {
          failures.add("raw " + label + ": closed without an answer");
        }
        return;
      }
      statuses.merge(response.status(), 1, Integer::sum);
      check("raw " + label, response.status(), response.header("Content-Type"),
          response.body(), ms);
    }
  }

  // ---- shared ----

  private HttpResponse<String> send(String target, String label, String method, String path,
      String type, String body, String[] headers) {
    return send(target, label, method, path, type, body.getBytes(StandardCharsets.UTF_8),
        headers);
  }

  private HttpResponse<String> send(String target, String label, String method, String path,
      String type, byte[] body, String[] headers) {
    count(target, method + " " + path + " " + label + " " + (body == null ? "" :
        Integer.toHexString(java.util.Arrays.hashCode(body)) + ":" + body.length));
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    } catch (IllegalArgumentException e) {
      // a target the JDK client will not even send (e.g. a raw %): send it raw instead
      try {
        raw(label, RawHttp.request(method, path, type, body), false);
      } catch (Exception io) {
        failures.add(target + " " + label + ": " + io);
      }
      return null;
    }
    b.timeout(TIMEOUT).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      try {
        b.header("Content-Type", type);
      } catch (IllegalArgumentException e) {
        try {
          raw(label, RawHttp.request(method, path, type, body), false);
        } catch (Exception io) {
          failures.add(target + " " + label + ": " + io);
        }
        return null;
      }
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      failures.add(target + " " + label + ": " + e);
      return null;
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    statuses.merge(response.statusCode(), 1, Integer::sum);
    check(target + " " + label, response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null), response.body(), ms);
    return response;
  }

  private void check(String label, int status, String contentType, String body, long ms) {
    if (status >= 500) {
      failures.add(label + ": " + status + " " + abbreviate(body));
    } else if (status >= 400) {
      if (contentType == null || !contentType.startsWith("application/problem+json")) {
        failures.add(label + ": " + status + " without a problem document: " + contentType);
      } else if (body.contains("Exception") || body.contains("\tat ")) {
        failures.add(label + ": a stack trace in " + abbreviate(body));
      }
    } else if (status != 200 && status != 204 && status != 302) {
      failures.add(label + ": unexpected status " + status);
    }
    if (ms > TIMEOUT.toMillis()) {
      failures.add(label + ": answered after " + ms + " ms");
    }
  }

  private void count(String target, String key) {
    if (distinct.add(target + "|" + key)) {
      perTarget.merge(target, 1, Integer::sum);
    }
  }

  private long[] counts() throws Exception {
    HttpResponse<String> report = server.get("/v1/admin/report?from=2026-11-17&to=2026-11-19"
        + "&by=campaign", "Authorization", AUTH);
    assertThat(report.statusCode()).isEqualTo(200);
    long[] sums = new long[3];
    for (JsonNode row : TestServer.JSON.readTree(report.body()).path("rows")) {
      sums[0] += row.path("served").asLong();
      sums[1] += row.path("impressions").asLong();
      sums[2] += row.path("clicks").asLong();
    }
    return sums;
  }

  private static AdminClient.Snapshot snapshot(AdminClient admin) {
    HttpResponse<String> campaigns = admin.get(AdminClient.CAMPAIGNS);
    return new AdminClient.Snapshot(campaigns.headers().firstValue("ETag").orElse(null),
        campaigns.body(), admin.get("/v1/admin/versions").body());
  }

  /** Hostile JSON values, as the text that replaces a member. */
  private static List<String> hostileValues() {
    return List.of("null", "true", "0", "-1", "1e400", "-1e400", "1e9999999999",
        "-2.5e-9999999999",
        "123456789012345678901234567890", "1.5", "-0.0", "\"\"", "\"" + "x".repeat(5_000) + "\"",
        "\"\\u0000\\u0007\\u001b\"", "\"\\ud800\"", "\"\\u202e\\ud83d\\ude00\"", "[]", "{}",
        "[" + "1,".repeat(2_000) + "1]", "[".repeat(200) + "]".repeat(200),
        "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), "NaN");
  }

  /** Every path into {@code node}: object members by name, array elements by index. */
  private static List<List<Object>> paths(JsonNode node) {
    List<List<Object>> out = new ArrayList<>();
    collect(node, new ArrayList<>(), out);
    return out;
  }

  private static void collect(JsonNode node, List<Object> prefix, List<List<Object>> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<Object> path = new ArrayList<>(prefix);
        path.add(e.getKey());
        out.add(path);
        collect(e.getValue(), path, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> path = new ArrayList<>(prefix);
        path.add(i);
        out.add(path);
        collect(node.get(i), path, out);
      }
    }
  }

  /** The JSON text of {@code base} with the member at {@code path} replaced by raw text. */
  private static String replace(JsonNode base, List<Object> path, String rawValue) {
    JsonNode copy = base.deepCopy();
    JsonNode parent = copy;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
    }
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer index) {
      ((ArrayNode) parent).set(index, TextNode.valueOf(HOLE));
    } else {
      ((ObjectNode) parent).set((String) last, TextNode.valueOf(HOLE));
    }
    try {
      return TestServer.JSON.writeValueAsString(copy).replace("\"" + HOLE + "\"", rawValue);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<byte[]> invalidUtf8() {
    return List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
        new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xE2, (byte) 0x82});
  }

  /** {@code bytes} with {@code insert} placed right after the first {@code marker}. */
  private static byte[] splice(byte[] bytes, String marker, byte[] insert) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf(marker) + 2;
    return concat(java.util.Arrays.copyOf(bytes, at), insert,
        java.util.Arrays.copyOfRange(bytes, at, bytes.length));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() > 60 ? oneLine.substring(0, 60) + "…(" + s.length() + ")" : oneLine;
  }
}
