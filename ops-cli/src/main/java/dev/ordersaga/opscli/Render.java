package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The readable forms of the operator API's answers: tables and short summaries, made from the JSON
 * the server sent (so they show what the server said, field for field). Times are shown in UTC to
 * the second.
 */
final class Render {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final int REASON_WIDTH = 60;
  private static final int DETAIL_WIDTH = 90;
  private static final int PAYLOAD_WIDTH = 100;
  private static final int ERROR_WIDTH = 80;

  /** Problem fields shown in the first line, or not at all. */
  private static final Set<String> PROBLEM_HEAD =
      Set.of("type", "title", "status", "detail", "instance", "error", "message", "timestamp");

  private Render() {}

  // ---------------------------------------------------------------- sagas

  /** A page of {@code GET /ops/sagas}. */
  static String sagaPage(JsonNode page) {
    Table table =
        new Table(
            "ORDER ID",
            "STATE",
            "STEP",
            "ATTEMPT",
            "STUCK",
            "REASON",
            "CUSTOMER",
            "STARTED",
            "UPDATED");
    table.limit(5, REASON_WIDTH);
    for (JsonNode saga : page.path("items")) {
      table.row(
          text(saga, "orderId"),
          state(saga),
          text(saga, "step"),
          text(saga, "attempt"),
          saga.path("stuck").asBoolean() ? "yes" : null,
          text(saga, "reason"),
          text(saga, "customerId"),
          time(text(saga, "startedAt")),
          time(text(saga, "updatedAt")));
    }
    StringBuilder out = new StringBuilder();
    if (table.size() == 0) {
      out.append("no sagas match\n");
    } else {
      out.append(table.render()).append(count(table.size(), "saga", "sagas")).append('\n');
    }
    return out.append(nextPage(page)).toString();
  }

  /** {@code GET /ops/sagas/{orderId}}: status (with the saga version), timeline and audit. */
  static String sagaDetail(JsonNode detail) {
    JsonNode status = detail.path("status");
    List<String[]> fields = new ArrayList<>();
    fields.add(field("state", state(status)));
    fields.add(field("version", text(status, "sagaVersion")));
    String step = text(status, "step");
    fields.add(field("step", step == null ? null : step + ", attempt " + text(status, "attempt")));
    fields.add(field("reason", text(status, "reason")));
    if (text(status, "incident") != null) {
      fields.add(field("incident", text(status, "incident")));
    }
    String email = text(status, "customerEmail");
    String customer = text(status, "customerId");
    fields.add(field("customer", email == null ? customer : customer + " <" + email + ">"));
    fields.add(field("started", time(text(status, "startedAt"))));
    fields.add(field("updated", time(text(status, "updatedAt"))));
    fields.add(field("deadline", time(text(status, "deadlineAt"))));
    if (status.path("stuck").asBoolean()) {
      String since = time(text(status, "stuckSince"));
      fields.add(field("stuck", since == null ? "yes" : "yes, since " + since));
    }
    if (text(status, "heldReply") != null) {
      fields.add(field("held reply", text(status, "heldReply") + " (acted on when unparked)"));
    }
    if (status.path("cancelRequested").asBoolean()) {
      fields.add(field("cancel", "requested by the shopper"));
    }
    JsonNode last = status.path("lastAction");
    if (last.isObject()) {
      String action = text(last, "action");
      fields.add(
          field(
              "last action",
              action
                  + (last.path("applied").asBoolean()
                      ? " applied"
                      : " not applied: " + text(last, "detail"))
                  + " ("
                  + text(last, "actionId")
                  + ")"));
    }
    StringBuilder out = new StringBuilder();
    out.append("saga ").append(Table.safe(text(status, "orderId"))).append('\n');
    out.append(fields(fields));

    Table timeline = new Table("#", "RECORDED", "DIR", "TYPE", "MESSAGE ID", "PAYLOAD");
    timeline.limit(5, PAYLOAD_WIDTH);
    for (JsonNode entry : detail.path("timeline")) {
      timeline.row(
          text(entry, "sequence"),
          time(text(entry, "recordedAt")),
          text(entry, "direction"),
          text(entry, "type"),
          text(entry, "messageId"),
          payload(entry.path("payload")));
    }
    out.append('\n')
        .append("timeline: ")
        .append(count(timeline.size(), "message", "messages"))
        .append(", oldest first\n");
    if (timeline.size() > 0) {
      out.append(timeline.render());
    }

    Table audit = auditTable(detail.path("audit"));
    out.append('\n')
        .append("audit: ")
        .append(count(audit.size(), "operator action", "operator actions"))
        .append(audit.size() > 0 ? ", newest first\n" : "\n");
    if (audit.size() > 0) {
      out.append(audit.render());
    }
    return out.toString();
  }

  /** The checked result of an action on one saga ({@code POST /ops/sagas/{orderId}/...}). */
  static String actionResult(JsonNode result) {
    StringBuilder out = new StringBuilder();
    out.append(Table.safe(text(result, "action")))
        .append(' ')
        .append(Table.safe(text(result, "orderId")))
        .append(": ")
        .append(Table.safe(text(result, "outcome")))
        .append('\n');
    List<String[]> fields = new ArrayList<>();
    fields.add(field("before", standing(result.path("before"))));
    fields.add(field("after", standing(result.path("after"))));
    fields.add(field("action id", text(result, "actionId")));
    if (text(result, "detail") != null) {
      fields.add(field("detail", text(result, "detail")));
    }
    return out.append(fields(fields)).toString();
  }

  // ---------------------------------------------------------------- bulk

  /** The report of {@code POST /ops/bulk/{action}}. */
  static String bulkReport(JsonNode report) {
    boolean dryRun = report.path("dryRun").asBoolean();
    JsonNode sagas = report.path("sagas");
    StringBuilder out = new StringBuilder();
    out.append("bulk ")
        .append(Table.safe(text(report, "action")))
        .append(dryRun ? " (dry run: nothing was changed)" : "")
        .append(": ")
        .append(count(sagas.size(), "saga", "sagas"))
        .append(" selected\n");
    List<String[]> fields = new ArrayList<>();
    fields.add(field("filter", filter(report.path("filter"))));
    fields.add(
        field(
            "limits",
            "at most "
                + text(report, "maxSagas")
                + " sagas, "
                + text(report, "ratePerSecond")
                + " a second"));
    StringJoiner counts = new StringJoiner(", ");
    report.path("counts").properties().forEach(e -> counts.add(e.getKey() + " " + e.getValue()));
    fields.add(field("counts", counts.toString()));
    if (report.path("truncated").asBoolean()) {
      fields.add(
          field(
              "truncated",
              "more sagas matched than "
                  + text(report, "maxSagas")
                  + ": only the oldest were selected; run it again for the rest"));
    }
    out.append(fields(fields));
    if (sagas.isEmpty()) {
      return out.toString();
    }
    Table table =
        dryRun
            ? new Table("ORDER ID", "STANDING", "PLAN", "DETAIL").limit(3, DETAIL_WIDTH)
            : new Table("ORDER ID", "BEFORE", "PLAN", "OUTCOME", "AFTER", "DETAIL")
                .limit(5, DETAIL_WIDTH);
    for (JsonNode item : sagas) {
      JsonNode result = item.path("result");
      if (dryRun) {
        table.row(
            text(item, "orderId"),
            standing(item.path("standing")),
            text(item, "plan"),
            text(item, "detail"));
      } else {
        boolean acted = result.isObject();
        table.row(
            text(item, "orderId"),
            standing(item.path("standing")),
            text(item, "plan"),
            acted ? text(result, "outcome") : "SKIPPED",
            acted ? standing(result.path("after")) : null,
            acted && text(result, "detail") != null
                ? text(result, "detail")
                : text(item, "detail"));
      }
    }
    return out.append('\n').append(table.render()).toString();
  }

  // ---------------------------------------------------------------- audit

  /** A page of {@code GET /ops/audit}. */
  static String auditPage(JsonNode page) {
    Table table = auditTable(page.path("items"));
    StringBuilder out = new StringBuilder();
    if (table.size() == 0) {
      out.append("no audit entries match\n");
    } else {
      out.append(table.render()).append(count(table.size(), "entry", "entries")).append('\n');
    }
    return out.append(nextPage(page)).toString();
  }

  private static Table auditTable(JsonNode entries) {
    Table table = new Table("AT", "WHO", "ACTION", "OUTCOME", "ON", "REASON", "ID");
    table.limit(5, REASON_WIDTH);
    for (JsonNode entry : entries) {
      table.row(
          time(text(entry, "at")),
          text(entry, "who"),
          text(entry, "action"),
          text(entry, "outcome"),
          target(entry),
          text(entry, "reason"),
          text(entry, "id"));
    }
    return table;
  }

  private static String target(JsonNode entry) {
    String queue = text(entry, "queue");
    JsonNode ids = entry.path("orderIds");
    String orders =
        ids.isEmpty()
            ? null
            : ids.size() == 1
                ? ids.get(0).asText()
                : ids.get(0).asText() + " +" + (ids.size() - 1) + " more";
    if (queue == null) {
      return orders;
    }
    return "queue " + queue + (orders == null ? "" : " (" + orders + ")");
  }

  // ---------------------------------------------------------------- parked messages

  /** {@code GET /ops/parked}: every queue with its parked count, as the server sorted them. */
  static String parkedQueues(JsonNode counts) {
    JsonNode queues = counts.path("queues");
    int total = counts.path("total").asInt();
    StringBuilder out = new StringBuilder();
    int withParked = 0;
    for (JsonNode queue : queues) {
      if (queue.path("parked").asLong() > 0) {
        withParked++;
      }
    }
    out.append(
            total == 0
                ? "nothing parked"
                : count(total, "parked message", "parked messages")
                    + " in "
                    + count(withParked, "queue", "queues"))
        .append(" (")
        .append(count(queues.size(), "queue", "queues"))
        .append(" in the topology)\n");
    Table table = new Table("QUEUE", "PARKED", "PARKING QUEUE");
    for (JsonNode queue : queues) {
      String parking = text(queue, "parkingQueue");
      table.row(
          text(queue, "queue"),
          text(queue, "parked"),
          queue.path("missing").asBoolean() ? parking + " (missing on the broker)" : parking);
    }
    return out.append(table.render()).toString();
  }

  /** {@code GET /ops/parked/{queue}}. */
  static String parkedList(JsonNode list) {
    JsonNode messages = list.path("messages");
    StringBuilder out = new StringBuilder();
    if (messages.isEmpty()) {
      return out.append("no parked messages in ")
          .append(Table.safe(text(list, "parkingQueue")))
          .append('\n')
          .toString();
    }
    out.append(count(messages.size(), "parked message", "parked messages"))
        .append(" of ")
        .append(Table.safe(text(list, "queue")))
        .append(", oldest first (from ")
        .append(Table.safe(text(list, "parkingQueue")))
        .append("; they stay parked)\n");
    return out.append(parkedTable(messages, messages.size()).render()).toString();
  }

  /** {@code POST /ops/parked/{queue}/redrive}. */
  static String redriveResult(JsonNode result) {
    int redriven = result.path("redriven").asInt();
    StringBuilder out = new StringBuilder();
    out.append("redrove ")
        .append(count(redriven, "parked message", "parked messages"))
        .append(" (at most ")
        .append(text(result, "limit"))
        .append(") back to ")
        .append(Table.safe(text(result, "queue")))
        .append('\n');
    if (redriven > 0) {
      out.append(parkedTable(result.path("messages"), redriven).render());
    }
    return out.toString();
  }

  private static Table parkedTable(JsonNode messages, int first) {
    Table table =
        new Table(
            "MESSAGE ID",
            "TYPE",
            "SAGA",
            "REASON",
            "PARKED BY",
            "PARKED AT",
            "DELIVERIES",
            "ERROR");
    table.limit(7, ERROR_WIDTH);
    int shown = 0;
    for (JsonNode message : messages) {
      if (shown++ == first) {
        break;
      }
      String exception = text(message, "exception");
      String error =
          exception == null
              ? text(message, "exceptionMessage")
              : exception.substring(exception.lastIndexOf('.') + 1)
                  + (text(message, "exceptionMessage") == null
                      ? ""
                      : ": " + text(message, "exceptionMessage"));
      table.row(
          text(message, "messageId"),
          text(message, "type"),
          text(message, "sagaId"),
          text(message, "detail") == null
              ? text(message, "reason")
              : text(message, "reason") + " " + text(message, "detail"),
          text(message, "parkedBy"),
          time(text(message, "parkedAt")),
          text(message, "deliveries"),
          error);
    }
    return table;
  }

  // ---------------------------------------------------------------- refusals

  /**
   * What the server's refusal says, for people: the status and the problem's title and detail on
   * the first line, then its other properties (such as {@code field}, {@code state}, {@code
   * errors}), one a line. Works on {@code application/problem+json}, on Spring Boot's error JSON,
   * and on a body that is not JSON at all.
   */
  static String refusal(int status, String body, String user) {
    JsonNode problem = parse(body);
    String title = problem == null ? null : first(problem, "title", "error");
    String detail = problem == null ? null : first(problem, "detail", "message");
    StringBuilder out = new StringBuilder();
    out.append(status).append(' ').append(title == null ? reasonPhrase(status) : title);
    if (detail != null) {
      out.append(": ").append(detail);
    } else if (problem == null && body != null && !body.isBlank()) {
      String line = body.strip().lines().findFirst().orElse("");
      out.append(": ").append(line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
    out.append('\n');
    if (problem != null && problem.isObject()) {
      for (Map.Entry<String, JsonNode> property : problem.properties()) {
        if (PROBLEM_HEAD.contains(property.getKey())) {
          continue;
        }
        JsonNode value = property.getValue();
        if (value.isArray()) {
          out.append("  ").append(property.getKey()).append(":\n");
          value.forEach(element -> out.append("    - ").append(item(element)).append('\n'));
        } else {
          out.append("  ")
              .append(property.getKey())
              .append(": ")
              .append(value.isValueNode() ? value.asText() : value.toString())
              .append('\n');
        }
      }
    }
    if (status == 401) {
      out.append("  the server did not accept user ")
          .append(user)
          .append(" with this password (from SAGA_OPS_PASSWORD, --password-file or --password)\n");
    } else if (status == 403) {
      out.append("  user ").append(user).append(" lacks the OPERATOR role\n");
    }
    return Table.safeLines(out.toString());
  }

  private static String item(JsonNode element) {
    if (element.isObject() && element.has("field")) {
      ObjectNode rest = ((ObjectNode) element).deepCopy();
      String field = rest.remove("field").asText();
      JsonNode message = rest.has("message") ? rest.remove("message") : rest.remove("detail");
      return field
          + ": "
          + (message == null ? "" : message.asText())
          + (rest.isEmpty() ? "" : " " + rest);
    }
    return element.isValueNode() ? element.asText() : element.toString();
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 415 -> "Unsupported Media Type";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> status / 100 == 2 ? "but not an answer of the operator API" : "HTTP error";
    };
  }

  // ---------------------------------------------------------------- helpers

  /** Parses JSON, or {@code null} when the text is not JSON. */
  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** A field's text, or {@code null} when it is missing or JSON null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  private static String first(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = text(node, field);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** An instant in UTC to the second, or the text as it came when it is no instant. */
  static String time(String instant) {
    if (instant == null) {
      return null;
    }
    try {
      return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  private static String state(JsonNode saga) {
    String state = text(saga, "state");
    String parkedFrom = text(saga, "parkedFrom");
    return parkedFrom == null ? state : state + " (from " + parkedFrom + ")";
  }

  /** Where a saga stands: {@code STATE at STEP, attempt N}, with parking and a held reply. */
  static String standing(JsonNode standing) {
    if (!standing.isObject()) {
      return null;
    }
    StringBuilder text = new StringBuilder(state(standing));
    if (text(standing, "step") != null) {
      text.append(" at ").append(text(standing, "step"));
      text.append(", attempt ").append(text(standing, "attempt"));
    }
    if (text(standing, "heldReply") != null) {
      text.append(", holding ").append(text(standing, "heldReply"));
    }
    return text.toString();
  }

  /** A bulk action's filter as {@code name=value} pairs, lists comma-separated. */
  private static String filter(JsonNode filter) {
    StringJoiner text = new StringJoiner(" ");
    filter
        .properties()
        .forEach(
            e -> {
              JsonNode value = e.getValue();
              if (value.isNull()) {
                return;
              }
              if (value.isArray()) {
                StringJoiner values = new StringJoiner(",");
                value.forEach(v -> values.add(v.asText()));
                text.add(e.getKey() + "=" + values);
              } else {
                text.add(e.getKey() + "=" + value.asText());
              }
            });
    return text.toString();
  }

  /** A message's payload as one line of JSON, without the order id every payload repeats. */
  private static String payload(JsonNode payload) {
    if (payload.isMissingNode() || payload.isNull()) {
      return null;
    }
    if (payload.isObject() && payload.has("orderId")) {
      ObjectNode copy = ((ObjectNode) payload).deepCopy();
      copy.remove("orderId");
      return copy.toString();
    }
    return payload.toString();
  }

  private static String[] field(String name, String value) {
    return new String[] {name, value};
  }

  /** Name and value pairs, one a line, values aligned; pairs without a value are left out. */
  private static String fields(List<String[]> fields) {
    int width = 0;
    for (String[] field : fields) {
      if (field[1] != null) {
        width = Math.max(width, field[0].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] field : fields) {
      if (field[1] != null) {
        out.append("  ")
            .append(field[0])
            .append(" ".repeat(width - field[0].length() + 2))
            .append(Table.safe(field[1]))
            .append('\n');
      }
    }
    return out.toString();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String nextPage(JsonNode page) {
    String next = text(page, "nextCursor");
    return next == null ? "" : "more: --cursor " + Table.safe(next) + " (or --all)\n";
  }
}
