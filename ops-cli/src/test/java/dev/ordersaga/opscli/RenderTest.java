package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The readable forms, made from sample answers shaped as the operator API's records serialize
 * (under {@code src/test/resources/samples}): every item becomes a row, each value in its column.
 */
class RenderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sagaPageHasOneAlignedRowPerSagaAndTheNextCursor() {
    JsonNode page = sample("saga-page.json");

    String text = Render.sagaPage(page);

    List<Map<String, String>> rows = TableText.rows(text, "ORDER ID", page.path("items").size());
    List<JsonNode> items = list(page.path("items"));
    assertThat(rows).hasSameSizeAs(items);
    for (int i = 0; i < items.size(); i++) {
      JsonNode saga = items.get(i);
      Map<String, String> row = rows.get(i);
      assertThat(row.get("ORDER ID")).isEqualTo(saga.path("orderId").asText());
      assertThat(row.get("STATE")).startsWith(saga.path("state").asText());
      assertThat(row.get("STEP")).isEqualTo(saga.path("step").asText());
      assertThat(row.get("ATTEMPT")).isEqualTo(saga.path("attempt").asText());
      assertThat(row.get("STUCK")).isEqualTo(saga.path("stuck").asBoolean() ? "yes" : "-");
      assertThat(row.get("REASON"))
          .isEqualTo(saga.path("reason").isNull() ? "-" : saga.path("reason").asText());
      assertThat(row.get("CUSTOMER")).isEqualTo(saga.path("customerId").asText());
      assertThat(row.get("STARTED")).isEqualTo(second(saga.path("startedAt").asText()));
    }
    JsonNode parked = items.get(1);
    assertThat(rows.get(1).get("STATE")).contains(parked.path("parkedFrom").asText());
    assertThat(text).contains("--cursor " + page.path("nextCursor").asText());
  }

  @Test
  void anEmptyPageSaysSoAndOffersNoCursor() {
    String text =
        Render.sagaPage(
            JSON.createObjectNode().putNull("nextCursor").set("items", JSON.createArrayNode()));

    assertThat(text).isEqualTo("no sagas match\n");
  }

  @Test
  void sagaDetailShowsStatusEveryTimelineMessageAndTheAudit() {
    JsonNode detail = sample("saga-detail.json");
    JsonNode status = detail.path("status");

    String text = Render.sagaDetail(detail);

    assertThat(text).startsWith("saga " + status.path("orderId").asText() + "\n");
    assertThat(line(text, "state")).endsWith(status.path("state").asText());
    // the saga version shows in the table as well as in --json
    assertThat(line(text, "version")).endsWith("  " + status.path("sagaVersion").asText());
    assertThat(line(text, "step"))
        .contains(status.path("step").asText())
        .contains("attempt " + status.path("attempt").asText());
    assertThat(line(text, "incident")).endsWith("PROVIDER_REJECTED refund_failed");
    assertThat(line(text, "last action"))
        .contains(
            "RETRY not applied: the saga is parked: unpark it, resume it or compensate it?[31m");
    List<JsonNode> timeline = list(detail.path("timeline"));
    List<Map<String, String>> rows = TableText.rows(text, "#", timeline.size());
    for (int i = 0; i < timeline.size(); i++) {
      JsonNode entry = timeline.get(i);
      assertThat(rows.get(i).get("#")).isEqualTo(entry.path("sequence").asText());
      assertThat(rows.get(i).get("TYPE")).isEqualTo(entry.path("type").asText());
      assertThat(rows.get(i).get("DIR")).isEqualTo(entry.path("direction").asText());
      assertThat(rows.get(i).get("MESSAGE ID")).isEqualTo(entry.path("messageId").asText());
      assertThat(rows.get(i).get("PAYLOAD")).doesNotContain(status.path("orderId").asText());
    }
    // a payload is cut to fit; terminal escapes from the server never reach the terminal
    assertThat(rows.get(0).get("PAYLOAD")).endsWith("...");
    assertThat(rows.get(2).get("PAYLOAD")).contains("no capacity\\u001B[2J");
    assertThat(text).doesNotContain("\u001b");
    List<JsonNode> audit = list(detail.path("audit"));
    List<Map<String, String>> actions = TableText.rows(text, "AT", audit.size());
    assertThat(actions.get(0).get("WHO")).isEqualTo(audit.get(0).path("who").asText());
    assertThat(actions.get(0).get("OUTCOME")).isEqualTo(audit.get(0).path("outcome").asText());
    assertThat(actions.get(0).get("REASON")).isEqualTo(audit.get(0).path("reason").asText());
  }

  @Test
  void actionResultShowsWhereTheSagaStoodBeforeAndAfter() {
    JsonNode result = sample("action-result.json");

    String text = Render.actionResult(result);

    assertThat(text.lines().findFirst().orElseThrow())
        .contains(result.path("action").asText())
        .contains(result.path("orderId").asText())
        .endsWith(result.path("outcome").asText());
    assertThat(line(text, "before"))
        .contains(result.path("before").path("state").asText())
        .contains("attempt " + result.path("before").path("attempt").asText());
    assertThat(line(text, "after"))
        .contains(result.path("after").path("state").asText())
        .contains("attempt " + result.path("after").path("attempt").asText());
    assertThat(line(text, "action id")).endsWith(result.path("actionId").asText());
    assertThat(text).doesNotContain("detail");
  }

  @Test
  void dryRunReportListsThePlanForEachSagaAndSaysNothingChanged() {
    JsonNode report = sample("bulk-dry-run.json");

    String text = Render.bulkReport(report);

    assertThat(text.lines().findFirst().orElseThrow())
        .contains("dry run")
        .contains("nothing was changed");
    assertThat(line(text, "filter")).contains("state=COMPENSATION_FAILED,PARKED olderThan=PT1H");
    assertThat(line(text, "counts")).contains("WOULD_APPLY 1").contains("SKIPPED 1");
    assertThat(line(text, "truncated")).contains(report.path("maxSagas").asText());
    List<JsonNode> sagas = list(report.path("sagas"));
    List<Map<String, String>> rows = TableText.rows(text, "ORDER ID", sagas.size());
    assertThat(rows.get(0)).doesNotContainKey("OUTCOME");
    for (int i = 0; i < sagas.size(); i++) {
      assertThat(rows.get(i).get("ORDER ID")).isEqualTo(sagas.get(i).path("orderId").asText());
      assertThat(rows.get(i).get("PLAN")).isEqualTo(sagas.get(i).path("plan").asText());
      assertThat(rows.get(i).get("DETAIL")).isEqualTo(sagas.get(i).path("detail").asText());
      assertThat(rows.get(i).get("STANDING"))
          .startsWith(sagas.get(i).path("standing").path("state").asText());
    }
    assertThat(rows.get(1).get("STANDING"))
        .contains("from AWAITING_PAYMENT")
        .contains("holding payment.PaymentAuthorized");
  }

  @Test
  void realRunReportShowsEachSagasCheckedOutcome() {
    JsonNode report = sample("bulk-run.json");

    String text = Render.bulkReport(report);

    assertThat(text).doesNotContain("dry run").doesNotContain("truncated");
    List<JsonNode> sagas = list(report.path("sagas"));
    List<Map<String, String>> rows = TableText.rows(text, "ORDER ID", sagas.size());
    assertThat(rows.get(0).get("OUTCOME")).isEqualTo("VERIFIED");
    assertThat(rows.get(0).get("AFTER")).startsWith("PARKED (from AWAITING_PAYMENT)");
    assertThat(rows.get(1).get("OUTCOME")).isEqualTo("UNVERIFIED");
    assertThat(rows.get(1).get("DETAIL")).startsWith("recorded in the saga's journal");
    assertThat(rows.get(2).get("OUTCOME")).isEqualTo("SKIPPED");
    assertThat(rows.get(2).get("AFTER")).isEqualTo("-");
    assertThat(rows.get(2).get("DETAIL")).isEqualTo(sagas.get(2).path("detail").asText());
  }

  @Test
  void auditPageNamesWhatEachEntryTouched() {
    JsonNode page = sample("audit-page.json");

    String text = Render.auditPage(page);

    List<JsonNode> items = list(page.path("items"));
    List<Map<String, String>> rows = TableText.rows(text, "AT", items.size());
    for (int i = 0; i < items.size(); i++) {
      assertThat(rows.get(i).get("ID")).isEqualTo(items.get(i).path("id").asText());
      assertThat(rows.get(i).get("ACTION")).isEqualTo(items.get(i).path("action").asText());
      assertThat(rows.get(i).get("WHO")).isEqualTo(items.get(i).path("who").asText());
    }
    assertThat(rows.get(0).get("ON")).isEqualTo("queue payment-service.commands (o-5)");
    assertThat(rows.get(1).get("ON")).isEqualTo("o-1 +2 more");
    assertThat(rows.get(2).get("ON")).isEqualTo("o-4");
    assertThat(text).doesNotContain("--cursor");
  }

  @Test
  void parkedQueuesShowEveryQueueWithItsCountAndAMissingParkingQueue() {
    JsonNode counts = sample("parked-queues.json");

    String text = Render.parkedQueues(counts);

    assertThat(text.lines().findFirst().orElseThrow())
        .isEqualTo("4 parked messages in 2 queues (4 queues in the topology)");
    List<Map<String, String>> rows = TableText.rows(text, "QUEUE", 4);
    assertThat(rows)
        .extracting(r -> r.get("QUEUE"))
        .containsExactly(
            "payment-service.commands",
            "saga-engine.events",
            "order-service.commands",
            "notifier.commands");
    assertThat(rows.get(0).get("PARKED")).isEqualTo("3");
    assertThat(rows.get(2).get("PARKED")).isEqualTo("0");
    assertThat(rows.get(3).get("PARKING QUEUE"))
        .isEqualTo("notifier.commands.parked (missing on the broker)");
    assertThat(rows.get(0).get("PARKING QUEUE")).isEqualTo("payment-service.commands.parked");
  }

  @Test
  void nothingParkedSaysSo() {
    JsonNode counts =
        Render.parse(
            "{\"queues\": [{\"queue\": \"q\", \"parkingQueue\": \"q.parked\", \"parked\": 0,"
                + " \"missing\": false}], \"total\": 0}");

    assertThat(Render.parkedQueues(counts))
        .startsWith("nothing parked (1 queue in the topology)\n");
  }

  @Test
  void parkedMessagesShowWhyTheyWereParkedOnOneLineEach() {
    JsonNode list = sample("parked-list.json");

    String text = Render.parkedList(list);

    List<Map<String, String>> rows = TableText.rows(text, "MESSAGE ID", 2);
    assertThat(rows.get(0).get("MESSAGE ID")).isEqualTo("m-9");
    assertThat(rows.get(0).get("ERROR"))
        .isEqualTo("IllegalStateException: provider down?retry later");
    assertThat(rows.get(0).get("DELIVERIES")).isEqualTo("5");
    assertThat(rows.get(0).get("REASON")).isEqualTo("DELIVERY_LIMIT");
    assertThat(rows.get(1).get("REASON")).isEqualTo("UNDECODABLE MALFORMED_JSON");
    assertThat(rows.get(1).get("MESSAGE ID")).isEqualTo("-");
    assertThat(rows.get(1).get("PARKED AT")).isEqualTo("not a time");
    assertThat(rows.get(1).get("ERROR")).isEqualTo("not JSON");
    assertThat(text).contains(list.path("parkingQueue").asText());
  }

  @Test
  void redriveShowsOnlyTheMessagesThatWentBack() {
    JsonNode result = sample("redrive-result.json");

    String text = Render.redriveResult(result);

    assertThat(text.lines().findFirst().orElseThrow())
        .contains("redrove " + result.path("redriven").asInt() + " parked message ")
        .contains(result.path("queue").asText());
    List<Map<String, String>> rows = TableText.rows(text, "MESSAGE ID", 1);
    assertThat(rows.get(0).get("MESSAGE ID")).isEqualTo("m-9");
    assertThat(text).doesNotContain("m-10");
  }

  @Test
  void problemShowsTitleDetailAndEveryOtherProperty() {
    String problem =
        """
        {"type": "about:blank", "title": "Action refused", "status": 409,
         "detail": "the saga is already parked", "instance": "/ops/sagas/o-1/park",
         "orderId": "o-1", "action": "park", "state": "PARKED",
         "errors": [{"field": "reason", "message": "is required"}, "plain"]}
        """;

    String text = Render.refusal(409, problem, "operator");

    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("409 Action refused: the saga is already parked");
    assertThat(lines)
        .contains("  orderId: o-1", "  state: PARKED", "    - reason: is required", "    - plain");
    assertThat(text).doesNotContain("about:blank").doesNotContain("instance");
  }

  @Test
  void unauthorizedSaysWhichUserWasRefusedWhateverTheBody() {
    String bootError =
        "{\"timestamp\": \"2026-11-21T10:00:00Z\", \"status\": 401, \"error\": \"Unauthorized\","
            + " \"path\": \"/ops/sagas\"}";

    assertThat(Render.refusal(401, bootError, "kim"))
        .startsWith("401 Unauthorized\n")
        .contains("  path: /ops/sagas")
        .contains("user kim");
    assertThat(Render.refusal(401, "", "kim"))
        .startsWith("401 Unauthorized\n")
        .contains("user kim");
    assertThat(Render.refusal(403, null, "kim")).contains("kim lacks the OPERATOR role");
  }

  @Test
  void aBodyThatIsNotJsonIsQuotedByItsFirstLine() {
    String text = Render.refusal(502, "<html>\n<body>bad gateway</body>\n</html>", "operator");

    assertThat(text).startsWith("502 Bad Gateway: <html>\n");
  }

  @Test
  void tableCutsLongCellsAndKeepsEachRowOnOneLine() {
    Table table = new Table("A", "B").limit(1, 10);
    table.row("x", "0123456789abc");
    table.row("line\nbreak", null);

    List<String> lines = table.render().lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).endsWith("0123456...");
    assertThat(lines.get(2)).startsWith("line?break").endsWith("-");
    assertThat(lines.get(0).indexOf('B')).isEqualTo(lines.get(1).indexOf('0'));
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode sample(String name) {
    try (InputStream in = RenderTest.class.getResourceAsStream("/samples/" + name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static String second(String instant) {
    return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The line of a name-value block whose name is {@code name}. */
  private static String line(String text, String name) {
    List<String> found = new ArrayList<>();
    text.lines().filter(l -> l.startsWith("  " + name + "  ")).forEach(found::add);
    assertThat(found).as("a line named " + name).hasSize(1);
    return found.get(0).stripTrailing();
  }
}
