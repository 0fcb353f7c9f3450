package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands on sagas: {@code list}, {@code show}, the actions on one saga ({@code retry}, {@code
 * compensate}, {@code park}, {@code unpark}, {@code resume}) and {@code bulk}.
 */
final class SagaCommands {

  static final String REASON_HELP = "why: recorded in the audit log (required)";

  static final String IDEMPOTENCY_KEY_HELP =
      "send K as the request's Idempotency-Key (default: a fresh UUID each run): running the"
          + " command again with the same K (within the engine's 24 h) prints the first run's"
          + " answer and does not act twice, so a script can repeat it after a time-out";

  private SagaCommands() {}

  /** The filters {@code list} and {@code bulk} share (the failure reason is each one's own). */
  static final class SagaFilter {

    @Option(
        names = "--state",
        paramLabel = "S",
        split = ",",
        description =
            "in any of these states: STARTED, AWAITING_PAYMENT, AWAITING_SHIPMENT,"
                + " AWAITING_APPROVAL, COMPLETED, COMPENSATING, COMPENSATED, COMPENSATION_FAILED,"
                + " PARKED")
    List<String> states;

    @Option(
        names = "--stuck",
        arity = "0..1",
        fallbackValue = "true",
        paramLabel = "true|false",
        description =
            "only sagas past their step deadline plus the stuck margin (--stuck=false: only the"
                + " others)")
    Boolean stuck;

    @Option(
        names = "--step",
        paramLabel = "STEP",
        description =
            "at this step: AUTHORIZE_PAYMENT, SCHEDULE_SHIPMENT, APPROVE_ORDER, CANCEL_SHIPMENT,"
                + " REFUND_PAYMENT, REJECT_ORDER, NOTIFY_CUSTOMER, MARK_REFUND_PENDING")
    String step;

    @Option(names = "--customer-id", paramLabel = "ID", description = "placed by this customer")
    String customerId;

    @Option(
        names = "--email",
        paramLabel = "E",
        description = "placed with this e-mail address (any case)")
    String email;

    @Option(
        names = "--older-than",
        paramLabel = "AGE|INSTANT",
        description =
            "started before: a duration back from now (PT1H, P2D) or an instant"
                + " (2026-11-21T10:00:00Z)")
    String olderThan;

    @Option(
        names = "--newer-than",
        paramLabel = "AGE|INSTANT",
        description = "started after: as for --older-than")
    String newerThan;

    /** The states as given, each stripped ({@code --state "A, B"} is A and B). */
    List<String> stateList() {
      return states == null ? List.of() : states.stream().map(String::strip).toList();
    }
  }

  /** Paging of a listing. */
  static final class Paging {

    @Option(
        names = "--limit",
        paramLabel = "N",
        converter = OptionValues.Positive.class,
        description = "page size")
    Integer limit;

    @Option(
        names = "--cursor",
        paramLabel = "C",
        description = "continue where a previous page ended (its nextCursor)")
    String cursor;

    @Option(names = "--all", description = "follow nextCursor and print every page as one")
    boolean all;

    void addTo(Map<String, String> query) {
      if (limit != null) {
        query.put("limit", limit.toString());
      }
      if (cursor != null) {
        query.put("cursor", cursor);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      header = "find sagas by state, step, reason, customer and age",
      description =
          "Lists sagas, oldest first (GET /ops/sagas). Here --reason is the saga's failure reason;"
              + " --failure-reason is the same filter under the name bulk uses.")
  static final class ListSagas extends ApiCommand {

    @Mixin SagaFilter filter;

    @Option(
        names = {"--reason", "--failure-reason"},
        paramLabel = "R",
        description =
            "with this failure reason, such as PAYMENT_DECLINED, SHIPMENT_FAILED, TIMED_OUT")
    String failureReason;

    @Mixin Paging paging;

    @Override
    Request request() {
      Map<String, String> query = new LinkedHashMap<>();
      if (filter.states != null) {
        query.put("state", String.join(",", filter.stateList()));
      }
      put(query, "stuck", filter.stuck == null ? null : filter.stuck.toString());
      put(query, "step", filter.step);
      put(query, "reason", failureReason);
      put(query, "customerId", filter.customerId);
      put(query, "email", filter.email);
      put(query, "olderThan", filter.olderThan);
      put(query, "newerThan", filter.newerThan);
      paging.addTo(query);
      return new Request(
          "/ops/sagas", query, null, null, cli.timeout(), paging.all, Render::sagaPage);
    }

    private static void put(Map<String, String> query, String name, String value) {
      if (value != null) {
        query.put(name, value);
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      header = "one saga: status, timeline and audited actions",
      description =
          "Shows one saga's status (its state, step and saga version), every message in its"
              + " journal, and the operator actions on it (GET /ops/sagas/ORDER_ID).")
  static final class Show extends ApiCommand {

    @Parameters(paramLabel = "ORDER_ID", description = "the saga's order id")
    String orderId;

    @Override
    Request request() {
      return Request.get(
          "/ops/sagas/" + OpsClient.segment(orderId), Map.of(), cli.timeout(), Render::sagaDetail);
    }
  }

  /** An action on one saga that needs nothing but the why: its name is the command's. */
  abstract static class SagaAction extends ApiCommand {

    @Parameters(paramLabel = "ORDER_ID", description = "the saga's order id")
    String orderId;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = REASON_HELP)
    String reason;

    @Option(names = "--idempotency-key", paramLabel = "K", description = IDEMPOTENCY_KEY_HELP)
    String idempotencyKey;

    @Override
    Request request() {
      return new Request(
          "/ops/sagas/" + OpsClient.segment(orderId) + "/" + spec.name(),
          Map.of(),
          JSON.createObjectNode().put("reason", reason).toString(),
          idempotencyKey(idempotencyKey),
          cli.timeout(),
          false,
          Render::actionResult);
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      header = "send the saga's step in progress again now",
      description =
          "Sends the saga's step in progress again now (POST /ops/sagas/ORDER_ID/retry), then"
              + " prints where the saga stood before and after.")
  static final class Retry extends SagaAction {}

  @Command(
      name = "compensate",
      mixinStandardHelpOptions = true,
      header = "give the order up: undo what was done and tell the customer",
      description =
          "Gives the order up: undoes what was done and tells the customer (POST"
              + " /ops/sagas/ORDER_ID/compensate), then prints where the saga stood before and"
              + " after.")
  static final class Compensate extends SagaAction {}

  @Command(
      name = "park",
      mixinStandardHelpOptions = true,
      header = "quarantine the saga: it notes what arrives and acts on nothing",
      description =
          "Quarantines the saga: it notes what arrives and acts on nothing (POST"
              + " /ops/sagas/ORDER_ID/park), then prints where the saga stood before and after.")
  static final class Park extends SagaAction {}

  @Command(
      name = "unpark",
      mixinStandardHelpOptions = true,
      header = "put a parked saga back where it stood",
      description =
          "Puts a parked saga back where it stood (POST /ops/sagas/ORDER_ID/unpark), then prints"
              + " where the saga stood before and after.")
  static final class Unpark extends SagaAction {}

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      header = "run the saga's forward step again with corrected input",
      description =
          "Runs the forward step the saga stands at again with corrected input (POST"
              + " /ops/sagas/ORDER_ID/resume). The input is the step's command as JSON; its orderId"
              + " and idempotencyKey belong to the saga and may be left out. Give the input inline"
              + " with --input or from a file with --input-file (- reads standard input).")
  static final class Resume extends ApiCommand {

    /** The corrected command: inline or from a file, exactly one of them. */
    static final class Input {

      @Option(names = "--input", paramLabel = "JSON", description = "the corrected command")
      String inline;

      @Option(
          names = "--input-file",
          paramLabel = "FILE",
          description = "read the corrected command from FILE (- for standard input)")
      String file;
    }

    @Parameters(paramLabel = "ORDER_ID", description = "the saga's order id")
    String orderId;

    @Option(
        names = "--from-step",
        paramLabel = "STEP",
        required = true,
        description =
            "the step the saga stands at: AUTHORIZE_PAYMENT, SCHEDULE_SHIPMENT or APPROVE_ORDER")
    String fromStep;

    @ArgGroup(multiplicity = "1")
    Input input;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = REASON_HELP)
    String reason;

    @Option(names = "--idempotency-key", paramLabel = "K", description = IDEMPOTENCY_KEY_HELP)
    String idempotencyKey;

    @Override
    Request request() {
      if ("-".equals(input.file) && cli.passwordFromStandardInput()) {
        throw usage("--password-file - and --input-file - cannot both read standard input");
      }
      String text =
          input.inline != null
              ? input.inline
              : cli.read(spec.commandLine(), input.file, "--input-file");
      JsonNode parsed = Render.parse(text);
      if (parsed == null || !parsed.isObject()) {
        throw usage(
            (input.inline != null ? "--input" : "--input-file " + input.file)
                + " is not a JSON object");
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("fromStep", fromStep);
      body.set("input", parsed);
      body.put("reason", reason);
      return new Request(
          "/ops/sagas/" + OpsClient.segment(orderId) + "/resume",
          Map.of(),
          body.toString(),
          idempotencyKey(idempotencyKey),
          cli.timeout(),
          false,
          Render::actionResult);
    }
  }

  @Command(
      name = "bulk",
      mixinStandardHelpOptions = true,
      header = "retry, compensate, park or unpark every saga a filter selects",
      description =
          "Applies ACTION (retry, compensate, park or unpark) to every saga the filters select,"
              + " oldest first (POST /ops/bulk/ACTION). At least one filter is required. Without"
              + " --dry-run it acts; with it, it lists what it would do and changes nothing. Either"
              + " way it prints one line per saga. Here --reason says why (audited); the"
              + " failure-reason filter is --failure-reason.")
  static final class Bulk extends ApiCommand {

    /** What saga-engine does when a bulk request leaves them out (for the time-out estimate). */
    private static final int SERVER_BULK_RATE = 5;

    private static final int SERVER_BULK_MAX = 100;

    private static final List<String> ACTIONS = List.of("retry", "compensate", "park", "unpark");

    @Parameters(paramLabel = "ACTION", description = "retry, compensate, park or unpark")
    String action;

    @Mixin SagaFilter filter;

    @Option(
        names = "--failure-reason",
        paramLabel = "R",
        description =
            "with this failure reason, such as PAYMENT_DECLINED, SHIPMENT_FAILED, TIMED_OUT"
                + " (list's --reason)")
    String failureReason;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = REASON_HELP)
    String reason;

    @Option(names = "--dry-run", description = "only show what it would do")
    boolean dryRun;

    @Option(
        names = "--rate",
        paramLabel = "N",
        converter = OptionValues.Positive.class,
        description = "at most N sagas a second (server default 5)")
    Integer rate;

    @Option(
        names = "--max",
        paramLabel = "N",
        converter = OptionValues.Positive.class,
        description =
            "at most N sagas, the oldest (server default 100); the report says if more matched")
    Integer max;

    @Option(
        names = "--idempotency-key",
        paramLabel = "K",
        description = IDEMPOTENCY_KEY_HELP + " (not with --dry-run: a dry run changes nothing)")
    String idempotencyKey;

    @Override
    Request request() {
      if (!ACTIONS.contains(action)) {
        throw usage(
            "bulk ACTION must be retry, compensate, park or unpark (resume takes input per saga:"
                + " use resume ORDER_ID)");
      }
      ObjectNode selection = JSON.createObjectNode();
      if (filter.states != null) {
        ArrayNode list = selection.putArray("state");
        filter.stateList().forEach(list::add);
      }
      if (filter.stuck != null) {
        selection.put("stuck", filter.stuck);
      }
      putIfGiven(selection, "step", filter.step);
      putIfGiven(selection, "reason", failureReason);
      putIfGiven(selection, "customerId", filter.customerId);
      putIfGiven(selection, "email", filter.email);
      putIfGiven(selection, "olderThan", filter.olderThan);
      putIfGiven(selection, "newerThan", filter.newerThan);
      if (selection.isEmpty()) {
        throw usage(
            "bulk needs at least one filter (--state, --stuck, --step, --failure-reason,"
                + " --customer-id, --email, --older-than, --newer-than)");
      }
      if (dryRun && idempotencyKey != null) {
        throw usage(
            "--idempotency-key has no use with --dry-run: a dry run changes nothing and is"
                + " answered afresh each time");
      }
      ObjectNode body = JSON.createObjectNode();
      body.set("filter", selection);
      // explicit either way: the server takes a missing dryRun for a dry run
      body.put("dryRun", dryRun);
      if (rate != null) {
        body.put("ratePerSecond", rate);
      }
      if (max != null) {
        body.put("maxSagas", max);
      }
      body.put("reason", reason);
      return new Request(
          "/ops/bulk/" + action,
          Map.of(),
          body.toString(),
          dryRun ? null : idempotencyKey(idempotencyKey),
          cli.timeoutGiven() ? cli.timeout() : timeout(dryRun, rate, max),
          false,
          Render::bulkReport);
    }

    private static void putIfGiven(ObjectNode node, String name, String value) {
      if (value != null) {
        node.put(name, value);
      }
    }

    /**
     * The default wait for a bulk answer: a real run takes one second per saga at its rate, besides
     * the usual time.
     *
     * @param rate {@code --rate}, or {@code null} for the server's default
     * @param max {@code --max}, or {@code null} for the server's default
     */
    static Duration timeout(boolean dryRun, Integer rate, Integer max) {
      if (dryRun) {
        return OpsCli.DEFAULT_TIMEOUT;
      }
      long sagas = max != null ? max : SERVER_BULK_MAX;
      long perSecond = rate != null ? rate : SERVER_BULK_RATE;
      return OpsCli.DEFAULT_TIMEOUT.plusSeconds((sagas + perSecond - 1) / perSecond);
    }
  }
}
