package dev.ordersaga.notifier.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notice kind in English, Korean and a fallback locale, with and without refunds in
 * currencies of 0, 2 and 3 decimals, for a plain order id, one with line breaks and a NUL, and one
 * with apostrophes and braces: rendered byte for byte as {@code notifier/golden-notices.json} holds
 * them. The file was written by the hand-rolled templates before notices moved to a {@code
 * MessageSource}; it keeps the switch, and any later change of a text, visible.
 */
class NoticeGoldenTest {

  private static final NoticeTemplates templates = NoticeTemplates.load();

  static Stream<Arguments> golden() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (InputStream in =
        NoticeGoldenTest.class
            .getClassLoader()
            .getResourceAsStream("notifier/golden-notices.json")) {
      for (JsonNode entry : new ObjectMapper().readTree(in)) {
        cases.add(
            Arguments.of(entry.get("locale").asText() + " " + entry.get("reason").asText(), entry));
      }
    }
    assertThat(cases).hasSizeGreaterThan(200);
    return cases.stream();
  }

  @ParameterizedTest(name = "{index} {0}")
  @MethodSource("golden")
  void rendersAsBefore(String name, JsonNode entry) {
    JsonNode refunded = entry.get("refunded");
    Money refund =
        refunded.isNull()
            ? null
            : Money.of(refunded.get("amount").asText(), refunded.get("currency").asText());

    RenderedNotice notice =
        templates.render(
            entry.get("locale").asText(),
            NoticeReason.valueOf(entry.get("reason").asText()),
            entry.get("orderId").asText(),
            refund);

    assertThat(notice.language()).isEqualTo(entry.get("language").asText());
    assertThat(notice.subject()).isEqualTo(entry.get("subject").asText());
    assertThat(notice.body()).isEqualTo(entry.get("body").asText());
  }
}
