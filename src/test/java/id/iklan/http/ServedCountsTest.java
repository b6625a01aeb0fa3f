package id.iklan.http;

import static id.iklan.http.TestServer.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Served counts over HTTP (SPEC §4): what a response returns is counted at decision time, so a
 * campaign with a goal of 2 impressions is in exactly two responses, never a third.
 */
final class ServedCountsTest {
  @RegisterExtension static final TestServer server = TestServer.fixture();

  @Test
  void ads_campaignWithGoalOfTwo_isServedInExactlyTwoResponses() {
    List<String> winners = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      JsonNode ad = server.ads(Fixture.oneSlot("olahraga", "kotak")).path("slots").path("kotak");
      winners.add(ad.isNull() ? null : ad.path("campaignId").asText());
    }

    assertThat(winners).containsExactly("c-isotonik-terbatas", "c-isotonik-terbatas",
        "c-toko-olahraga", "c-toko-olahraga", "c-toko-olahraga", "c-toko-olahraga");

    JsonNode explained = server.ads(Fixture.oneSlot("olahraga", "kotak")
        .replace("\"slots\"", "\"explain\": true, \"slots\""),
        "Authorization", "Bearer " + ADMIN_TOKEN);
    assertThat(explained.path("explain").path("kotak").path("lost")
        .path("c-isotonik-terbatas").asText()).isEqualTo("goal-reached");
  }

  @Test
  void ads_explainedRequest_countsWhatItServes() {
    String explained = Fixture.oneSlot("gaya-hidup", "kotak")
        .replace("\"slots\"", "\"explain\": true, \"slots\"");

    JsonNode first = server.ads(explained, "Authorization", "Bearer " + ADMIN_TOKEN);
    JsonNode second = server.ads(Fixture.oneSlot("gaya-hidup", "kotak"));

    assertThat(first.path("slots").path("kotak").path("campaignId").asText())
        .isEqualTo("c-jam-tangan");
    assertThat(second.path("slots").get("kotak").isNull()).as("%s", second).isTrue();
  }
}
