package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValuesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "minji@example.com",
        "min.ji+orders@mail.example.co.kr",
        "o'brien@example.org",
        "x@example.technology"
      })
  void takesPlainAddresses(String address) {
    assertThat(RequestValues.isEmail(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<minji@example.com>",
        "\"\"@example.com",
        "\"minji\"@example.com",
        "minji@[127.0.0.1]",
        "minji@[IPv6:::1]",
        "Minji <minji@example.com>",
        "minji@localhost",
        "minji@example",
        "minji@example.invalidtld",
        "minji@@example.com",
        "minji@exa mple.com",
        "min..ji@example.com",
        ".minji@example.com",
        "minji.@example.com",
        "minji@example.com.",
        "minji(comment)@example.com",
        "민지@example.com",
        "@example.com",
        "minji@",
        ""
      })
  void refusesEverythingElse(String address) {
    assertThat(RequestValues.isEmail(address)).isFalse();
  }

  @Test
  void refusesAnAddressTooLong() {
    assertThat(RequestValues.isEmail("a".repeat(65) + "@example.com")).isFalse();
    assertThat(RequestValues.isEmail("a@" + "b".repeat(250) + ".com")).isFalse();
  }

  @Test
  void findsUnpairedSurrogatesAndNoncharacters() {
    assertThat(RequestValues.unicodeProblem("Seoul 서울 😀")).isEmpty();
    assertThat(RequestValues.unicodeProblem("a\ud800b")).get().asString().contains("surrogate");
    assertThat(RequestValues.unicodeProblem("a\udc00")).get().asString().contains("surrogate");
    assertThat(RequestValues.unicodeProblem("\ud83d")).get().asString().contains("surrogate");
    assertThat(RequestValues.unicodeProblem("a\uffff")).isPresent();
    assertThat(RequestValues.unicodeProblem("a\ufdd0")).isPresent();
  }

  @Test
  void decodesUtf8Strictly() {
    assertThat(RequestValues.utf8("서울".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo("서울");
    for (byte[] bad :
        List.of(
            new byte[] {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
            new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/' in 3 bytes
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
            new byte[] {'a', (byte) 0xE2, (byte) 0x82}, // cut short
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0x80})) {
      assertThatThrownBy(() -> RequestValues.utf8(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("UTF-8");
    }
  }

  @Test
  void takesInstantsFromYear1To9999() {
    assertThat(RequestValues.instant("2026-05-01T09:00:00+09:00"))
        .isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
    for (String bad :
        List.of(
            "-999999999-01-01T00:00:00Z",
            "+1000000000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "0000-12-31T23:59:59Z",
            "yesterday",
            "2026-05-01 00:00:00Z",
            "")) {
      assertThatThrownBy(() -> RequestValues.instant(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theOnlyParameterIsCheckedAndNamed() {
    assertThat(RequestValues.onlyParameter(Map.of("orderId", List.of("o-1")), "orderId"))
        .isEqualTo("o-1");
    for (Map<String, List<String>> bad :
        List.of(
            Map.<String, List<String>>of(),
            Map.of("orderId", List.of(" ")),
            Map.of("orderId", List.of("a", "b")),
            Map.of("orderId", List.of("x".repeat(201))),
            Map.of("orderId", List.of("a\u0000b")),
            Map.of("orderId", List.of("a\ud800")),
            Map.of("orderId", List.of("o-1"), "other", List.of("1")))) {
      assertThatThrownBy(() -> RequestValues.onlyParameter(bad, "orderId"))
          .as("%s", bad)
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(Problems.FieldProblem::field)
                      .containsExactly(bad.containsKey("other") ? "other" : "orderId"));
    }
  }
}
