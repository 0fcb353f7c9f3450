package dev.ordersaga.messaging.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.EmailValidator;

/**
 * The checks every REST API makes on single values from a request, written once: valid Unicode,
 * strict UTF-8, e-mail addresses and instants. Each returns what is wrong (for a field error), or
 * the value.
 */
public final class RequestValues {

  /** The earliest instant taken: 0001-01-01T00:00:00Z. */
  public static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest instant taken: 9999-12-31T23:59:59.999999999Z. */
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** The longest e-mail address (RFC 5321's path limit less the brackets). */
  public static final int MAX_EMAIL_LENGTH = 254;

  /** A local part as a dot-atom of RFC 5322 (no quoted string, no comment, no brackets). */
  private static final Pattern DOT_ATOM =
      Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

  /** Addresses on the internet: no local host names, a known top-level domain. */
  private static final EmailValidator EMAIL = EmailValidator.getInstance(false, false);

  /** The longest query parameter value {@link #onlyParameter} takes. */
  public static final int MAX_PARAMETER_LENGTH = 200;

  private RequestValues() {}

  /**
   * The one value of the one parameter a read API takes (such as {@code GET
   * /payments?orderId=...}): required, given once, at most {@value #MAX_PARAMETER_LENGTH}
   * characters of valid Unicode without control characters; any other parameter is refused.
   *
   * @throws BadRequestException a 400 naming the parameter ({@link QueryParameters})
   */
  public static String onlyParameter(Map<String, List<String>> query, String name) {
    String value = QueryParameters.of(query, Set.of(name)).required(name);
    return QueryParameters.checkText(name, value, MAX_PARAMETER_LENGTH);
  }

  /**
   * What is wrong with a text's Unicode, if anything: an unpaired surrogate (as the JSON escape of
   * U+D800 alone makes), or a noncharacter such as U+FFFE.
   */
  public static Optional<String> unicodeProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = text.codePointAt(i);
        if (noncharacter(codePoint)) {
          return Optional.of(noncharacterMessage(codePoint));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            String.format(
                "is not valid Unicode: an unpaired surrogate \\u%04x at character %d",
                (int) c, i + 1));
      } else if (noncharacter(c)) {
        return Optional.of(noncharacterMessage(c));
      }
    }
    return Optional.empty();
  }

  private static boolean noncharacter(int codePoint) {
    return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
  }

  private static String noncharacterMessage(int codePoint) {
    return String.format("is not valid text: it holds the noncharacter U+%04X", codePoint);
  }

  /**
   * Bytes decoded as UTF-8, strictly: an overlong form ({@code C0 AF}), an encoded surrogate, a
   * truncated sequence or a byte that starts none is refused, never replaced.
   *
   * @throws IllegalArgumentException saying at which byte
   */
  public static String utf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new IllegalArgumentException(
          "is not valid UTF-8 at byte " + (in.position() + 1) + " (of " + bytes.length + ")");
    }
    try {
      result = decoder.flush(out);
      if (result.isError()) {
        result.throwException();
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("is not valid UTF-8 at its end");
    }
    return out.flip().toString();
  }

  /**
   * Whether a text is an e-mail address a notice can be sent to: Apache Commons Validator's {@link
   * EmailValidator} (a known top-level domain, no local host names), and beyond it a plain local
   * part (a dot-atom: no quoted string such as {@code ""}, no {@code <...>}) and a domain name, not
   * an address literal such as {@code [127.0.0.1]}.
   */
  public static boolean isEmail(String text) {
    if (text == null || text.length() > MAX_EMAIL_LENGTH) {
      return false;
    }
    int at = text.lastIndexOf('@');
    if (at < 1 || at > 64 || text.indexOf('@') != at) {
      return false;
    }
    String local = text.substring(0, at);
    String domain = text.substring(at + 1);
    return DOT_ATOM.matcher(local).matches() && !domain.startsWith("[") && EMAIL.isValid(text);
  }

  /**
   * An ISO-8601 instant ({@code 2026-05-01T00:00:00Z}, or with an offset: {@code
   * 2026-05-01T09:00:00+09:00}) from year 1 to year 9999.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Instant instant(String text) {
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeException notUtc) {
      try {
        instant = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeException e) {
        String hint =
            text.contains(" ")
                ? " (a '+' in a query string reads as a space: write it as %2B, or use Z)"
                : "";
        throw new IllegalArgumentException(
            "must be an ISO-8601 instant such as 2026-05-01T00:00:00Z" + hint);
      }
    }
    if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
      throw new IllegalArgumentException(
          "must be an instant from year 1 to year 9999, such as 2026-05-01T00:00:00Z");
    }
    return instant;
  }
}
