package dev.ordersaga.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every path of the order saga, driven by events, with the saga's outside world recorded. */
class OrderSagaTest {

  private static final String ORDER = "order-1";
  private static final Money TOTAL = Money.of("33.00", "EUR");
  private static final Customer CUSTOMER = new Customer("cust-1", "minji@example.com", "ko");
  private static final Address ADDRESS =
      new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR");
  private static final List<LineItem> ITEMS =
      List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR")));
  private static final OrderPlaced PLACED =
      new OrderPlaced(ORDER, CUSTOMER, ITEMS, TOTAL, ADDRESS, "pm_card_visa");
  private static final String PAYMENT_KEY =
      MessageIds.idempotencyKey(ORDER, Step.AUTHORIZE_PAYMENT.name());
  private static final String SHIPPING_KEY =
      MessageIds.idempotencyKey(ORDER, Step.SCHEDULE_SHIPMENT.name());
  private static final AuthorizePayment AUTHORIZE =
      new AuthorizePayment(ORDER, PAYMENT_KEY, "cust-1", TOTAL, "pm_card_visa");
  private static final ScheduleShipment SCHEDULE =
      new ScheduleShipment(ORDER, SHIPPING_KEY, ADDRESS, ITEMS);
  private static final PaymentAuthorized AUTHORIZED = new PaymentAuthorized(ORDER, "pay-1", TOTAL);
  private static final ShipmentScheduled SCHEDULED =
      new ShipmentScheduled(ORDER, "shp-1", "CJ", "CJ123");
  private static final RefundPayment REFUND = new RefundPayment(ORDER, PAYMENT_KEY, "pay-1", TOTAL);
  private static final int MAX_ATTEMPTS = 3;

  private final RecordingCommands commands = new RecordingCommands();
  private final RecordingTimers timers = new RecordingTimers();
  private final RecordingBoard board = new RecordingBoard();
  private SagaTestFixture<OrderSaga> fixture;

  @BeforeEach
  void setUp() {
    fixture = new SagaTestFixture<>(OrderSaga.class);
    fixture.registerResource(commands);
    fixture.registerResource(timers);
    fixture.registerResource(board);
    fixture.registerResource(
        new SagaSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), MAX_ATTEMPTS));
    fixture.registerResource(Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));
    fixture.registerResource(SagaMeters.immediate(new SimpleMeterRegistry()));
  }

  // ------------------------------------------------------------------ the order goes through

  @Test
  void placedOrderAsksForPaymentUnderADeadline() {
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(PLACED)
        .expectActiveSagas(1)
        .expectAssociationWith("orderId", ORDER);

    assertThat(commands.sent()).containsExactly(AUTHORIZE);
    assertThat(timers.pending()).isEqualTo(new Timer(Step.AUTHORIZE_PAYMENT, 1));
    assertThat(board.last().state()).isEqualTo(SagaState.AWAITING_PAYMENT);
  }

  @Test
  void paidShippedAndApprovedOrderCompletes() {
    givenAwaitingApproval().whenPublishingA(new OrderApproved(ORDER)).expectActiveSagas(0);

    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, new ApproveOrder(ORDER));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPLETED);
    assertThat(timers.pending()).isNull();
  }

  // ------------------------------------------------------------------ failure paths

  @ParameterizedTest
  @EnumSource(DeclineReason.class)
  void declinedPaymentRejectsTheOrderAndTellsTheCustomer(DeclineReason reason) {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new PaymentDeclined(ORDER, reason, "declined"))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.PAYMENT_DECLINED))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            new RejectOrder(ORDER, RejectionReason.PAYMENT_DECLINED),
            notice(NoticeReason.PAYMENT_DECLINED, null));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
    assertThat(board.last().reason()).isEqualTo("PAYMENT_DECLINED");
  }

  @Test
  void failedShipmentRefundsThenRejectsThenTellsTheCustomerOfTheRefund() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(
            new ShipmentFailed(ORDER, ShipmentFailureReason.ADDRESS_UNDELIVERABLE, "AQ"))
        .andThenAPublished(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.SHIPMENT_FAILED))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            SCHEDULE,
            new RefundPayment(ORDER, PAYMENT_KEY, "pay-1", TOTAL),
            new RejectOrder(ORDER, RejectionReason.SHIPMENT_FAILED),
            notice(NoticeReason.SHIPMENT_FAILED, TOTAL));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
  }

  @Test
  void unansweredStepIsRetriedWithTheSameKeyAndLongerDeadlines() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new StepTimedOut(ORDER, Step.AUTHORIZE_PAYMENT, 1))
        .whenPublishingA(new StepTimedOut(ORDER, Step.AUTHORIZE_PAYMENT, 2))
        .expectActiveSagas(1);

    assertThat(commands.sent()).containsExactly(AUTHORIZE, AUTHORIZE, AUTHORIZE);
    assertThat(commands.attempts()).containsExactly(1, 2, 3);
    assertThat(timers.scheduled())
        .extracting(Scheduled::after)
        .containsExactly(
            settings().timeoutOf(ORDER, Step.AUTHORIZE_PAYMENT, 1),
            settings().timeoutOf(ORDER, Step.AUTHORIZE_PAYMENT, 2),
            settings().timeoutOf(ORDER, Step.AUTHORIZE_PAYMENT, 3));
    assertThat(timers.scheduled().get(1).after()).isGreaterThan(timers.scheduled().get(0).after());
  }

  @Test
  void stepUnansweredPastTheLimitCompensatesAndALateChargeIsRefunded() {
    givenPaymentGivenUp()
        .andThenAPublished(AUTHORIZED)
        .whenPublishingA(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            AUTHORIZE,
            AUTHORIZE,
            new RejectOrder(ORDER, RejectionReason.TIMED_OUT),
            notice(NoticeReason.TIMED_OUT, null),
            new RefundPayment(ORDER, PAYMENT_KEY, "pay-1", TOTAL));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
  }

  @Test
  void approvalIsRetriedPastTheLimitAndNeverUndone() {
    timedOut(givenAwaitingApproval(), Step.APPROVE_ORDER, 4)
        .whenPublishingA(new OrderApproved(ORDER))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            SCHEDULE,
            new ApproveOrder(ORDER),
            new ApproveOrder(ORDER),
            new ApproveOrder(ORDER),
            new ApproveOrder(ORDER),
            new ApproveOrder(ORDER));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPLETED);
  }

  @Test
  void compensationUnansweredPastTheLimitIsAnIncidentThatALateReplyStillResolves() {
    givenShipmentFailed()
        .andThenAPublished(
            new PaymentRefundFailed(
                ORDER, "pay-1", RefundFailureReason.PROVIDER_UNAVAILABLE, "503"))
        .andThenAPublished(new StepTimedOut(ORDER, Step.REFUND_PAYMENT, 1))
        .andThenAPublished(new StepTimedOut(ORDER, Step.REFUND_PAYMENT, 2))
        .whenPublishingA(new StepTimedOut(ORDER, Step.REFUND_PAYMENT, 3))
        .expectActiveSagas(1);

    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATION_FAILED);
    assertThat(commands.sent()).filteredOn(RefundPayment.class::isInstance).hasSize(MAX_ATTEMPTS);

    whenRefundedAndRejectedTheSagaEnds();
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
  }

  // ------------------------------------------------------------------ a refund refused

  private static final PaymentRefundFailed REFUND_REFUSED =
      new PaymentRefundFailed(
          ORDER, "pay-1", RefundFailureReason.PROVIDER_REJECTED, "refund_failed");
  private static final MarkRefundPending REFUND_PENDING =
      new MarkRefundPending(ORDER, RejectionReason.SHIPMENT_FAILED);

  @Test
  void refusedRefundIsAnIncidentAtOnceThatTheShopperSeesAndIsToldOfOnce() {
    givenShipmentFailed().whenPublishingA(REFUND_REFUSED).expectActiveSagas(1);

    // no second attempt, no deadline: the provider said no
    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE, SCHEDULE, REFUND, REFUND_PENDING, notice(NoticeReason.REFUND_DELAYED, null));
    assertThat(commands.sent.subList(3, 5))
        .extracting(Sent::step, Sent::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Step.MARK_REFUND_PENDING, 1),
            org.assertj.core.groups.Tuple.tuple(Step.NOTIFY_CUSTOMER, 1));
    assertThat(timers.pending()).isNull();
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATION_FAILED);
    assertThat(board.last().step()).isEqualTo(Step.REFUND_PAYMENT);
    assertThat(board.last().incident()).isEqualTo("PROVIDER_REJECTED refund_failed");
    assertThat(board.last().reason()).isEqualTo("SHIPMENT_FAILED");
    assertThat(board.last().deadlineAt()).isNull();

    // an operator's retry is refused again: the incident again, and nothing more for the shopper
    fixture.givenAPublished(retry()).whenPublishingA(REFUND_REFUSED);
    assertThat(commands.sent()).hasSize(6).last().isEqualTo(REFUND);
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATION_FAILED);
    assertThat(timers.pending()).isNull();

    // the next retry gets the refund made: the order is rejected and the customer told, once more
    fixture
        .givenAPublished(new OperatorRetryRequested(ORDER, "retry-2", "ops", "provider fixed"))
        .andThenAPublished(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.SHIPMENT_FAILED))
        .expectActiveSagas(0);
    assertThat(commands.sent())
        .endsWith(
            REFUND,
            new RejectOrder(ORDER, RejectionReason.SHIPMENT_FAILED),
            notice(NoticeReason.SHIPMENT_FAILED, TOTAL));
    assertThat(commands.last())
        .isEqualTo(new Sent(Step.NOTIFY_CUSTOMER, 2, notice(NoticeReason.SHIPMENT_FAILED, TOTAL)));
    assertThat(commands.ids()).doesNotHaveDuplicates();
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
    assertThat(board.last().incident()).isNull();
  }

  @Test
  void refundTheProviderCouldNotMakeNowIsAskedAgainUnderItsDeadline() {
    givenShipmentFailed()
        .whenPublishingA(
            new PaymentRefundFailed(
                ORDER, "pay-1", RefundFailureReason.PROVIDER_UNAVAILABLE, "503"));

    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, REFUND);
    assertThat(timers.pending()).isEqualTo(new Timer(Step.REFUND_PAYMENT, 1));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATING);
    assertThat(board.last().incident()).isNull();

    fixture.whenPublishingA(new StepTimedOut(ORDER, Step.REFUND_PAYMENT, 1));
    assertThat(commands.last()).isEqualTo(new Sent(Step.REFUND_PAYMENT, 2, REFUND));
  }

  @Test
  void refundUnansweredPastTheLimitAlsoShowsTheShopperAndTellsTheCustomer() {
    givenRefundGivenUp();

    assertThat(board.last().incident()).isEqualTo("TIMED_OUT no answer after 3 attempts");
    assertThat(commands.sent())
        .endsWith(REFUND, REFUND_PENDING, notice(NoticeReason.REFUND_DELAYED, null));
  }

  @Test
  void refusalWhileParkedIsHeldAndRaisesTheIncidentWhenUnparked() {
    givenShipmentFailed()
        .andThenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "investigating"))
        .whenPublishingA(REFUND_REFUSED);

    assertThat(board.last().state()).isEqualTo(SagaState.PARKED);
    assertThat(board.last().heldReply()).isEqualTo("payment.PaymentRefundFailed");
    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, REFUND);

    fixture.whenPublishingA(new OperatorUnparkRequested(ORDER, "unpark-1", "ops", "back"));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATION_FAILED);
    assertThat(board.last().incident()).isEqualTo("PROVIDER_REJECTED refund_failed");
    assertThat(commands.sent())
        .endsWith(REFUND, REFUND_PENDING, notice(NoticeReason.REFUND_DELAYED, null));
  }

  @Test
  void refusalOfARefundTheSagaIsNotMakingIsIgnored() {
    fixture.givenAPublished(PLACED).andThenAPublished(AUTHORIZED).whenPublishingA(REFUND_REFUSED);

    assertStillAwaitingTheFirstShipment();
  }

  // ------------------------------------------------------------------ cancellation

  @Test
  void cancelWhilePaymentIsInFlightWaitsForItThenRefunds() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new OrderCancellationRequested(ORDER, "changed my mind"))
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.CANCELLED_BY_SHOPPER))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            new RefundPayment(ORDER, PAYMENT_KEY, "pay-1", TOTAL),
            new RejectOrder(ORDER, RejectionReason.CANCELLED_BY_SHOPPER),
            notice(NoticeReason.CANCELLED_BY_SHOPPER, TOTAL));
  }

  @Test
  void cancelWhilePaymentIsInFlightThatIsThenDeclinedOnlyRejects() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new OrderCancellationRequested(ORDER, null))
        .andThenAPublished(new PaymentDeclined(ORDER, DeclineReason.CARD_EXPIRED, null))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.CANCELLED_BY_SHOPPER))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            new RejectOrder(ORDER, RejectionReason.CANCELLED_BY_SHOPPER),
            notice(NoticeReason.CANCELLED_BY_SHOPPER, null));
  }

  @Test
  void cancelWhileShippingCancelsTheShipmentThenRefundsThenRejects() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(new OrderCancellationRequested(ORDER, null))
        .andThenAPublished(SCHEDULED)
        .andThenAPublished(new ShipmentCancelled(ORDER, "shp-1"))
        .andThenAPublished(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.CANCELLED_BY_SHOPPER))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            SCHEDULE,
            new CancelShipment(ORDER, SHIPPING_KEY, "shp-1"),
            new RefundPayment(ORDER, PAYMENT_KEY, "pay-1", TOTAL),
            new RejectOrder(ORDER, RejectionReason.CANCELLED_BY_SHOPPER),
            notice(NoticeReason.CANCELLED_BY_SHOPPER, TOTAL));
  }

  @Test
  void cancelOnceApprovalWasAskedForIsTooLate() {
    givenAwaitingApproval()
        .andThenAPublished(new OrderCancellationRequested(ORDER, null))
        .whenPublishingA(new OrderApproved(ORDER))
        .expectActiveSagas(0);

    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, new ApproveOrder(ORDER));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPLETED);
  }

  // ------------------------------------------------------------------ what each state ignores

  @Test
  void duplicateAndLateRepliesAndStaleDeadlinesAreIgnored() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(new PaymentDeclined(ORDER, DeclineReason.SUSPECTED_FRAUD, null))
        .andThenAPublished(new StepTimedOut(ORDER, Step.AUTHORIZE_PAYMENT, 1))
        .andThenAPublished(new OrderApproved(ORDER))
        .whenPublishingA(new ShipmentCancelled(ORDER, "shp-9"))
        .expectActiveSagas(1);

    assertStillAwaitingTheFirstShipment();
  }

  @Test
  void retriesOfAStepCarryNewMessageIdsButTheCommandIsTheSame() {
    fixture
        .givenAPublished(PLACED)
        .whenPublishingA(new StepTimedOut(ORDER, Step.AUTHORIZE_PAYMENT, 1));

    assertThat(commands.ids()).doesNotHaveDuplicates().hasSize(2);
    assertThat(commands.sent().get(0)).isEqualTo(commands.sent().get(1));
  }

  // ------------------------------------------------------------------ operator actions

  @Test
  void retryFromCompensationFailedCompletesTheCompensation() {
    givenRefundGivenUp();

    fixture.whenPublishingA(retry()).expectActiveSagas(1);
    assertThat(commands.last()).isEqualTo(new Sent(Step.REFUND_PAYMENT, MAX_ATTEMPTS + 1, REFUND));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATING);
    assertThat(board.last().lastAction().applied()).isTrue();
    assertThat(timers.pending()).isEqualTo(new Timer(Step.REFUND_PAYMENT, MAX_ATTEMPTS + 1));

    whenRefundedAndRejectedTheSagaEnds();
    assertThat(commands.sent())
        .endsWith(
            REFUND,
            new RejectOrder(ORDER, RejectionReason.SHIPMENT_FAILED),
            notice(NoticeReason.SHIPMENT_FAILED, TOTAL));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
  }

  @Test
  void retryStartsAFreshBudgetOfAttempts() {
    givenRefundGivenUp();

    fixture
        .givenAPublished(retry())
        .whenPublishingA(new StepTimedOut(ORDER, Step.REFUND_PAYMENT, MAX_ATTEMPTS + 1));

    assertThat(commands.last()).isEqualTo(new Sent(Step.REFUND_PAYMENT, MAX_ATTEMPTS + 2, REFUND));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATING);
    assertThat(timers.scheduled().get(timers.scheduled().size() - 1).after())
        .isEqualTo(settings().timeoutOf(ORDER, Step.REFUND_PAYMENT, 2));
  }

  @Test
  void parkedSagaHoldsAReplyDropsItsDeadlineAndActsOnTheReplyWhenUnparked() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "investigating"))
        .andThenAPublished(AUTHORIZED)
        .whenPublishingA(new StepTimedOut(ORDER, Step.AUTHORIZE_PAYMENT, 1))
        .expectActiveSagas(1);

    assertThat(commands.sent()).containsExactly(AUTHORIZE);
    assertThat(timers.pending()).isNull();
    assertThat(board.last().state()).isEqualTo(SagaState.PARKED);
    assertThat(board.last().parkedFrom()).isEqualTo(SagaState.AWAITING_PAYMENT);
    assertThat(board.last().heldReply()).isEqualTo("payment.PaymentAuthorized");
    assertThat(board.last().deadlineAt()).isNull();

    fixture.whenPublishingA(new OperatorUnparkRequested(ORDER, "unpark-1", "ops", "fixed"));

    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE);
    assertThat(board.last().state()).isEqualTo(SagaState.AWAITING_SHIPMENT);
    assertThat(board.last().heldReply()).isNull();
    assertThat(timers.pending()).isEqualTo(new Timer(Step.SCHEDULE_SHIPMENT, 1));
  }

  @Test
  void unparkWithNothingHeldSendsTheStepAgainUnderANewDeadline() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "investigating"))
        .whenPublishingA(new OperatorUnparkRequested(ORDER, "unpark-1", "ops", "fixed"));

    assertThat(commands.last()).isEqualTo(new Sent(Step.AUTHORIZE_PAYMENT, 2, AUTHORIZE));
    assertThat(board.last().state()).isEqualTo(SagaState.AWAITING_PAYMENT);
    assertThat(board.last().parkedFrom()).isNull();
    assertThat(timers.pending()).isEqualTo(new Timer(Step.AUTHORIZE_PAYMENT, 2));
  }

  @Test
  void unparkOfAFailedCompensationReturnsToTheIncident() {
    givenRefundGivenUp();

    fixture
        .givenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "investigating"))
        .whenPublishingA(new OperatorUnparkRequested(ORDER, "unpark-1", "ops", "back"));

    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATION_FAILED);
    assertThat(commands.sent()).filteredOn(RefundPayment.class::isInstance).hasSize(MAX_ATTEMPTS);
  }

  @Test
  void cancellationWhileParkedIsNotedAndHonouredOnceUnparked() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "investigating"))
        .andThenAPublished(new OrderCancellationRequested(ORDER, "changed my mind"))
        .andThenAPublished(AUTHORIZED)
        .whenPublishingA(new OperatorUnparkRequested(ORDER, "unpark-1", "ops", "fixed"));

    assertThat(commands.sent()).containsExactly(AUTHORIZE, REFUND);
    assertThat(board.last().reason()).isEqualTo("CANCELLED_BY_SHOPPER");
  }

  @Test
  void forcedCompensationFromAwaitingShipmentRefundsRejectsAndUndoesALateBooking() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(new OperatorCompensationRequested(ORDER, "abort-1", "ops", "fraud"))
        .andThenAPublished(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.OPERATOR_ABORTED))
        .expectActiveSagas(1);

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            SCHEDULE,
            REFUND,
            new RejectOrder(ORDER, RejectionReason.OPERATOR_ABORTED),
            notice(NoticeReason.OPERATOR_ABORTED, TOTAL));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
    assertThat(board.last().reason()).isEqualTo("OPERATOR_ABORTED");

    // the shipment asked for before the abort is booked after all: it is cancelled, no new notice
    fixture
        .givenAPublished(SCHEDULED)
        .whenPublishingA(new ShipmentCancelled(ORDER, "shp-1"))
        .expectActiveSagas(0);
    assertThat(commands.sent())
        .endsWith(
            notice(NoticeReason.OPERATOR_ABORTED, TOTAL),
            new CancelShipment(ORDER, SHIPPING_KEY, "shp-1"));
  }

  @Test
  void forcedCompensationOfAParkedSagaRefundsAChargeThatArrivedWhileParked() {
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "investigating"))
        .andThenAPublished(AUTHORIZED)
        .whenPublishingA(new OperatorCompensationRequested(ORDER, "abort-1", "ops", "fraud"));

    assertThat(commands.sent()).containsExactly(AUTHORIZE, REFUND);
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATING);
    assertThat(board.last().parkedFrom()).isNull();
  }

  @Test
  void resumeWithACorrectedAddressSendsTheShipmentAgainUnderTheSameKey() {
    Address corrected = new Address("Kim Minji", "15 Sejong-daero", "4F", "Seoul", "04524", "KR");
    fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "bad address"))
        .whenPublishingA(
            new OperatorResumeRequested(
                ORDER,
                "resume-1",
                "ops",
                "address corrected with the customer",
                Step.SCHEDULE_SHIPMENT,
                new ScheduleShipment(ORDER, "a-key-of-the-operators-own", corrected, ITEMS)));

    ScheduleShipment resent = new ScheduleShipment(ORDER, SHIPPING_KEY, corrected, ITEMS);
    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, resent);
    assertThat(commands.last().attempt()).isEqualTo(2);
    assertThat(board.last().state()).isEqualTo(SagaState.AWAITING_SHIPMENT);
    assertThat(timers.pending()).isEqualTo(new Timer(Step.SCHEDULE_SHIPMENT, 2));

    fixture.whenPublishingA(SCHEDULED);
    assertThat(commands.sent()).endsWith(resent, new ApproveOrder(ORDER));
  }

  @Test
  void actionOnACompletedSagaReachesNoSaga() {
    givenAwaitingApproval()
        .andThenAPublished(new OrderApproved(ORDER))
        .whenPublishingA(retry())
        .expectActiveSagas(0);

    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, new ApproveOrder(ORDER));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPLETED);
  }

  @Test
  void actionOnACompensatedSagaStillWatchingForALateChargeIsRefused() {
    givenPaymentGivenUp()
        .whenPublishingA(new OperatorCompensationRequested(ORDER, "abort-1", "ops", "again"))
        .expectActiveSagas(1);

    assertThat(commands.sent()).endsWith(notice(NoticeReason.TIMED_OUT, null));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
    SagaStatus.LastAction refusal = board.last().lastAction();
    assertThat(refusal.actionId()).isEqualTo("abort-1");
    assertThat(refusal.applied()).isFalse();
    assertThat(refusal.detail()).contains("COMPENSATED");
  }

  @Test
  void actionsThatMakeNoSenseWhereTheSagaStandsAreRefusedAndChangeNothing() {
    givenAwaitingApproval()
        .whenPublishingA(new OperatorCompensationRequested(ORDER, "abort-1", "ops", "fraud"));
    assertRefused("abort-1", SagaState.AWAITING_APPROVAL);

    fixture.whenPublishingA(new OperatorUnparkRequested(ORDER, "unpark-1", "ops", "?"));
    assertRefused("unpark-1", SagaState.AWAITING_APPROVAL);

    fixture.whenPublishingA(
        new OperatorResumeRequested(
            ORDER, "resume-1", "ops", "?", Step.AUTHORIZE_PAYMENT, AUTHORIZE));
    assertRefused("resume-1", SagaState.AWAITING_APPROVAL);

    fixture
        .givenAPublished(new OperatorParkRequested(ORDER, "park-1", "ops", "look"))
        .whenPublishingA(retry());
    assertRefused("retry-1", SagaState.PARKED);
    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, new ApproveOrder(ORDER));
  }

  /**
   * Paid for; the shipment asked for once and waited for under its first deadline; nothing else.
   */
  private void assertStillAwaitingTheFirstShipment() {
    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE);
    assertThat(board.last().state()).isEqualTo(SagaState.AWAITING_SHIPMENT);
    assertThat(timers.pending()).isEqualTo(new Timer(Step.SCHEDULE_SHIPMENT, 1));
  }

  /** The refund made and the order rejected (shipment failed): the saga ends. */
  private void whenRefundedAndRejectedTheSagaEnds() {
    fixture
        .givenAPublished(new PaymentRefunded(ORDER, "pay-1", "ref-1", TOTAL))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.SHIPMENT_FAILED))
        .expectActiveSagas(0);
  }

  private void assertRefused(String actionId, SagaState unchanged) {
    assertThat(board.last().lastAction().actionId()).isEqualTo(actionId);
    assertThat(board.last().lastAction().applied()).isFalse();
    assertThat(board.last().lastAction().detail()).isNotBlank();
    assertThat(board.last().state()).isEqualTo(unchanged);
  }

  /** Paid for, booked: waiting for the order's approval. */
  private ContinuedGivenState givenAwaitingApproval() {
    return fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(SCHEDULED);
  }

  /** Paid for, then the carrier rejected the shipment: the refund asked for. */
  private ContinuedGivenState givenShipmentFailed() {
    return fixture
        .givenAPublished(PLACED)
        .andThenAPublished(AUTHORIZED)
        .andThenAPublished(new ShipmentFailed(ORDER, ShipmentFailureReason.CARRIER_REJECTED, null));
  }

  /** The payment unanswered past the limit and the order rejected: COMPENSATED, still watching. */
  private ContinuedGivenState givenPaymentGivenUp() {
    return timedOut(fixture.givenAPublished(PLACED), Step.AUTHORIZE_PAYMENT, MAX_ATTEMPTS)
        .andThenAPublished(new OrderRejected(ORDER, RejectionReason.TIMED_OUT));
  }

  /** {@code step}'s deadlines of attempts 1 to {@code times} passed, one after the other. */
  private static ContinuedGivenState timedOut(ContinuedGivenState given, Step step, int times) {
    for (int attempt = 1; attempt <= times; attempt++) {
      given = given.andThenAPublished(new StepTimedOut(ORDER, step, attempt));
    }
    return given;
  }

  /** Payment taken, shipment failed, and the refund never answered: COMPENSATION_FAILED. */
  private void givenRefundGivenUp() {
    timedOut(givenShipmentFailed(), Step.REFUND_PAYMENT, MAX_ATTEMPTS);
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATION_FAILED);
  }

  private static OperatorRetryRequested retry() {
    return new OperatorRetryRequested(ORDER, "retry-1", "ops", "provider is back");
  }

  // ------------------------------------------------------------------ helpers

  private static SagaSettings settings() {
    return new SagaSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), MAX_ATTEMPTS);
  }

  private static NotifyCustomer notice(NoticeReason reason, Money refunded) {
    return new NotifyCustomer(
        ORDER,
        MessageIds.idempotencyKey(ORDER, "notice:" + reason.name()),
        CUSTOMER,
        reason,
        refunded);
  }

  record Sent(Step step, int attempt, Command command) {}

  /** Records what the saga sends, with the id each send would carry. */
  public static class RecordingCommands implements CommandSender {
    final List<Sent> sent = new ArrayList<>();

    @Override
    public void send(String orderId, Step step, int attempt, Command command, String causation) {
      sent.add(new Sent(step, attempt, command));
    }

    List<Command> sent() {
      return sent.stream().map(Sent::command).toList();
    }

    Sent last() {
      return sent.get(sent.size() - 1);
    }

    List<Integer> attempts() {
      return sent.stream().map(Sent::attempt).toList();
    }

    List<String> ids() {
      return sent.stream()
          .map(s -> MessageIds.forStep(ORDER, s.step().name(), s.attempt()))
          .toList();
    }
  }

  record Timer(Step step, int attempt) {}

  record Scheduled(Step step, int attempt, Duration after) {}

  /** Records deadlines: every one set, and the one pending per saga. */
  public static class RecordingTimers implements StepTimers {
    private final Map<String, Timer> pending = new HashMap<>();
    private final List<Scheduled> scheduled = new ArrayList<>();

    @Override
    public void schedule(String orderId, Step step, int attempt, Duration after) {
      pending.put(orderId, new Timer(step, attempt));
      scheduled.add(new Scheduled(step, attempt, after));
    }

    @Override
    public void cancel(String orderId) {
      pending.remove(orderId);
    }

    Timer pending() {
      return pending.get(ORDER);
    }

    List<Scheduled> scheduled() {
      return scheduled;
    }
  }

  /** Keeps the last status the saga published. */
  public static class RecordingBoard implements SagaStatusBoard {
    private SagaStatus last;

    @Override
    public void update(SagaStatus status) {
      last = status;
    }

    SagaStatus last() {
      return last;
    }
  }
}
