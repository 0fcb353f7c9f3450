package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.analytics.StepStatistics.StepFigures;
import dev.ordersaga.saga.journal.JournalEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StepStatisticsTest {

  private static final Instant FROM = Instant.parse("2026-05-01T10:00:00Z");
  private static final Instant TO = Instant.parse("2026-05-01T11:00:00Z");

  /** An entry at {@code ms} milliseconds after FROM: occurred then, recorded 5 ms later. */
  private static JournalEvent event(
      String saga, long sequence, String id, String type, String direction, String cause, long ms) {
    return new JournalEvent(
        id,
        saga,
        sequence,
        type,
        1,
        direction,
        cause,
        FROM.plusMillis(ms),
        FROM.plusMillis(ms + 5),
        null,
        "{}");
  }

  private static Map<Step, StepFigures> byStep(StepStatistics statistics) {
    return statistics.result().stream()
        .collect(Collectors.toMap(StepFigures::step, Function.identity()));
  }

  @Test
  void retriedStepIsOneRunWhoseLatencyRunsFromTheFirstAttemptToTheReply() {
    StepStatistics statistics = new StepStatistics(FROM, TO);
    statistics.addSaga(
        List.of(
            event("s1", 0, "p1", "order.OrderPlaced", "in", null, 0),
            event("s1", 1, "a1", "payment.AuthorizePayment", "out", "p1", 10),
            event("s1", 2, "a2", "payment.AuthorizePayment", "out", "t1", 1_000),
            // the provider answered the retry with its stored reply to the first attempt
            event("s1", 3, "r1", "payment.PaymentAuthorized", "in", "a1", 1_245)));

    StepFigures payment = byStep(statistics).get(Step.AUTHORIZE_PAYMENT);

    assertThat(payment.runs()).isEqualTo(1);
    assertThat(payment.commands()).isEqualTo(2);
    assertThat(payment.retries()).isEqualTo(1);
    assertThat(payment.answered()).isEqualTo(1);
    // sent at +10 ms (occurredAt), answer recorded at +1250 ms
    assertThat(payment.maxMs()).isEqualTo(1_240);
  }

  @Test
  void aReplyJournaledBeforeItsCommandStillAnswersIt() {
    StepStatistics statistics = new StepStatistics(FROM, TO);
    statistics.addSaga(
        List.of(
            event("s1", 4, "r2", "shipping.ShipmentScheduled", "in", "b1", 35),
            event("s1", 5, "b1", "shipping.ScheduleShipment", "out", "r1", 0)));

    StepFigures shipping = byStep(statistics).get(Step.SCHEDULE_SHIPMENT);

    assertThat(shipping.answered()).isEqualTo(1);
    assertThat(shipping.p50Ms()).isEqualTo(40);
  }

  @Test
  void aReplyWithoutCauseAnswersTheFirstCommandOfItsStepBeforeIt() {
    StepStatistics statistics = new StepStatistics(FROM, TO);
    statistics.addSaga(
        List.of(
            event("s2", 0, "d1", "payment.AuthorizePayment", "out", null, 0),
            event("s2", 1, "x1", "order.OrderCancellationRequested", "in", null, 100),
            event("s2", 2, "d2", "payment.PaymentDeclined", "in", null, 495),
            event("s2", 3, "j1", "order.RejectOrder", "out", "d2", 500),
            event("s2", 4, "j2", "order.OrderRejected", "in", "j1", 525)));

    Map<Step, StepFigures> figures = byStep(statistics);

    assertThat(figures.get(Step.AUTHORIZE_PAYMENT).p50Ms()).isEqualTo(500);
    assertThat(figures.get(Step.REJECT_ORDER).compensation()).isTrue();
    assertThat(figures.get(Step.REJECT_ORDER).runs()).isEqualTo(1);
    assertThat(figures.get(Step.REJECT_ORDER).p50Ms()).isEqualTo(30);
  }

  @Test
  void percentilesAcrossSagasAndUnansweredRuns() {
    StepStatistics statistics = new StepStatistics(FROM, TO);
    for (int i = 1; i <= 20; i++) {
      // saga i is answered after i * 10 ms
      statistics.addSaga(
          List.of(
              event("s" + i, 0, "c" + i, "order.ApproveOrder", "out", null, 0),
              event("s" + i, 1, "r" + i, "order.OrderApproved", "in", "c" + i, i * 10L - 5)));
    }
    statistics.addSaga(List.of(event("s21", 0, "c21", "order.ApproveOrder", "out", null, 0)));

    StepFigures approval = byStep(statistics).get(Step.APPROVE_ORDER);

    assertThat(approval.runs()).isEqualTo(21);
    assertThat(approval.answered()).isEqualTo(20);
    assertThat(approval.unanswered()).isEqualTo(1);
    // 10, 20 ... 200 ms: ranks ceil(0.5*20)=10, ceil(0.95*20)=19, ceil(0.99*20)=20
    assertThat(approval.p50Ms()).isEqualTo(100);
    assertThat(approval.p95Ms()).isEqualTo(190);
    assertThat(approval.p99Ms()).isEqualTo(200);
    assertThat(approval.maxMs()).isEqualTo(200);
  }

  @Test
  void aRunCountsInTheRangeWhereItsFirstCommandWasRecorded() {
    StepStatistics statistics = new StepStatistics(FROM, TO);
    long beforeFrom = -60_000;
    long afterTo = 3_600_000;
    statistics.addSaga(
        List.of(
            event("s1", 0, "a1", "payment.AuthorizePayment", "out", null, beforeFrom),
            event("s1", 1, "a2", "payment.AuthorizePayment", "out", null, 5_000),
            event("s1", 2, "b1", "shipping.ScheduleShipment", "out", null, afterTo)));

    Map<Step, StepFigures> figures = byStep(statistics);

    assertThat(figures.get(Step.AUTHORIZE_PAYMENT).runs()).isZero();
    assertThat(figures.get(Step.SCHEDULE_SHIPMENT).runs()).isZero();
    assertThat(figures.get(Step.NOTIFY_CUSTOMER).p50Ms()).isNull();
    assertThat(statistics.result()).extracting(StepFigures::step).containsExactly(Step.values());
  }
}
