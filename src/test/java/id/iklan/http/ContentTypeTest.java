package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code Content-Type} an ad request may carry (the check runs on every request). */
final class ContentTypeTest {
  @ParameterizedTest
  @ValueSource(strings = {"application/json", "Application/JSON", " application/json ",
      "application/json; charset=utf-8", "application/json;charset=UTF-8",
      "application/vnd.iklan+json", "text/x-ads+JSON ; v=2", "\tapplication/json\t;"})
  void isJson_jsonTypes_areAccepted(String contentType) {
    assertThat(HttpApi.isJson(contentType)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded",
      "application/jsonp", "application/json5", "json", "", " ; application/json",
      "multipart/form-data; boundary=json", "application/xml+jsonx", "application/js on"})
  void isJson_otherTypes_areRefused(String contentType) {
    assertThat(HttpApi.isJson(contentType)).isFalse();
  }
}
