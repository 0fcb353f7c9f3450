package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "Application/JSON; charset=\"utf-8\""
      })
  void takesJsonInUtf8(String contentType) {
    assertThat(JsonBodies.contentTypeProblem(contentType)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*/*",
        "application/*",
        "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1",
        "application/json; version=2",
        "application/merge-patch+json",
        "text/plain",
        "text/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "not a media type",
        ""
      })
  void refusesEveryOtherContentType(String contentType) {
    assertThat(JsonBodies.contentTypeProblem(contentType)).isPresent();
    assertThat(JsonBodies.contentTypeProblem(null)).isPresent();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\": \"x\\ud800y\"}                | a",
        "{\"a\": {\"b\": [\"ok\", \"\\udfff\"]}} | a.b[1]",
        "\"\\ud800\"                           | body",
        "{\"a\\ud800\": 1}                     | a\\ud800",
      })
  void namesEachStringThatIsNotValidUnicode(String json, String field) {
    assertThatThrownBy(() -> JsonBodies.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.problems().get(0).field()).isEqualTo(field));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\": 1} {}",
        "{\"a\": 1, \"a\": 2}",
        "{'a': 1}",
        "{\"a\": NaN}",
        "\ufeff{}",
      })
  void refusesWhatIsNotStrictJson(String json) {
    assertThatThrownBy(() -> JsonBodies.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.problems().get(0).field()).isEqualTo("body"));
  }

  @org.junit.jupiter.api.Test
  void refusesDeepNestingHugeNumbersAndBadUtf8() {
    byte[] deep =
        ("[".repeat(JsonBodies.MAX_DEPTH + 1) + "]".repeat(JsonBodies.MAX_DEPTH + 1))
            .getBytes(StandardCharsets.UTF_8);
    byte[] number = ("{\"a\": " + "9".repeat(101) + "}").getBytes(StandardCharsets.UTF_8);
    byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
    for (byte[] body : new byte[][] {deep, number, overlong}) {
      assertThatThrownBy(() -> JsonBodies.read(body)).isInstanceOf(BadRequestException.class);
    }
    assertThat(
            JsonBodies.read(
                    ("[".repeat(JsonBodies.MAX_DEPTH) + "]".repeat(JsonBodies.MAX_DEPTH))
                        .getBytes(StandardCharsets.UTF_8))
                .isArray())
        .isTrue();
  }
}
