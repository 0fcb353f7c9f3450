package dev.ordersaga.notifier.template;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes customer notices from the templates {@code notifier/templates/<language>.properties} on
 * the classpath: one subject and one outcome line per {@link NoticeReason}, a refund line (issued,
 * none, or pending: a REFUND_DELAYED notice without an amount refunded) and the body around them. A
 * customer's locale picks the language by its language subtag ({@code ko-KR} is {@code ko}); any
 * language without templates gets English.
 *
 * <p>Values are inserted as they are, never read as templates themselves, with control characters
 * removed, so an order id cannot add lines to the subject or placeholders to the text.
 */
public final class NoticeTemplates {

  /** The language of every locale without templates of its own. */
  public static final String FALLBACK_LANGUAGE = "en";

  /** Languages with templates. */
  public static final List<String> LANGUAGES = List.of("en", "ko");

  private static final String LOCATION = "notifier/templates/";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}]+");

  private final Map<String, Properties> templates;

  private NoticeTemplates(Map<String, Properties> templates) {
    this.templates = templates;
    checkComplete();
  }

  /**
   * Loads the templates of every language in {@link #LANGUAGES}.
   *
   * @throws IllegalStateException when a file or key is missing or a template names an unknown
   *     placeholder: the notifier should not start with templates it cannot render
   */
  public static NoticeTemplates load() {
    Map<String, Properties> templates = new LinkedHashMap<>();
    for (String language : LANGUAGES) {
      templates.put(language, read(LOCATION + language + ".properties"));
    }
    return new NoticeTemplates(templates);
  }

  /** The language notices to this locale are written in. */
  public String languageFor(String localeTag) {
    String language =
        localeTag == null ? "" : Locale.forLanguageTag(localeTag.replace('_', '-')).getLanguage();
    return templates.containsKey(language) ? language : FALLBACK_LANGUAGE;
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
    Properties text = templates.get(language);
    Locale locale = Locale.forLanguageTag(language);
    Map<String, String> values = new HashMap<>();
    values.put("orderId", clean(orderId));
    String refund;
    if (reason == NoticeReason.REFUND_DELAYED && refunded == null) {
      refund = fill(text, "refund.pending", values);
    } else if (refunded == null) {
      refund = fill(text, "refund.none", values);
    } else {
      Map<String, String> money = new HashMap<>(values);
      money.put("amount", amount(refunded, locale));
      money.put("currency", refunded.currency());
      refund = fill(text, "refund.issued", money);
    }
    String subject = clean(fill(text, "subject." + reason.name(), values));
    values.put("outcome", fill(text, "outcome." + reason.name(), values));
    values.put("refund", refund);
    String body = fill(text, "body", values);
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

  private static String fill(Properties text, String key, Map<String, String> values) {
    String template = text.getProperty(key);
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalStateException(
            "template " + key + " uses unknown placeholder {" + matcher.group(1) + "}");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String clean(String value) {
    return UNSAFE.matcher(value).replaceAll(" ").strip();
  }

  private void checkComplete() {
    List<String> keys =
        new ArrayList<>(List.of("refund.issued", "refund.none", "refund.pending", "body"));
    for (NoticeReason reason : NoticeReason.values()) {
      keys.add("subject." + reason.name());
      keys.add("outcome." + reason.name());
    }
    templates.forEach(
        (language, text) -> {
          for (String key : keys) {
            String value = text.getProperty(key);
            if (value == null || value.isBlank()) {
              throw new IllegalStateException(
                  "notice template " + key + " is missing for language " + language);
            }
          }
          // a trial run of every template, so an unknown placeholder stops the start
          for (NoticeReason reason : NoticeReason.values()) {
            render(language, reason, "order", null);
            render(language, reason, "order", Money.of("1", "EUR"));
          }
        });
  }

  private static Properties read(String resource) {
    InputStream in = NoticeTemplates.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("notice templates " + resource + " are not on the classpath");
    }
    Properties properties = new Properties();
    try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read notice templates " + resource, e);
    }
    return properties;
  }
}
