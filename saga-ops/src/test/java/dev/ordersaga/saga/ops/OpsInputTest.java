package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.Problems.FieldProblem;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.view.SagaQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.LinkedMultiValueMap;

/** The operator API's input checks: strict JSON, filters, cursors, a resumed step's input. */
class OpsInputTest {

  private final RequestReader reader = new RequestReader();
  private final ObjectMapper json = new ObjectMapper();

  record Body(String reason, Integer limit, Boolean dryRun, SagaState state) {}

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"reason\": {\"$gt\": \"\"}}           | reason",
        "{\"reason\": 42}                        | reason",
        "{\"reason\": [\"a\"]}                   | reason",
        "{\"reason\": \"x\", \"sneaky\": 1}      | sneaky",
        "{\"reason\": \"x\", \"reason\": \"y\"}  | body",
        "{\"limit\": \"10\"}                     | limit",
        "{\"limit\": 1.5}                        | limit",
        "{\"dryRun\": \"false\"}                 | dryRun",
        "{\"dryRun\": 0}                         | dryRun",
        "{\"state\": \"NOPE\"}                   | state",
        "{\"state\": 3}                          | state",
        "{\"reason\": \"x\"} trailing            | body",
        "[1, 2]                                  | body",
        "not json                                | body",
      })
  void badBodiesAreRefusedNamingTheField(String body, String field) {
    assertThatThrownBy(() -> reader.body(body.getBytes(StandardCharsets.UTF_8), Body.class))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(field));
  }

  @Test
  void aGoodBodyIsRead() {
    Body body =
        reader.body(
            "{\"reason\": \"provider back\", \"limit\": 3, \"dryRun\": false, \"state\": \"PARKED\"}"
                .getBytes(StandardCharsets.UTF_8),
            Body.class);

    assertThat(body).isEqualTo(new Body("provider back", 3, false, SagaState.PARKED));
  }

  @Test
  void resumeInputIsDecodedIntoTheStepsCommandWithTheSagasOwnIdAndKey() throws Exception {
    JsonNode input =
        json.readTree(
            """
            {"address": {"recipient": "Kim Minji", "line1": "15 Sejong-daero", "city": "Seoul",
                         "postalCode": "04524", "country": "KR"},
             "items": [{"sku": "MUG-01", "quantity": 2,
                        "unitPrice": {"amount": "16.50", "currency": "EUR"}}]}
            """);

    Command command = ResumeInput.decode(reader, "order-9", Step.SCHEDULE_SHIPMENT, input);

    assertThat(command).isInstanceOf(ScheduleShipment.class);
    ScheduleShipment schedule = (ScheduleShipment) command;
    assertThat(schedule.orderId()).isEqualTo("order-9");
    assertThat(schedule.idempotencyKey())
        .isEqualTo(MessageIds.idempotencyKey("order-9", "SCHEDULE_SHIPMENT"));
    assertThat(schedule.address().line1()).isEqualTo("15 Sejong-daero");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"address\": {\"recipient\": \"K\", \"line1\": \"1\", \"country\": \"KR\"},"
            + " \"items\": [{\"sku\": \"M\", \"quantity\": 1,"
            + " \"unitPrice\": {\"amount\": \"1\", \"currency\": \"EUR\"}}]} | input.address",
        "{\"adress\": {}}                                                   | input.adress",
        "{\"idempotencyKey\": \"mine\"}                                     | input.idempotencyKey",
        "{\"orderId\": \"another-order\"}                                   | input.orderId",
        "{\"items\": \"two mugs\"}                                          | input.items",
        "\"just text\"                                                      | input",
      })
  void resumeInputThatDoesNotDecodeIsRefusedNamingTheField(String input, String field)
      throws Exception {
    JsonNode node = json.readTree(input);

    assertThatThrownBy(() -> ResumeInput.decode(reader, "order-9", Step.SCHEDULE_SHIPMENT, node))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(field));
  }

  @Test
  void aCompensationStepCannotBeResumed() {
    assertThatThrownBy(() -> ResumeInput.forwardStep(Step.REFUND_PAYMENT))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::field)
                    .containsExactly("fromStep"));
  }

  @Test
  void filterFromQueryParametersBecomesABoardQuery() {
    LinkedMultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
    parameters.add("state", "PARKED,COMPENSATION_FAILED");
    parameters.add("olderThan", "PT1H");
    parameters.add("newerThan", "2026-11-20T00:00:00Z");
    parameters.add("stuck", "true");
    Instant now = Instant.parse("2026-11-21T10:00:00Z");

    SagaQuery query =
        SagaFilter.from(QueryParameters.of(parameters, SagaFilter.PARAMETERS))
            .toQuery(now, Duration.ofSeconds(30), "");

    assertThat(query.states())
        .containsExactlyInAnyOrder(SagaState.PARKED, SagaState.COMPENSATION_FAILED);
    assertThat(query.startedBefore()).isEqualTo(Instant.parse("2026-11-21T09:00:00Z"));
    assertThat(query.startedAfter()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    assertThat(query.stuckIfDueBefore()).isEqualTo(Instant.parse("2026-11-21T09:59:30Z"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "state, NOPE",
    "stuck, maybe",
    "olderThan, yesterday",
    "olderThan, -PT1H",
    "newerThan, PT0S",
    "customerId, ''",
    "unknown, x"
  })
  void badFilterParametersAreRefusedNamingThem(String name, String value) {
    LinkedMultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
    parameters.add(name, value);

    assertThatThrownBy(
            () ->
                SagaFilter.from(QueryParameters.of(parameters, SagaFilter.PARAMETERS))
                    .toQuery(Instant.now(), Duration.ofSeconds(30), ""))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(name));
  }

  @Test
  void theSameFilterHasTheSameFingerprintWhateverTheOrderOfItsStates() {
    SagaFilter one =
        new SagaFilter(
            List.of(SagaState.PARKED, SagaState.COMPENSATING),
            null,
            null,
            null,
            null,
            null,
            "c",
            null);
    SagaFilter two =
        new SagaFilter(
            List.of(SagaState.COMPENSATING, SagaState.PARKED),
            null,
            null,
            null,
            null,
            null,
            "c",
            null);
    SagaFilter other =
        new SagaFilter(List.of(SagaState.PARKED), null, null, null, null, null, "c", null);

    assertThat(one.fingerprint()).isEqualTo(two.fingerprint()).isNotEqualTo(other.fingerprint());
  }
}
