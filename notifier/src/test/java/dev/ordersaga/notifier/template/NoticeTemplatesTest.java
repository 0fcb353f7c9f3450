package dev.ordersaga.notifier.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NoticeTemplatesTest {

  private static final NoticeTemplates templates = NoticeTemplates.load();
  private static final String ORDER = "ord-7f3a";

  /** Words each outcome's notice must use, per language: what the customer has to learn. */
  private static final Map<NoticeReason, String> ENGLISH_WORDS =
      new EnumMap<>(
          Map.of(
              NoticeReason.PAYMENT_DECLINED, "declined",
              NoticeReason.SHIPMENT_FAILED, "ship",
              NoticeReason.CANCELLED_BY_SHOPPER, "cancelled",
              NoticeReason.TIMED_OUT, "in time",
              NoticeReason.OPERATOR_ABORTED, "our team",
              NoticeReason.REFUND_DELAYED, "refund"));

  private static final Map<NoticeReason, String> KOREAN_WORDS =
      new EnumMap<>(
          Map.of(
              NoticeReason.PAYMENT_DECLINED, "결제",
              NoticeReason.SHIPMENT_FAILED, "배송",
              NoticeReason.CANCELLED_BY_SHOPPER, "취소",
              NoticeReason.TIMED_OUT, "시간",
              NoticeReason.OPERATOR_ABORTED, "담당자",
              NoticeReason.REFUND_DELAYED, "환불"));

  static Stream<Arguments> everyLanguageAndReason() {
    return Stream.of("en", "ko")
        .flatMap(
            language -> Arrays.stream(NoticeReason.values()).map(r -> Arguments.of(language, r)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyLanguageAndReason")
  void tellsTheOutcomeAndTheOrderWithoutARefund(String language, NoticeReason reason) {
    RenderedNotice notice = templates.render(language, reason, ORDER, null);

    String word = (language.equals("ko") ? KOREAN_WORDS : ENGLISH_WORDS).get(reason);
    assertThat(notice.language()).isEqualTo(language);
    assertThat(notice.subject()).contains(ORDER).doesNotContain("\n").hasSizeLessThan(80);
    assertThat(notice.subject() + notice.body()).contains(word);
    assertThat(notice.body()).contains(ORDER).doesNotContain("{").doesNotContain("}");
    assertThat(isKorean(notice.subject())).isEqualTo(language.equals("ko"));
    assertThat(isKorean(notice.body())).isEqualTo(language.equals("ko"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyLanguageAndReason")
  void saysHowMuchWasRefunded(String language, NoticeReason reason) {
    RenderedNotice refunded = templates.render(language, reason, ORDER, Money.of("1234.5", "USD"));
    RenderedNotice notRefunded = templates.render(language, reason, ORDER, null);

    assertThat(refunded.body()).contains("1,234.50 USD").contains(ORDER);
    assertThat(notRefunded.body()).doesNotContain("USD").doesNotContain("1,234");
    assertThat(refunded.subject()).isEqualTo(notRefunded.subject());
    assertThat(refunded.body()).isNotEqualTo(notRefunded.body());
  }

  /** A delayed refund is owed, not "not charged"; the customer is told another notice follows. */
  @Test
  void aDelayedRefundSaysTheMoneyWillComeBackAndThatWeWillWriteAgain() {
    RenderedNotice english = templates.render("en", NoticeReason.REFUND_DELAYED, ORDER, null);
    RenderedNotice korean = templates.render("ko", NoticeReason.REFUND_DELAYED, ORDER, null);

    assertThat(english.subject()).isEqualTo("Order ord-7f3a: your refund is delayed");
    assertThat(english.body())
        .contains("refund of your payment did not go through")
        .contains("we will write to you again when the refund is made")
        .doesNotContain("not been charged");
    assertThat(korean.subject()).isEqualTo("[주문 ord-7f3a] 환불이 지연되고 있습니다");
    assertThat(korean.body()).contains("전액 환불").doesNotContain("청구된 금액은 없습니다");
  }

  @Test
  void eachOutcomeHasItsOwnSubjectAndText() {
    for (String language : NoticeTemplates.LANGUAGES) {
      Set<String> subjects =
          Arrays.stream(NoticeReason.values())
              .map(reason -> templates.render(language, reason, ORDER, null).subject())
              .collect(Collectors.toSet());
      Set<String> bodies =
          Arrays.stream(NoticeReason.values())
              .map(reason -> templates.render(language, reason, ORDER, null).body())
              .collect(Collectors.toSet());
      assertThat(subjects).as(language).hasSize(NoticeReason.values().length);
      assertThat(bodies).as(language).hasSize(NoticeReason.values().length);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "ko,ko",
    "ko-KR,ko",
    "ko_KR,ko",
    "en,en",
    "en-GB,en",
    "fr,en",
    "zh-Hant-TW,en",
    "'',en"
  })
  void picksTheLanguageByTheLocalesLanguageAndFallsBackToEnglish(String locale, String language) {
    assertThat(templates.languageFor(locale)).isEqualTo(language);
    assertThat(templates.render(locale, NoticeReason.TIMED_OUT, ORDER, null).language())
        .isEqualTo(language);
  }

  @Test
  void formatsAmountsWithTheCurrencysUsualDecimals() {
    assertThat(
            templates
                .render("ko", NoticeReason.SHIPMENT_FAILED, ORDER, Money.of("12000", "KRW"))
                .body())
        .contains("12,000 KRW");
    assertThat(
            templates
                .render("en", NoticeReason.SHIPMENT_FAILED, ORDER, Money.of("7", "EUR"))
                .body())
        .contains("7.00 EUR");
    assertThat(
            templates
                .render("en", NoticeReason.SHIPMENT_FAILED, ORDER, Money.of("0.125", "BHD"))
                .body())
        .contains("0.125 BHD");
  }

  @Test
  void anOrderIdCannotAddHeaderLinesOrPlaceholders() {
    String hostile = "ord-1\r\nBcc: everyone@example.com\u0000 {amount}";

    RenderedNotice notice =
        templates.render("en", NoticeReason.PAYMENT_DECLINED, hostile, Money.of("5", "EUR"));

    assertThat(notice.subject()).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
    assertThat(notice.subject()).contains("{amount}");
    assertThat(notice.body()).doesNotContain("\r").doesNotContain("\nBcc:");
  }

  static Stream<Arguments> quotedNotices() {
    return Stream.of(
        Arguments.of(
            "en",
            "Order O'Brien {0} '{1}': we're sorry {PAYMENT_DECLINED}",
            "Hi 'O'Brien {0} '{1}''\n"
                + "It's about {PAYMENT_DECLINED}.\n"
                + "We've refunded 1,234.50 USD {refund}.\n"
                + "{end}\n"),
        Arguments.of(
            "ko",
            "[주문 O'Brien {0} '{1}'] '죄송합니다' {PAYMENT_DECLINED}",
            "'O'Brien {0} '{1}''님\n"
                + "'PAYMENT_DECLINED' 안내 {결과}.\n"
                + "'1,234.50 USD' 환불 {완료}.\n"
                + "{끝}\n"));
  }

  /**
   * Texts with an apostrophe ('' in the file) and quoted braces, and customer data with both, in
   * each language: the texts' apostrophes come out single, their braces literal, the data exactly
   * as sent.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("quotedNotices")
  void rendersApostrophesAndBracesOfTextsAndOfCustomerData(
      String language, String subject, String body) {
    NoticeTemplates quoted = NoticeTemplates.load("notifier/quoted-notices");

    RenderedNotice notice =
        quoted.render(
            language,
            NoticeReason.PAYMENT_DECLINED,
            "O'Brien {0} '{1}'",
            Money.of("1234.5", "USD"));

    assertThat(notice.language()).isEqualTo(language);
    assertThat(notice.subject()).isEqualTo(subject);
    assertThat(notice.body()).isEqualTo(body);
    // a text that uses no argument follows the same rule
    assertThat(quoted.render(language, NoticeReason.TIMED_OUT, "x", null).body())
        .contains(language.equals("ko") ? "'청구' 없음." : "You weren't charged.");
  }

  static Stream<Arguments> realSubjects() {
    return Stream.of(
        Arguments.of("en", "Order O'Brien's {0} '{amount}': payment declined"),
        Arguments.of("ko", "[주문 O'Brien's {0} '{amount}'] 결제가 거절되었습니다"));
  }

  /** The real texts, each language: an order id with apostrophes and braces is kept as it is. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("realSubjects")
  void keepsApostrophesAndBracesOfAnOrderIdInEachLanguage(String language, String subject) {
    RenderedNotice notice =
        templates.render(
            language,
            NoticeReason.PAYMENT_DECLINED,
            "O'Brien's {0} '{amount}'",
            Money.of("5", "EUR"));

    assertThat(notice.subject()).isEqualTo(subject);
    assertThat(notice.body()).contains("O'Brien's {0} '{amount}'").contains("5.00 EUR");
  }

  @Test
  void refusesToStartWhenALanguageLacksAText() {
    assertThatThrownBy(() -> NoticeTemplates.load("notifier/incomplete-notices"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outcome.TIMED_OUT")
        .hasMessageContaining("ko");
  }

  private static boolean isKorean(String text) {
    return text.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL);
  }
}
