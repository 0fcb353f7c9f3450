package dev.ordersaga.opscli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: the command, its operands and its options. Options are {@code --name
 * value} or {@code --name=value}, before or after the command; a flag is {@code --name} (or {@code
 * --name=true|false}); {@code -h} is {@code --help}; after {@code --} everything is an operand.
 * Every option may be given once. Parsing checks that the command knows each option and has its
 * operands; whether a value is acceptable is checked where it is read.
 *
 * @param command the command's name, or {@code null} when none was given
 * @param options each option's value; a flag's is {@code "true"} or {@code "false"}
 */
record Invocation(String command, List<String> operands, Map<String, String> options) {

  Invocation {
    operands = List.copyOf(operands);
    options = Map.copyOf(options);
  }

  static Invocation parse(String... args) throws UsageException {
    String command = null;
    List<String> operands = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    boolean onlyOperands = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!onlyOperands && arg.equals("--")) {
        onlyOperands = true;
      } else if (!onlyOperands && (arg.startsWith("--") || arg.equals("-h"))) {
        String name = arg.equals("-h") ? "help" : arg.substring(2);
        String value = null;
        int equals = name.indexOf('=');
        if (equals >= 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        }
        final String optionName = name;
        boolean takesValue =
            Commands.takesValue(name)
                .orElseThrow(
                    () ->
                        new UsageException(commandOr(operands), "unknown option --" + optionName));
        if (takesValue && value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(
                commandOr(operands), "--" + name + " needs a value (or --" + name + "=VALUE)");
          }
          value = args[++i];
        } else if (!takesValue) {
          value = value == null ? "true" : value;
          if (!value.equals("true") && !value.equals("false")) {
            throw new UsageException(
                commandOr(operands), "--" + name + " is a flag: give it alone, or =true or =false");
          }
        }
        if (options.put(name, value) != null) {
          throw new UsageException(commandOr(operands), "--" + name + " is given more than once");
        }
      } else if (arg.startsWith("-") && !onlyOperands && arg.length() > 1) {
        throw new UsageException(commandOr(operands), "unknown option " + arg);
      } else {
        operands.add(arg);
      }
    }
    if (!operands.isEmpty()) {
      command = operands.remove(0);
    }
    Invocation invocation = new Invocation(command, operands, options);
    invocation.check();
    return invocation;
  }

  private static String commandOr(List<String> operands) {
    return operands.isEmpty() ? null : operands.get(0);
  }

  /** The command knows every option given, and has its operands (unless help is asked for). */
  private void check() throws UsageException {
    if (command == null) {
      return;
    }
    Commands.Spec spec =
        Commands.find(command)
            .orElseThrow(() -> new UsageException(null, "unknown command " + command));
    for (String name : options.keySet()) {
      if (Commands.global(name).isEmpty() && spec.option(name).isEmpty()) {
        throw new UsageException(command, command + " has no option --" + name);
      }
    }
    if (help()) {
      return;
    }
    if (operands.size() < spec.minOperands()) {
      throw new UsageException(
          command,
          command
              + " needs "
              + String.join(" ", spec.operands().subList(operands.size(), spec.minOperands())));
    }
    if (operands.size() > spec.operands().size()) {
      throw new UsageException(
          command,
          "unexpected "
              + operands.subList(spec.operands().size(), operands.size())
              + (spec.operands().isEmpty() ? ": " + command + " takes no operands" : ""));
    }
    for (Commands.Option option : spec.options()) {
      if (option.required() && !options.containsKey(option.name())) {
        throw new UsageException(
            command, command + " needs --" + option.name() + " " + option.value());
      }
    }
  }

  boolean help() {
    return flag("help");
  }

  boolean json() {
    return flag("json");
  }

  /** An operand by position; parsing made sure the required ones are there. */
  String operand(int index) {
    return operands.get(index);
  }

  Optional<String> operandOptional(int index) {
    return index < operands.size() ? Optional.of(operands.get(index)) : Optional.empty();
  }

  /** A text option; an empty or blank value is refused. */
  Optional<String> value(String name) throws UsageException {
    String value = options.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBlank()) {
      throw new UsageException(command, "--" + name + " must not be empty");
    }
    return Optional.of(value);
  }

  /** A required text option (parsing checked it is there). */
  String required(String name) throws UsageException {
    return value(name).orElseThrow(() -> new UsageException(command, command + " needs --" + name));
  }

  boolean flag(String name) {
    return "true".equals(options.get(name));
  }

  /** A flag as true, false or not given. */
  Optional<Boolean> bool(String name) {
    return Optional.ofNullable(options.get(name)).map(Boolean::parseBoolean);
  }

  /** A whole number of at least 1. */
  Optional<Integer> positive(String name) throws UsageException {
    Optional<String> value = value(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      int number = Integer.parseInt(value.get().strip());
      if (number >= 1) {
        return Optional.of(number);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UsageException(command, "--" + name + " must be a whole number of at least 1");
  }

  /** A positive duration: whole seconds ({@code 90}) or ISO-8601 ({@code PT2M}). */
  Optional<Duration> duration(String name) throws UsageException {
    Optional<String> value = value(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get().strip();
    Duration duration;
    try {
      duration =
          text.chars().allMatch(Character::isDigit)
              ? Duration.ofSeconds(Long.parseLong(text))
              : Duration.parse(text);
    } catch (DateTimeParseException | NumberFormatException e) {
      duration = Duration.ZERO;
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new UsageException(
          command, "--" + name + " must be a positive number of seconds or a duration like PT2M");
    }
    return Optional.of(duration);
  }
}
