package dev.ordersaga.notifier.template;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * Writes customer notices from Spring's {@link MessageSource} over {@code
 * notifier/notices_<language>.properties} (UTF-8, every text a {@link java.text.MessageFormat}):
 * one subject and one outcome line per {@link NoticeReason}, a refund line (issued, none, or
 * pending: a REFUND_DELAYED notice without an amount refunded) and the body around them. A
 * customer's locale picks the language by its language subtag ({@code ko-KR} is {@code ko}); any
 * language without a file gets English.
 *
 * <p>Values go in as MessageFormat arguments, so braces and apostrophes in them are text, never
 * pattern; control characters are removed from the order id, so it cannot add lines to the subject.
 * The amount is formatted here, in the language's way with the currency's decimals.
 */
public final class NoticeTemplates {

  /** The language of every locale without texts of its own. */
  public static final String FALLBACK_LANGUAGE = "en";

  /** Languages with texts. */
  public static final List<String> LANGUAGES = List.of("en", "ko");

  private static final String BASENAME = "notifier/notices";
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}]+");

  private final MessageSource texts;

  private NoticeTemplates(MessageSource texts) {
    this.texts = texts;
    checkComplete();
  }

  /**
   * Loads the texts of every language in {@link #LANGUAGES}.
   *
   * @throws IllegalStateException when a text is missing or cannot be rendered: the notifier should
   *     not start with notices it cannot write
   */
  public static NoticeTemplates load() {
    return load(BASENAME);
  }

  /** Loads the texts of another bundle ({@code <basename>_<language>.properties}), for tests. */
  static NoticeTemplates load(String basename) {
    ResourceBundleMessageSource texts = new ResourceBundleMessageSource();
    texts.setBasename(basename);
    texts.setDefaultEncoding(StandardCharsets.UTF_8.name());
    texts.setFallbackToSystemLocale(false);
    texts.setDefaultLocale(Locale.forLanguageTag(FALLBACK_LANGUAGE));
    // every text is a MessageFormat, so '' is one apostrophe in texts with no argument too
    texts.setAlwaysUseMessageFormat(true);
    return new NoticeTemplates(texts);
  }

  /** The language notices to this locale are written in. */
  public String languageFor(String localeTag) {
    String language =
        localeTag == null ? "" : Locale.forLanguageTag(localeTag.replace('_', '-')).getLanguage();
    return LANGUAGES.contains(language) ? language : FALLBACK_LANGUAGE;
  }

  /**
   * Writes the notice about one order's outcome.
   *
   * @param localeTag the customer's locale, such as {@code ko} or {@code en-GB}
   * @param refunded the amount given back, or {@code null} when nothing was charged (or, for
   *     REFUND_DELAYED, nothing was given back yet)
   */
  public RenderedNotice render(
      String localeTag, NoticeReason reason, String orderId, Money refunded) {
    String language = languageFor(localeTag);
    Locale locale = Locale.forLanguageTag(language);
    String order = clean(orderId);
    String refund;
    if (reason == NoticeReason.REFUND_DELAYED && refunded == null) {
      refund = text("refund.pending", locale, order);
    } else if (refunded == null) {
      refund = text("refund.none", locale, order);
    } else {
      refund = text("refund.issued", locale, order, amount(refunded, locale), refunded.currency());
    }
    String subject = clean(text("subject." + reason.name(), locale, order));
    String outcome = text("outcome." + reason.name(), locale, order);
    String body = text("body", locale, order, outcome, refund);
    return new RenderedNotice(language, subject, body);
  }

  /** The amount with the locale's grouping and at least the currency's usual decimals. */
  static String amount(Money money, Locale locale) {
    BigDecimal amount = money.amount();
    int usual;
    try {
      usual = Math.max(Currency.getInstance(money.currency()).getDefaultFractionDigits(), 0);
    } catch (IllegalArgumentException unknownCurrency) {
      usual = 0;
    }
    NumberFormat format = NumberFormat.getNumberInstance(locale);
    format.setMinimumFractionDigits(usual);
    format.setMaximumFractionDigits(Math.max(usual, amount.scale()));
    return format.format(amount);
  }

  /** A text with its arguments, all strings: MessageFormat inserts them as they are. */
  private String text(String key, Locale locale, String... arguments) {
    return texts.getMessage(key, arguments, locale);
  }

  private static String clean(String value) {
    return UNSAFE.matcher(value).replaceAll(" ").strip();
  }

  /** Every text of every language is there and renders: else the notifier does not start. */
  private void checkComplete() {
    List<String> keys =
        new ArrayList<>(List.of("refund.issued", "refund.none", "refund.pending", "body"));
    for (NoticeReason reason : NoticeReason.values()) {
      keys.add("subject." + reason.name());
      keys.add("outcome." + reason.name());
    }
    for (String language : LANGUAGES) {
      Locale locale = Locale.forLanguageTag(language);
      for (String key : keys) {
        String value;
        try {
          value = text(key, locale, "order", "1", "EUR");
        } catch (NoSuchMessageException | IllegalArgumentException e) {
          throw new IllegalStateException(
              "notice text " + key + " is missing or broken for language " + language, e);
        }
        if (value.isBlank()) {
          throw new IllegalStateException(
              "notice text " + key + " is blank for language " + language);
        }
      }
    }
  }
}
