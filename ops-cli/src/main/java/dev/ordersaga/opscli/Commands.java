package dev.ordersaga.opscli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Every command the client knows, its options, and the help text made from them. */
final class Commands {

  /**
   * An option.
   *
   * @param value what its value is called in the help, or {@code null} for a flag
   * @param required whether the command cannot go without it
   */
  record Option(String name, String value, boolean required, String help) {

    boolean isFlag() {
      return value == null;
    }

    String synopsis() {
      String text = "--" + name + (isFlag() ? "" : " " + value);
      return required ? text : "[" + text + "]";
    }
  }

  /**
   * A command.
   *
   * @param operands the names of its positional arguments; a name in brackets is optional
   */
  record Spec(
      String name,
      List<String> operands,
      String summary,
      String description,
      List<Option> options) {

    int minOperands() {
      return (int) operands.stream().filter(o -> !o.startsWith("[")).count();
    }

    Optional<Option> option(String name) {
      return options.stream().filter(o -> o.name().equals(name)).findFirst();
    }
  }

  static final String PROGRAM = "ops-cli";

  /** Help text is wrapped to this many columns. */
  private static final int WIDTH = 100;

  static final String DEFAULT_URL = "http://localhost:8080";
  static final String DEFAULT_USER = "operator";

  static final List<Option> GLOBAL =
      List.of(
          new Option(
              "url",
              "URL",
              false,
              "saga-engine's address (env SAGA_OPS_URL; default " + DEFAULT_URL + ")"),
          new Option(
              "user",
              "NAME",
              false,
              "the operator account (env SAGA_OPS_USER; default " + DEFAULT_USER + ")"),
          new Option(
              "password-file",
              "FILE",
              false,
              "read the password from the first line of FILE (else env SAGA_OPS_PASSWORD)"),
          new Option(
              "password",
              "PASSWORD",
              false,
              "the password itself: it shows in the process list, prefer the two above"),
          new Option(
              "timeout",
              "DURATION",
              false,
              "how long to wait for an answer: seconds or ISO-8601 such as PT2M (default 60 s;"
                  + " a real bulk run adds one second per saga at its rate)"),
          new Option("json", null, false, "print the server's JSON as is, one document"),
          new Option("help", null, false, "show help (also -h)"));

  private static final List<Option> FILTERS =
      List.of(
          new Option(
              "state",
              "S[,S]",
              false,
              "in any of these states: STARTED, AWAITING_PAYMENT, AWAITING_SHIPMENT,"
                  + " AWAITING_APPROVAL, COMPLETED, COMPENSATING, COMPENSATED, COMPENSATION_FAILED,"
                  + " PARKED"),
          new Option(
              "stuck",
              null,
              false,
              "only sagas past their step deadline plus the stuck margin (--stuck=false: only the"
                  + " others)"),
          new Option(
              "step",
              "STEP",
              false,
              "at this step: AUTHORIZE_PAYMENT, SCHEDULE_SHIPMENT, APPROVE_ORDER, CANCEL_SHIPMENT,"
                  + " REFUND_PAYMENT, REJECT_ORDER, NOTIFY_CUSTOMER, MARK_REFUND_PENDING"),
          new Option(
              "reason",
              "R",
              false,
              "with this failure reason, such as PAYMENT_DECLINED, SHIPMENT_FAILED, TIMED_OUT"),
          new Option("customer-id", "ID", false, "placed by this customer"),
          new Option("email", "E", false, "placed with this e-mail address (any case)"),
          new Option(
              "older-than",
              "AGE|INSTANT",
              false,
              "started before: a duration back from now (PT1H, P2D) or an instant"
                  + " (2026-11-21T10:00:00Z)"),
          new Option("newer-than", "AGE|INSTANT", false, "started after: as for --older-than"));

  private static final Option LIMIT = new Option("limit", "N", false, "page size");
  private static final Option CURSOR =
      new Option("cursor", "C", false, "continue where a previous page ended (its nextCursor)");
  private static final Option ALL =
      new Option("all", null, false, "follow nextCursor and print every page as one");

  private static final String REASON_HELP = "why: recorded in the audit log (required)";

  static final Option IDEMPOTENCY_KEY =
      new Option(
          "idempotency-key",
          "K",
          false,
          "send K as the request's Idempotency-Key (default: a fresh UUID each run): running the"
              + " command again with the same K (within the engine's 24 h) prints the first run's"
              + " answer and does not act twice, so a script can repeat it after a time-out");

  static final List<Spec> ALL_COMMANDS = commands();

  private Commands() {}

  private static List<Spec> commands() {
    List<Spec> specs = new ArrayList<>();
    specs.add(
        new Spec(
            "list",
            List.of(),
            "find sagas by state, step, reason, customer and age",
            "Lists sagas, oldest first (GET /ops/sagas). Here --reason is the saga's failure"
                + " reason; --failure-reason is the same filter under the name bulk uses.",
            concat(
                FILTERS,
                List.of(
                    new Option("failure-reason", "R", false, "the same as --reason here"),
                    LIMIT,
                    CURSOR,
                    ALL))));
    specs.add(
        new Spec(
            "show",
            List.of("ORDER_ID"),
            "one saga: status, timeline and audited actions",
            "Shows one saga's status, every message in its journal, and the operator actions on"
                + " it (GET /ops/sagas/ORDER_ID).",
            List.of()));
    for (String action : List.of("retry", "compensate", "park", "unpark")) {
      specs.add(
          new Spec(
              action,
              List.of("ORDER_ID"),
              actionSummary(action),
              actionSummary(action)
                  + " (POST /ops/sagas/ORDER_ID/"
                  + action
                  + "), then prints where the saga stood before and after.",
              List.of(new Option("reason", "TEXT", true, REASON_HELP), IDEMPOTENCY_KEY)));
    }
    specs.add(
        new Spec(
            "resume",
            List.of("ORDER_ID"),
            "run the saga's forward step again with corrected input",
            "Runs the forward step the saga stands at again with corrected input (POST"
                + " /ops/sagas/ORDER_ID/resume). The input is the step's command as JSON; its"
                + " orderId and idempotencyKey belong to the saga and may be left out. Give the"
                + " input inline with --input or from a file with --input-file (- reads standard"
                + " input).",
            List.of(
                new Option(
                    "from-step",
                    "STEP",
                    true,
                    "the step the saga stands at: AUTHORIZE_PAYMENT, SCHEDULE_SHIPMENT or"
                        + " APPROVE_ORDER"),
                new Option("input", "JSON", false, "the corrected command"),
                new Option("input-file", "FILE", false, "read the corrected command from FILE"),
                new Option("reason", "TEXT", true, REASON_HELP),
                IDEMPOTENCY_KEY)));
    specs.add(
        new Spec(
            "bulk",
            List.of("ACTION"),
            "retry, compensate, park or unpark every saga a filter selects",
            "Applies ACTION (retry, compensate, park or unpark) to every saga the filters select,"
                + " oldest first (POST /ops/bulk/ACTION). At least one filter is required. Without"
                + " --dry-run it acts; with it, it lists what it would do and changes nothing."
                + " Either way it prints one line per saga. Here --reason says why (audited);"
                + " the failure-reason filter is --failure-reason.",
            concat(
                FILTERS.stream()
                    .map(
                        o ->
                            o.name().equals("reason")
                                ? new Option(
                                    "failure-reason",
                                    o.value(),
                                    false,
                                    o.help() + " (list's --reason)")
                                : o)
                    .toList(),
                List.of(
                    new Option("reason", "TEXT", true, REASON_HELP),
                    new Option("dry-run", null, false, "only show what it would do"),
                    new Option("rate", "N", false, "at most N sagas a second (server default 5)"),
                    new Option(
                        "max",
                        "N",
                        false,
                        "at most N sagas, the oldest (server default 100); the report says if"
                            + " more matched"),
                    new Option(
                        "idempotency-key",
                        "K",
                        false,
                        IDEMPOTENCY_KEY.help()
                            + " (not with --dry-run: a dry run changes nothing)")))));
    specs.add(
        new Spec(
            "audit",
            List.of(),
            "the audit log of operator actions",
            "Lists audited operator actions, newest first (GET /ops/audit).",
            List.of(
                new Option("who", "USER", false, "done by this operator"),
                new Option(
                    "action",
                    "A",
                    false,
                    "retry, resume, compensate, park, unpark, bulk-<action> or redrive"),
                new Option("order", "ORDER_ID", false, "on this saga"),
                new Option("from", "INSTANT", false, "at or after (2026-11-21T10:00:00Z)"),
                new Option("to", "INSTANT", false, "before"),
                LIMIT,
                CURSOR,
                ALL)));
    specs.add(
        new Spec(
            "parked",
            List.of("[QUEUE]"),
            "the queues with parked messages, or one queue's parked messages",
            "Without QUEUE: every queue of the topology with how many messages are parked from"
                + " it, those with parked messages first (GET /ops/parked). With QUEUE, such as"
                + " payment-service.commands: its oldest parked messages, which stay parked (GET"
                + " /ops/parked/QUEUE).",
            List.of(
                new Option(
                    "limit", "N", false, "with QUEUE: how many to show (server default 20)"))));
    specs.add(
        new Spec(
            "redrive",
            List.of("QUEUE"),
            "send parked messages back to their queue",
            "Sends the oldest N parked messages of QUEUE back to it (POST"
                + " /ops/parked/QUEUE/redrive).",
            List.of(
                new Option("limit", "N", true, "how many to send back"),
                new Option("reason", "TEXT", true, REASON_HELP),
                IDEMPOTENCY_KEY)));
    specs.add(ReplayCheckCommand.SPEC);
    specs.add(CanaryCommand.SPEC);
    specs.add(
        new Spec("help", List.of("[COMMAND]"), "show help of a command", "Shows help.", List.of()));
    return List.copyOf(specs);
  }

  private static String actionSummary(String action) {
    return switch (action) {
      case "retry" -> "send the saga's step in progress again now";
      case "compensate" -> "give the order up: undo what was done and tell the customer";
      case "park" -> "quarantine the saga: it notes what arrives and acts on nothing";
      case "unpark" -> "put a parked saga back where it stood";
      default -> throw new IllegalArgumentException(action);
    };
  }

  private static List<Option> concat(List<Option> first, List<Option> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  static Optional<Spec> find(String name) {
    return ALL_COMMANDS.stream().filter(spec -> spec.name().equals(name)).findFirst();
  }

  static Optional<Option> global(String name) {
    return GLOBAL.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  /**
   * Whether an option of that name takes a value, whichever command it belongs to (an option means
   * the same everywhere), or empty when no command knows it.
   */
  static Optional<Boolean> takesValue(String name) {
    Map<String, Boolean> all = new LinkedHashMap<>();
    GLOBAL.forEach(o -> all.put(o.name(), !o.isFlag()));
    ALL_COMMANDS.forEach(spec -> spec.options().forEach(o -> all.put(o.name(), !o.isFlag())));
    return Optional.ofNullable(all.get(name));
  }

  /** The general usage: every command in one line. */
  static String usage() {
    StringBuilder text = new StringBuilder();
    text.append("usage: ").append(PROGRAM).append(" COMMAND [OPTIONS]\n\n");
    text.append("A command-line client of saga-engine's operator API (/ops).\n\ncommands:\n");
    for (Spec spec : ALL_COMMANDS) {
      String head = spec.name() + " " + String.join(" ", spec.operands());
      text.append(row(head.strip(), spec.summary()));
    }
    text.append("\nglobal options (before or after the command):\n");
    GLOBAL.forEach(o -> text.append(row(optionHead(o), o.help())));
    text.append(
        "\nexit codes: 0 done, 1 usage error, 2 the server refused, 3 the server could not be"
            + " reached, 4 the replay check found differences not expected.\n");
    text.append("Run '").append(PROGRAM).append(" COMMAND --help' for a command's options.\n");
    return text.toString();
  }

  /** The usage of one command. */
  static String usage(Spec spec) {
    StringBuilder text = new StringBuilder();
    StringBuilder synopsis = new StringBuilder("usage: " + PROGRAM + " " + spec.name());
    spec.operands().forEach(o -> synopsis.append(' ').append(o));
    spec.options().forEach(o -> synopsis.append(' ').append(o.synopsis()));
    synopsis.append(" [global options]");
    text.append(wrap(synopsis.toString(), 0, "    ")).append("\n\n");
    text.append(wrap(spec.description(), 0, "")).append('\n');
    if (!spec.options().isEmpty()) {
      text.append("\noptions:\n");
      spec.options().forEach(o -> text.append(row(optionHead(o), o.help())));
    }
    StringBuilder global = new StringBuilder("global options: ");
    GLOBAL.forEach(o -> global.append("--").append(o.name()).append(", "));
    global.setLength(global.length() - 2);
    global.append(" (see ").append(PROGRAM).append(" --help)");
    text.append('\n').append(wrap(global.toString(), 0, "  ")).append('\n');
    return text.toString();
  }

  private static String optionHead(Option option) {
    return "--" + option.name() + (option.isFlag() ? "" : " " + option.value());
  }

  private static String row(String head, String help) {
    int width = 28;
    String pad = " ".repeat(width + 2);
    StringBuilder line = new StringBuilder("  ").append(head);
    if (head.length() >= width) {
      line.append('\n').append(pad);
    } else {
      line.append(" ".repeat(width - head.length()));
    }
    return line.append(wrap(help, pad.length(), pad)).append('\n').toString();
  }

  /**
   * Wraps text at {@link #WIDTH} columns: the first line starts at column {@code first}, the others
   * after {@code indent}.
   */
  private static String wrap(String text, int first, String indent) {
    StringBuilder out = new StringBuilder();
    int column = first;
    boolean lineStart = true;
    for (String word : text.split(" ")) {
      if (!lineStart && column + 1 + word.length() > WIDTH) {
        out.append('\n').append(indent);
        column = indent.length();
        lineStart = true;
      }
      if (!lineStart) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
      lineStart = false;
    }
    return out.toString();
  }
}
