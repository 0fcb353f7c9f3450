package dev.ordersaga.opscli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The kinds of value the client checks itself, as picocli converters: a refused value is a usage
 * error that names its option. Values the server owns (state, step and reason names, ages,
 * instants, queue names) are the server's to check, so the client cannot drift from the engine.
 */
final class OptionValues {

  private OptionValues() {}

  /** Any text that is not empty or blank. */
  static final class NonBlank implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("must not be empty");
      }
      return value;
    }
  }

  /** A whole number of at least 1. */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int number = Integer.parseInt(value.strip());
        if (number >= 1) {
          return number;
        }
      } catch (NumberFormatException e) {
        // refused below
      }
      throw new TypeConversionException("'" + value + "' is not a whole number of at least 1");
    }
  }

  /** A positive duration: whole seconds ({@code 90}) or ISO-8601 ({@code PT2M}). */
  static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip();
      Duration duration;
      try {
        duration =
            !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                ? Duration.ofSeconds(Long.parseLong(text))
                : Duration.parse(text);
      } catch (DateTimeParseException | NumberFormatException e) {
        duration = Duration.ZERO;
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new TypeConversionException(
            "'" + value + "' is not a positive number of seconds or a duration like PT2M");
      }
      return duration;
    }
  }
}
