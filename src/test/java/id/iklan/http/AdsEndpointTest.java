package id.iklan.http;

import static id.iklan.http.TestServer.ADMIN_TOKEN;
import static id.iklan.http.TestServer.NOW;
import static id.iklan.http.TestServer.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import id.iklan.tracking.InvalidTokenException;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.TrackingToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/ads} as a publisher's page sees it (SPEC §2, §3, §6): the shape of the answer,
 * the tracking links, geography from the edge headers, explain for admins, and the leniency the
 * spec promises (nulls, unknown members, enum case).
 */
final class AdsEndpointTest {
  private static final String INTERNASIONAL_PAGE = """
      {"page": {"url": "https://kabarkita.contoh.id/internasional/2026/11/18/kunjungan-menlu",
                "section": "internasional", "keywords": ["diplomasi", "jepang"],
                "title": "Menlu bertemu mitra Jepang", "language": "id"},
       "slots": [
         {"id": "atas", "sizes": [[728, 90], [970, 250]]},
         {"id": "samping", "sizes": [[160, 600]]},
         {"id": "tengah", "sizes": [[300, 250]]},
         {"id": "baca-juga", "formats": ["native"]},
         {"id": "bawah", "sizes": [[320, 50]]}
       ],
       "user": {"id": "pembaca-0001"},
       "device": {"type": "desktop"}}
      """;

  @RegisterExtension static final TestServer server = TestServer.fixture();

  // ---- the answer ----

  @Test
  void ads_validRequest_answersEverySlotInRequestOrderWithNullForNoFill() {
    JsonNode body = server.ads(INTERNASIONAL_PAGE);

    assertThat(body.path("requestId").asText()).isNotBlank();
    assertThat(fieldNames(body.path("slots")))
        .containsExactly("atas", "samping", "tengah", "baca-juga", "bawah");
    assertThat(body.path("slots").get("samping").isNull()).isTrue();
    assertThat(body.has("explain")).isFalse();
  }

  @Test
  void ads_imageAd_carriesCampaignCreativeAdvertiserSizeImageAndAlt() {
    JsonNode top = server.ads(INTERNASIONAL_PAGE).path("slots").path("atas");

    assertThat(top.path("campaignId").asText()).isEqualTo("c-maskapai-tokyo");
    assertThat(top.path("creativeId").asText()).isEqualTo("cr-maskapai-728");
    assertThat(top.path("advertiser").asText()).isEqualTo("Maskapai Timur Raya");
    assertThat(top.path("format").asText()).isEqualTo("image");
    assertThat(ints(top.path("size"))).containsExactly(728, 90);
    assertThat(top.path("imageUrl").asText()).isEqualTo("https://cdn.contoh.id/maskapai-728x90.png");
    assertThat(top.path("alt").asText()).isEqualTo("Terbang langsung ke Tokyo mulai Rp4 juta");
  }

  @Test
  void ads_imageWithoutAlt_altDefaultsToAdvertiser() {
    JsonNode bottom = server.ads(INTERNASIONAL_PAGE).path("slots").path("bawah");

    assertThat(bottom.path("campaignId").asText()).isEqualTo("c-teh-melati");
    assertThat(ints(bottom.path("size"))).containsExactly(320, 50);
    assertThat(bottom.path("alt").asText()).isEqualTo("Teh Melati Wangi");
  }

  @Test
  void ads_htmlAd_carriesItsMarkupAndSize() {
    JsonNode mid = server.ads(INTERNASIONAL_PAGE).path("slots").path("tengah");

    assertThat(mid.path("campaignId").asText()).isEqualTo("c-sepatu-lari");
    assertThat(mid.path("creativeId").asText()).isEqualTo("cr-sepatu-html");
    assertThat(mid.path("format").asText()).isEqualTo("html");
    assertThat(ints(mid.path("size"))).containsExactly(300, 250);
    assertThat(mid.path("html").asText())
        .isEqualTo("<a href=\"https://sepatu.contoh.id\">Diskon sepatu lari 30%</a>");
  }

  @Test
  void ads_nativeAd_carriesTitleBodyImageAndSponsorButNoSize() {
    JsonNode readNext = server.ads(INTERNASIONAL_PAGE).path("slots").path("baca-juga");

    assertThat(readNext.path("campaignId").asText()).isEqualTo("c-kopi-pagi");
    assertThat(readNext.path("creativeId").asText()).isEqualTo("cr-kopi-native");
    assertThat(readNext.path("advertiser").asText()).isEqualTo("Kopi Pagi Nusantara");
    assertThat(readNext.path("format").asText()).isEqualTo("native");
    assertThat(readNext.path("title").asText())
        .isEqualTo("Secangkir kopi untuk membaca kabar dunia");
    assertThat(readNext.path("body").asText())
        .isEqualTo("Biji kopi Gayo sangrai segar, dikirim ke rumah dalam dua hari.");
    assertThat(readNext.path("imageUrl").asText()).isEqualTo("https://cdn.contoh.id/kopi-thumb.jpg");
    assertThat(readNext.path("sponsor").asText()).isEqualTo("Kopi Pagi Nusantara");
    assertThat(readNext.has("size")).isFalse();
  }

  // ---- tracking links ----

  @Test
  void ads_trackingLinks_areAbsoluteOnTheRequestHost() {
    JsonNode slots = server.ads(INTERNASIONAL_PAGE).path("slots");
    String base = "http://127.0.0.1:" + server.port();

    for (String slot : List.of("atas", "tengah", "baca-juga", "bawah")) {
      assertThat(slots.path(slot).path("clickUrl").asText()).as(slot)
          .startsWith(base + "/v1/click?t=");
      assertThat(slots.path(slot).path("impressionUrl").asText()).as(slot)
          .startsWith(base + "/v1/imp?t=");
    }
  }

  @Test
  void ads_trackingTokens_verifyAndNameRequestSlotCampaignCreativeAndSection()
      throws InvalidTokenException {
    JsonNode body = server.ads(INTERNASIONAL_PAGE);
    TokenSigner signer = TokenSigner.fromText(SECRET);
    Map<String, String[]> expected = new LinkedHashMap<>();
    expected.put("atas", new String[] {"c-maskapai-tokyo", "cr-maskapai-728"});
    expected.put("tengah", new String[] {"c-sepatu-lari", "cr-sepatu-html"});
    expected.put("baca-juga", new String[] {"c-kopi-pagi", "cr-kopi-native"});
    expected.put("bawah", new String[] {"c-teh-melati", "cr-teh-320"});

    for (Map.Entry<String, String[]> e : expected.entrySet()) {
      JsonNode ad = body.path("slots").path(e.getKey());
      assertThat(ad.isObject()).as("slot %s in %s", e.getKey(), body).isTrue();
      for (String link : List.of("clickUrl", "impressionUrl")) {
        TrackingToken token = signer.verify(tokenOf(ad.path(link).asText()), NOW.getEpochSecond());
        assertThat(token.requestId()).as(link).isEqualTo(body.path("requestId").asText());
        assertThat(token.slotId()).as(link).isEqualTo(e.getKey());
        assertThat(token.campaignId()).as(link).isEqualTo(e.getValue()[0]);
        assertThat(token.creativeId()).as(link).isEqualTo(e.getValue()[1]);
        assertThat(token.section()).as(link).isEqualTo("internasional");
        assertThat(token.issuedAt()).as(link).isEqualTo(NOW.getEpochSecond());
        assertThat(token.expiresAt() - token.issuedAt()).as("default lifetime of %s", link)
            .isEqualTo(24 * 3600);
      }
    }
  }

  @Test
  void ads_trackingLinks_followTheHostHeaderOfTheRequest() throws IOException {
    String body = Fixture.oneSlot("ekonomi", "kotak");

    String response = rawPost("iklan.kabarkita.contoh.id", body);

    assertThat(response).startsWith("HTTP/1.1 200");
    JsonNode ad = TestServer.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4))
        .path("slots").path("kotak");
    assertThat(ad.path("clickUrl").asText())
        .startsWith("http://iklan.kabarkita.contoh.id/v1/click?t=");
    assertThat(ad.path("impressionUrl").asText())
        .startsWith("http://iklan.kabarkita.contoh.id/v1/imp?t=");
  }

  @Test
  void ads_hostsTakingTurns_eachAnswerLinksToItsOwnHost() throws IOException {
    String body = Fixture.oneSlot("ekonomi", "kotak");

    // the base URL is kept per event loop while the host stays the same; a new one replaces it
    for (String host : List.of("a.contoh.id", "a.contoh.id:8443", "b.contoh.id:8443",
        "a.contoh.id", "[::1]:9000", "a.contoh.id")) {
      String response = rawPost(host, body);
      JsonNode ad = TestServer.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4))
          .path("slots").path("kotak");
      assertThat(ad.path("clickUrl").asText()).as(host)
          .startsWith("http://" + host + "/v1/click?t=");
    }
  }

  @Test
  void ads_pageWithoutSection_tokenCarriesEmptySection() throws InvalidTokenException {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/"},
         "slots": [{"id": "spanduk", "sizes": [[468, 60]]}]}
        """;
    JsonNode ad = server.ads(body).path("slots").path("spanduk");

    TrackingToken token = TokenSigner.fromText(SECRET)
        .verify(tokenOf(ad.path("clickUrl").asText()), NOW.getEpochSecond());

    assertThat(token.campaignId()).isEqualTo("h-kabar-kita");
    assertThat(token.section()).isEmpty();
  }

  @Test
  void ads_trackingToken_isRejectedBySignerWithAnotherSecret() {
    JsonNode ad = server.ads(INTERNASIONAL_PAGE).path("slots").path("atas");
    TokenSigner other = TokenSigner.fromText("another-secret-of-enough-length");

    assertThat(catchThrowable(() ->
        other.verify(tokenOf(ad.path("clickUrl").asText()), NOW.getEpochSecond())))
        .isInstanceOf(InvalidTokenException.class);
  }

  // ---- geography (SPEC §3) ----

  @Test
  void ads_noGeoHeaders_locationUnknownMatchesNoGeoInclude() {
    assertThat(daerahWinner()).isEqualTo("c-geo-semua");
  }

  @Test
  void ads_countryHeaderOnly_matchesCountryTargetButNotSubdivision() {
    assertThat(daerahWinner("X-Geo-Country", "ID")).isEqualTo("c-geo-indonesia");
  }

  @Test
  void ads_regionHeaderWithCountryPrefix_matchesSubdivisionTarget() {
    assertThat(daerahWinner("X-Geo-Country", "ID", "X-Geo-Region", "ID-JB"))
        .isEqualTo("c-geo-jabar");
  }

  @Test
  void ads_regionHeaderWithoutCountryPrefix_matchesSubdivisionTarget() {
    assertThat(daerahWinner("X-Geo-Country", "ID", "X-Geo-Region", "JB"))
        .isEqualTo("c-geo-jabar");
  }

  @Test
  void ads_cityHeader_matchesCityTarget() {
    assertThat(daerahWinner("X-Geo-Country", "ID", "X-Geo-Region", "ID-JB",
        "X-Geo-City", "Bandung")).isEqualTo("c-geo-bandung");
  }

  @Test
  void ads_cityHeaderInOtherCase_matchesCityTarget() {
    assertThat(daerahWinner("X-Geo-Country", "id", "X-Geo-Region", "jb",
        "X-Geo-City", "BANDUNG")).isEqualTo("c-geo-bandung");
  }

  @Test
  void ads_excludedSubdivisionHeader_triggersGeoExclude() {
    assertThat(daerahWinner("X-Geo-Country", "ID", "X-Geo-Region", "ID-PA"))
        .isEqualTo("c-geo-semua");
  }

  @Test
  void ads_unknownLocation_doesNotTriggerGeoExclude() {
    assertThat(wisataWinner()).isEqualTo("c-wisata-kecuali-papua");
  }

  @Test
  void ads_onlyCountryKnown_doesNotTriggerSubdivisionExclude() {
    assertThat(wisataWinner("X-Geo-Country", "ID")).isEqualTo("c-wisata-kecuali-papua");
  }

  @Test
  void ads_excludedSubdivisionWithoutCountryPrefix_triggersGeoExclude() {
    assertThat(wisataWinner("X-Geo-Country", "ID", "X-Geo-Region", "PA"))
        .isEqualTo("c-wisata-umum");
  }

  @Test
  void ads_regionHeaderAlone_withCountryPrefix_isEnough() {
    assertThat(wisataWinner("X-Geo-Region", "ID-PA")).isEqualTo("c-wisata-umum");
  }

  @Test
  void ads_geoInRequestBody_isIgnored() {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/daerah/berita", "section": "daerah",
                  "geo": {"country": "ID", "region": "ID-JB", "city": "Bandung"}},
         "geo": {"country": "ID", "region": "ID-JB", "city": "Bandung"},
         "device": {"type": "mobile", "geo": {"country": "ID", "region": "ID-JB"}},
         "slots": [{"id": "kotak", "sizes": [[300, 250]]}]}
        """;

    assertThat(server.ads(body).path("slots").path("kotak").path("campaignId").asText())
        .isEqualTo("c-geo-semua");
  }

  // ---- explain ----

  @Test
  void ads_explainWithAdminToken_namesWinnerCandidatesAndWhyOthersLost() {
    JsonNode body = server.ads(explainRequest(true), "Authorization", "Bearer " + ADMIN_TOKEN);

    assertThat(body.path("slots").path("kotak").path("campaignId").asText())
        .isEqualTo("c-bank-tabungan");
    JsonNode slot = body.path("explain").path("kotak");
    assertThat(slot.path("winner").asText()).isEqualTo("c-bank-tabungan");
    assertThat(slot.path("candidates").isIntegralNumber()).as("candidates in %s", slot).isTrue();
    assertThat(slot.path("candidates").asInt()).isEqualTo(2);
    assertThat(textFields(slot.path("lost"))).contains(
        entry("c-asuransi-jiwa", "outranked"),
        entry("c-emas-jeda", "inactive"),
        entry("c-maskapai-tokyo", "section"),
        entry("h-kabar-kita", "no-fitting-creative"));
    assertThat(textFields(slot.path("lost"))).doesNotContainKey("c-bank-tabungan");
  }

  @Test
  void ads_explainForSlotNothingFits_hasNullWinner() {
    String request = """
        {"page": {"url": "https://kabarkita.contoh.id/ekonomi/berita", "section": "ekonomi"},
         "slots": [{"id": "kosong", "sizes": [[160, 600]]}], "explain": true}
        """;
    JsonNode body = server.ads(request, "Authorization", "Bearer " + ADMIN_TOKEN);

    assertThat(body.path("slots").get("kosong").isNull()).isTrue();
    JsonNode slot = body.path("explain").path("kosong");
    assertThat(slot.has("winner")).isTrue();
    assertThat(slot.get("winner").isNull()).isTrue();
    assertThat(slot.path("candidates").asInt()).isZero();
    assertThat(textFields(slot.path("lost"))).containsEntry("c-bank-tabungan",
        "no-fitting-creative");
  }

  @Test
  void ads_explainWithoutToken_returnsNoExplanation() {
    JsonNode body = server.ads(explainRequest(true));

    assertThat(body.has("explain")).isFalse();
    assertThat(body.toString()).doesNotContain("c-asuransi-jiwa").doesNotContain("c-emas-jeda");
  }

  @Test
  void ads_explainWithWrongToken_returnsNoExplanation() {
    JsonNode body = server.ads(explainRequest(true), "Authorization", "Bearer salah-token");

    assertThat(body.has("explain")).isFalse();
    assertThat(body.toString()).doesNotContain("c-asuransi-jiwa");
  }

  @Test
  void ads_explainWithTokenOfOtherScheme_returnsNoExplanation() {
    JsonNode body = server.ads(explainRequest(true), "Authorization", "Basic " + ADMIN_TOKEN);

    assertThat(body.has("explain")).isFalse();
  }

  @Test
  void ads_adminTokenWithoutExplainFlag_returnsNoExplanation() {
    JsonNode body = server.ads(explainRequest(false), "Authorization", "Bearer " + ADMIN_TOKEN);

    assertThat(body.has("explain")).isFalse();
  }

  // ---- leniency (SPEC §2) ----

  @Test
  void ads_nullOnOptionalMembers_meansAbsent() {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/", "section": null, "keywords": null,
                  "title": null, "text": null, "language": null},
         "slots": [{"id": "spanduk", "sizes": [[468, 60]], "formats": null}],
         "user": null, "device": null, "explain": null, "tmax": null}
        """;

    JsonNode ad = server.ads(body).path("slots").path("spanduk");

    assertThat(ad.path("campaignId").asText()).isEqualTo("h-kabar-kita");
  }

  @Test
  void ads_nullInsideOptionalObjects_meansAbsent() {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/"},
         "slots": [{"id": "spanduk", "sizes": null, "formats": ["native"]},
                   {"id": "kedua", "sizes": [[468, 60]]}],
         "user": {"id": null}, "device": {"type": null}}
        """;

    JsonNode slots = server.ads(body).path("slots");

    assertThat(fieldNames(slots)).containsExactly("spanduk", "kedua");
    assertThat(slots.path("kedua").path("campaignId").asText()).isEqualTo("h-kabar-kita");
  }

  @Test
  void ads_unknownMembers_areIgnored() {
    String body = """
        {"versi": 2, "eksperimen": {"nama": "tata-letak-baru"},
         "page": {"url": "https://kabarkita.contoh.id/", "penulis": "Redaksi", "rating": [1, 2]},
         "slots": [{"id": "spanduk", "sizes": [[468, 60]], "prioritas": "tinggi", "lazy": true}],
         "user": {"id": "pembaca-9", "segmen": ["olahraga"]},
         "device": {"type": "desktop", "os": "Linux"}}
        """;

    assertThat(server.ads(body).path("slots").path("spanduk").path("campaignId").asText())
        .isEqualTo("h-kabar-kita");
  }

  @Test
  void ads_deviceTypeInUpperCase_isMatchedCaseInsensitively() {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/teknologi/ponsel", "section": "teknologi"},
         "slots": [{"id": "kotak", "sizes": [[300, 250]]}], "device": {"type": "MOBILE"}}
        """;

    assertThat(server.ads(body).path("slots").path("kotak").path("campaignId").asText())
        .isEqualTo("c-dompet-mobile");
  }

  @Test
  void ads_otherDeviceType_doesNotGetMobileOnlyCampaign() {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/teknologi/ponsel", "section": "teknologi"},
         "slots": [{"id": "kotak", "sizes": [[300, 250]]}], "device": {"type": "Desktop"}}
        """;

    assertThat(server.ads(body).path("slots").path("kotak").path("campaignId").asText())
        .isEqualTo("c-elektronik-umum");
  }

  @Test
  void ads_nativeFormatInUpperCase_isAccepted() {
    String body = """
        {"page": {"url": "https://kabarkita.contoh.id/internasional/x", "section": "Internasional"},
         "slots": [{"id": "baca-juga", "formats": ["NATIVE"]}]}
        """;

    assertThat(server.ads(body).path("slots").path("baca-juga").path("format").asText())
        .isEqualTo("native");
  }

  @Test
  void ads_pageUrlWithCharactersBrowsersLeaveUnescaped_isAccepted() {
    // location.href keeps | [ ] { } in a query as they are (WHATWG URL); the page must get ads.
    SoftAssertions.assertSoftly(softly -> {
      for (String url : List.of("https://kabarkita.contoh.id/cari?q=rusia|ukraina",
          "https://kabarkita.contoh.id/cari?tag[]=rusia&tag[]=korea",
          "https://kabarkita.contoh.id/internasional?utm_content={iklan}")) {
        String body = """
            {"page": {"url": "%s"}, "slots": [{"id": "spanduk", "sizes": [[468, 60]]}]}
            """.formatted(url);

        var response = server.postAds(body);

        softly.assertThat(response.statusCode()).as("%s: %s", url, response.body())
            .isEqualTo(200);
      }
    });
  }

  @Test
  void ads_pageUrlWithUpperCaseSchemeAndNonAsciiPath_isAccepted() {
    String body = """
        {"page": {"url": "HTTPS://KABARKITA.CONTOH.ID/berita/kafé-ekonomi"},
         "slots": [{"id": "spanduk", "sizes": [[468, 60]]}]}
        """;

    assertThat(server.postAds(body).statusCode()).isEqualTo(200);
  }

  // ---- deadline (SPEC §7) ----

  @Test
  void ads_tmaxOfOneMillisecond_stillAnswersEverySlot() {
    String body = INTERNASIONAL_PAGE.replace("\"device\"", "\"tmax\": 1, \"device\"");

    JsonNode slots = server.ads(body).path("slots");

    assertThat(fieldNames(slots))
        .containsExactly("atas", "samping", "tengah", "baca-juga", "bawah");
  }

  // ---- helpers ----

  private static String daerahWinner(String... headers) {
    JsonNode ad = server.ads(Fixture.oneSlot("daerah", "kotak"), headers)
        .path("slots").path("kotak");
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }

  private static String wisataWinner(String... headers) {
    JsonNode ad = server.ads(Fixture.oneSlot("wisata", "kotak"), headers)
        .path("slots").path("kotak");
    return ad.isNull() ? null : ad.path("campaignId").asText();
  }

  /** A raw HTTP/1.1 POST /v1/ads with the given Host header (the JDK client will not set one). */
  private static String rawPost(String host, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/ads HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String explainRequest(boolean explain) {
    return """
        {"page": {"url": "https://kabarkita.contoh.id/ekonomi/2026/11/18/suku-bunga",
                  "section": "ekonomi"},
         "slots": [{"id": "kotak", "sizes": [[300, 250]]}], "explain": %s}
        """.formatted(explain);
  }

  static String tokenOf(String url) {
    String query = URI.create(url).getRawQuery();
    assertThat(query).startsWith("t=");
    return URLDecoder.decode(query.substring(2), StandardCharsets.UTF_8);
  }

  static List<String> fieldNames(JsonNode object) {
    assertThat(object.isObject()).as("an object: %s", object).isTrue();
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isIntegralNumber() ? n.asInt() : null));
    return out;
  }

  private static Map<String, String> textFields(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
