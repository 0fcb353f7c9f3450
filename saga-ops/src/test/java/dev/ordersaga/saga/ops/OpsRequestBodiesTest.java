package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.Problems.FieldProblem;
import dev.ordersaga.messaging.web.ValidatedBodies;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fixed rules of the operator API's request bodies, as annotations on their records. */
class OpsRequestBodiesTest {

  private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
  private static final Validator VALIDATOR = FACTORY.getValidator();

  private final RequestReader reader = new RequestReader();

  @AfterAll
  static void close() {
    FACTORY.close();
  }

  private static List<FieldProblem> problems(Object body) {
    return ValidatedBodies.problems(VALIDATOR.validate(body));
  }

  private static SagaFilter customer(String id) {
    return new SagaFilter(null, null, null, null, null, null, id, null);
  }

  @Test
  void aReasonIsRequiredNotBlankShortAndPlain() {
    assertThat(problems(new OpsSagaController.ActionBody("provider back, line 2\n\tdone")))
        .isEmpty();
    assertThat(problems(new OpsSagaController.ActionBody(null)))
        .containsExactly(new FieldProblem("reason", "is required: say why"));
    assertThat(problems(new OpsSagaController.ActionBody("  ")))
        .containsExactly(new FieldProblem("reason", "is required: say why"));
    assertThat(problems(new OpsSagaController.ActionBody("x".repeat(ReasonText.MAX)))).isEmpty();
    assertThat(problems(new OpsSagaController.ActionBody("x".repeat(ReasonText.MAX + 1))))
        .containsExactly(new FieldProblem("reason", "is longer than 500 characters"));
    assertThat(problems(new OpsSagaController.ActionBody("bell\u0007")))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
    assertThat(problems(new OpsSagaController.ActionBody("next\u0085line")))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
  }

  @Test
  void everyBodyThatActsRequiresAReason() {
    assertThat(problems(new OpsSagaController.ResumeBody(Step.SCHEDULE_SHIPMENT, null, null)))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
    assertThat(problems(new BulkController.BulkBody(customer("c"), null, null, null, " ")))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
    assertThat(problems(new ParkedController.RedriveBody(1, null)))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
    assertThat(problems(new CanaryController.CanaryBody("v2", 5, null)))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
  }

  @Test
  void aResumeNeedsItsStep() {
    assertThat(problems(new OpsSagaController.ResumeBody(null, null, "fixed address")))
        .containsExactly(new FieldProblem("fromStep", "is required"));
  }

  @Test
  void aCanaryChangeNeedsACandidateAndAPercentFrom0To100() {
    assertThat(problems(new CanaryController.CanaryBody("v2", 0, "off"))).isEmpty();
    assertThat(problems(new CanaryController.CanaryBody("v2", 100, "all"))).isEmpty();
    assertThat(problems(new CanaryController.CanaryBody(null, null, "r")))
        .containsExactly(
            new FieldProblem("candidate", "is required: the saga version, such as v2"),
            new FieldProblem("percent", "is required: 0 (off) to 100"));
    assertThat(problems(new CanaryController.CanaryBody("v2", 101, "r")))
        .containsExactly(new FieldProblem("percent", "must be from 0 (off) to 100"));
    assertThat(problems(new CanaryController.CanaryBody("v2", -1, "r")))
        .containsExactly(new FieldProblem("percent", "must be from 0 (off) to 100"));
    assertThat(problems(new CanaryController.CanaryBody("v\n2", 5, "r")))
        .extracting(FieldProblem::field)
        .containsExactly("candidate");
  }

  @Test
  void aRedriveNeedsALimit() {
    assertThat(problems(new ParkedController.RedriveBody(null, "r")))
        .containsExactly(new FieldProblem("limit", "is required: how many messages to re-drive"));
  }

  @Test
  void aBulkFilterIsRequiredAndItsStatesAreChecked() {
    assertThat(problems(new BulkController.BulkBody(null, null, null, null, "r")))
        .extracting(FieldProblem::field)
        .containsExactly("filter");
    SagaFilter noState = new SagaFilter(List.of(), null, null, null, null, null, null, null);
    assertThat(problems(new BulkController.BulkBody(noState, null, null, null, "r")))
        .containsExactly(new FieldProblem("filter.state", "must name at least one state"));
    SagaFilter aNull =
        new SagaFilter(
            Arrays.asList(SagaState.PARKED, null), null, null, null, null, null, null, null);
    assertThat(problems(new BulkController.BulkBody(aNull, null, null, null, "r")))
        .containsExactly(new FieldProblem("filter.state[1]", "is required"));
  }

  @Test
  void aReplayCheckNeedsACandidateAndASampleFrom1To1000() {
    assertThat(problems(new ReplayCheckController.ReplayCheckBody(null, 0, null, null, null, null)))
        .containsExactly(
            new FieldProblem("candidate", "is required: the saga version to check"),
            new FieldProblem("sample", "must be from 1 to 1000"));
    assertThat(
            problems(
                new ReplayCheckController.ReplayCheckBody(
                    "v2", ReplayCheckController.MAX_SAMPLE + 1, null, null, null, null)))
        .extracting(FieldProblem::field)
        .containsExactly("sample");
    assertThat(
            problems(
                new ReplayCheckController.ReplayCheckBody(
                    "v2", 1, null, null, Arrays.asList(SagaState.COMPLETED, null), null)))
        .containsExactly(new FieldProblem("outcomes[1]", "is required"));
    // the reason of a check is optional, but kept in the audit log: short and plain
    assertThat(
            problems(new ReplayCheckController.ReplayCheckBody("v2", null, null, null, null, null)))
        .isEmpty();
    assertThat(
            problems(
                new ReplayCheckController.ReplayCheckBody(
                    "v2", null, null, null, null, "x".repeat(501))))
        .extracting(FieldProblem::field)
        .containsExactly("reason");
  }

  @Test
  void aBodyTellsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                reader.body(
                    "{\"candidate\": 2, \"percent\": 200, \"colour\": \"red\"}"
                        .getBytes(StandardCharsets.UTF_8),
                    CanaryController.CanaryBody.class))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::field)
                    .containsExactlyInAnyOrder("candidate", "percent", "colour", "reason"));
  }

  @Test
  void aBulkFilterWithAnUnknownStateIsRefusedAtThatStateOnly() {
    assertThatThrownBy(
            () ->
                reader.body(
                    "{\"filter\": {\"state\": [\"PARKED\", \"LOST\"]}, \"reason\": \"r\"}"
                        .getBytes(StandardCharsets.UTF_8),
                    BulkController.BulkBody.class))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::field)
                    .containsExactly("filter.state[1]"));
  }

  @Test
  void aGoodBulkBodyIsReadWithItsStatesInAFixedOrder() {
    BulkController.BulkBody body =
        reader.body(
            "{\"filter\": {\"state\": [\"PARKED\", \"COMPENSATING\"]}, \"dryRun\": false,"
                .concat(" \"ratePerSecond\": 2, \"reason\": \"provider back\"}")
                .getBytes(StandardCharsets.UTF_8),
            BulkController.BulkBody.class);

    assertThat(body.filter().state()).containsExactly(SagaState.COMPENSATING, SagaState.PARKED);
    assertThat(body.dryRun()).isFalse();
    assertThat(body.ratePerSecond()).isEqualTo(2);
    assertThat(body.reason()).isEqualTo("provider back");
  }
}
