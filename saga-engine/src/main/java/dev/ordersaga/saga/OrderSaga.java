package dev.ordersaga.saga;

import static dev.ordersaga.saga.SagaState.AWAITING_APPROVAL;
import static dev.ordersaga.saga.SagaState.AWAITING_PAYMENT;
import static dev.ordersaga.saga.SagaState.AWAITING_SHIPMENT;
import static dev.ordersaga.saga.SagaState.COMPENSATED;
import static dev.ordersaga.saga.SagaState.COMPENSATING;
import static dev.ordersaga.saga.SagaState.COMPENSATION_FAILED;
import static dev.ordersaga.saga.SagaState.COMPLETED;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The order saga: pay, ship, approve; or undo what was done, in reverse order, and tell the
 * customer.
 *
 * <pre>
 * OrderPlaced        -> AuthorizePayment                       AWAITING_PAYMENT
 * PaymentAuthorized  -> ScheduleShipment                       AWAITING_SHIPMENT
 * ShipmentScheduled  -> ApproveOrder                           AWAITING_APPROVAL
 * OrderApproved      -> (end)                                  COMPLETED
 * PaymentDeclined    -> RejectOrder -> NotifyCustomer          COMPENSATING -> COMPENSATED
 * ShipmentFailed     -> RefundPayment -> RejectOrder -> Notify COMPENSATING -> COMPENSATED
 * cancellation       -> the same undo from wherever it stands (too late once approval was asked)
 * </pre>
 *
 * Every step runs under a deadline: without a reply the same command is sent again (same
 * idempotency key, a new message id per attempt) with a longer deadline, up to a limit; then a
 * forward step counts as failed and the saga compensates (except approval, retried until the order
 * service answers), and a compensation step raises COMPENSATION_FAILED, an incident operators see
 * (the saga stays alive, and a late reply still moves it on).
 *
 * <p>What each handler ignores: replies that do not answer the step in progress (duplicates, late
 * replies to an earlier attempt, replies after the saga moved on) and deadlines of an attempt that
 * is not the current one. A late success of a step the saga already gave up on is undone.
 */
@Saga
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class OrderSaga {

  private String orderId;
  private Customer customer;
  private List<LineItem> items;
  private Money total;
  private Address shippingAddress;
  private String paymentToken;

  private SagaState state = SagaState.STARTED;
  private Step step;
  private int attempt;
  private long startedAtMillis;
  private String paymentId;
  private String shipmentId;
  private boolean cancelRequested;
  private RejectionReason failure;
  private Money refunded;

  /** Compensation steps still to run, in order. */
  private List<Step> undo = new ArrayList<>();

  /** Set while a step was given up without knowing its outcome: a late success must be undone. */
  private boolean paymentOutcomeUnknown;

  private boolean shipmentOutcomeUnknown;

  @JsonIgnore @Autowired private transient CommandSender commands;
  @JsonIgnore @Autowired private transient StepTimers timers;
  @JsonIgnore @Autowired private transient SagaStatusBoard board;
  @JsonIgnore @Autowired private transient SagaSettings settings;
  @JsonIgnore @Autowired private transient Clock clock;
  @JsonIgnore @Autowired private transient MeterRegistry meters;

  // ---------------------------------------------------------------- the order goes through

  @StartSaga
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OrderPlaced placed, @MessageIdentifier String messageId) {
    orderId = placed.orderId();
    customer = placed.customer();
    items = placed.items();
    total = placed.total();
    shippingAddress = placed.shippingAddress();
    paymentToken = placed.paymentToken();
    startedAtMillis = clock.millis();
    meters.counter("saga.started").increment();
    state = AWAITING_PAYMENT;
    start(Step.AUTHORIZE_PAYMENT, messageId);
  }

  /** Ignored unless the payment step is in progress (or was given up: then it is refunded). */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentAuthorized authorized, @MessageIdentifier String messageId) {
    if (state == AWAITING_PAYMENT && step == Step.AUTHORIZE_PAYMENT) {
      paymentId = authorized.paymentId();
      if (cancelRequested) {
        compensate(RejectionReason.CANCELLED_BY_SHOPPER, messageId);
        return;
      }
      state = AWAITING_SHIPMENT;
      start(Step.SCHEDULE_SHIPMENT, messageId);
    } else if (paymentOutcomeUnknown && paymentId == null) {
      paymentId = authorized.paymentId();
      paymentOutcomeUnknown = false;
      undoLateSuccess(Step.REFUND_PAYMENT, messageId);
    }
  }

  /** Ignored unless the shipping step is in progress (or was given up: then it is cancelled). */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(ShipmentScheduled scheduled, @MessageIdentifier String messageId) {
    if (state == AWAITING_SHIPMENT && step == Step.SCHEDULE_SHIPMENT) {
      shipmentId = scheduled.shipmentId();
      if (cancelRequested) {
        compensate(RejectionReason.CANCELLED_BY_SHOPPER, messageId);
        return;
      }
      state = AWAITING_APPROVAL;
      start(Step.APPROVE_ORDER, messageId);
    } else if (shipmentOutcomeUnknown && shipmentId == null) {
      shipmentId = scheduled.shipmentId();
      shipmentOutcomeUnknown = false;
      undoLateSuccess(Step.CANCEL_SHIPMENT, messageId);
    }
  }

  /** Ignored unless approval was asked for. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OrderApproved approved) {
    if (state != AWAITING_APPROVAL || step != Step.APPROVE_ORDER) {
      return;
    }
    timers.cancel(orderId);
    state = COMPLETED;
    step = null;
    meters.counter("saga.completed").increment();
    publishStatus();
    SagaLifecycle.end();
  }

  // ---------------------------------------------------------------- failures of the forward steps

  /** Ignored unless the payment step is in progress. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentDeclined declined, @MessageIdentifier String messageId) {
    if (state == AWAITING_PAYMENT && step == Step.AUTHORIZE_PAYMENT) {
      compensate(
          cancelRequested ? RejectionReason.CANCELLED_BY_SHOPPER : RejectionReason.PAYMENT_DECLINED,
          messageId);
    }
  }

  /** Ignored unless the shipping step is in progress. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(ShipmentFailed failed, @MessageIdentifier String messageId) {
    if (state == AWAITING_SHIPMENT && step == Step.SCHEDULE_SHIPMENT) {
      compensate(
          cancelRequested ? RejectionReason.CANCELLED_BY_SHOPPER : RejectionReason.SHIPMENT_FAILED,
          messageId);
    }
  }

  /**
   * Before approval is asked for, the shopper's cancellation undoes the order; a step in flight is
   * first allowed to answer, so that whatever it did can be undone. Ignored once approval was asked
   * for (too late: the order service refuses it too) and while already undoing.
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OrderCancellationRequested cancellation) {
    if (state == AWAITING_PAYMENT || state == AWAITING_SHIPMENT) {
      cancelRequested = true;
      publishStatus();
    }
  }

  /** Ignored unless it is the deadline of the attempt in progress. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(StepTimedOut timedOut, @MessageIdentifier String messageId) {
    if (timedOut.step() != step || timedOut.attempt() != attempt || state.isTerminal()) {
      return;
    }
    meters.counter("saga.step.timeouts", "step", step.name()).increment();
    // Approval is never given up: once payment and shipment are in place, undoing them because the
    // order service is slow would race a late approval. It is retried until the order answers.
    if (attempt < settings.maxAttempts() || step == Step.APPROVE_ORDER) {
      send(step, attempt + 1, messageId);
      return;
    }
    if (!step.isCompensation()) {
      if (step == Step.AUTHORIZE_PAYMENT) {
        paymentOutcomeUnknown = true;
      } else if (step == Step.SCHEDULE_SHIPMENT) {
        shipmentOutcomeUnknown = true;
      }
      compensate(
          cancelRequested ? RejectionReason.CANCELLED_BY_SHOPPER : RejectionReason.TIMED_OUT,
          messageId);
      return;
    }
    state = COMPENSATION_FAILED;
    meters.counter("saga.compensation.failed", "step", step.name()).increment();
    publishStatus();
  }

  // ---------------------------------------------------------------- compensation, in reverse order

  /** Ignored unless the shipment is being cancelled. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(ShipmentCancelled cancelled, @MessageIdentifier String messageId) {
    if (step == Step.CANCEL_SHIPMENT && isUndoing()) {
      next(messageId);
    }
  }

  /** Ignored unless the payment is being refunded. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentRefunded refund, @MessageIdentifier String messageId) {
    if (step == Step.REFUND_PAYMENT && isUndoing()) {
      refunded = refund.amount();
      next(messageId);
    }
  }

  /**
   * A refund the provider refused is retried like an unanswered one: the step's deadline stays set
   * and sends it again; past the limit the saga raises COMPENSATION_FAILED.
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentRefundFailed refundFailed) {
    if (step == Step.REFUND_PAYMENT && isUndoing()) {
      meters.counter("saga.refund.failures", "reason", refundFailed.reason().name()).increment();
    }
  }

  /** Ignored unless the order is being rejected; then the customer is told, once. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OrderRejected rejected, @MessageIdentifier String messageId) {
    if (step != Step.REJECT_ORDER || !isUndoing()) {
      return;
    }
    timers.cancel(orderId);
    // no deadline: the notifier keeps the notice and retries until the mail server accepts it
    commands.send(orderId, Step.NOTIFY_CUSTOMER, 1, commandFor(Step.NOTIFY_CUSTOMER), messageId);
    finishCompensation();
  }

  // ---------------------------------------------------------------- helpers

  private void compensate(RejectionReason reason, String causationId) {
    failure = reason;
    state = COMPENSATING;
    undo = new ArrayList<>();
    if (shipmentId != null) {
      undo.add(Step.CANCEL_SHIPMENT);
    }
    if (paymentId != null) {
      undo.add(Step.REFUND_PAYMENT);
    }
    undo.add(Step.REJECT_ORDER);
    next(causationId);
  }

  /** Starts the next compensation step, or, when none is left, the saga is compensated. */
  private void next(String causationId) {
    if (state == COMPENSATION_FAILED) {
      state = COMPENSATING;
    }
    if (undo.isEmpty()) {
      finishCompensation();
      return;
    }
    start(undo.remove(0), causationId);
  }

  /** A step given up on succeeded after all: undo it too, without a second notice. */
  private void undoLateSuccess(Step compensation, String causationId) {
    if (isUndoing()) {
      undo.add(0, compensation);
      publishStatus();
      return;
    }
    state = COMPENSATING;
    undo = new ArrayList<>(List.of(compensation));
    next(causationId);
  }

  private void finishCompensation() {
    if (!undo.isEmpty()) {
      start(undo.remove(0), null);
      return;
    }
    if (state != COMPENSATED) {
      meters.counter("saga.compensated", "reason", failure.name()).increment();
    }
    state = COMPENSATED;
    step = null;
    attempt = 0;
    timers.cancel(orderId);
    publishStatus();
    if (!paymentOutcomeUnknown && !shipmentOutcomeUnknown) {
      SagaLifecycle.end();
    }
  }

  private boolean isUndoing() {
    return state == COMPENSATING || state == COMPENSATION_FAILED;
  }

  private void start(Step next, String causationId) {
    send(next, 1, causationId);
  }

  /** Sends an attempt of a step and sets its deadline. */
  private void send(Step next, int nextAttempt, String causationId) {
    step = next;
    attempt = nextAttempt;
    commands.send(orderId, step, attempt, commandFor(step), causationId);
    timers.schedule(orderId, step, attempt, settings.timeoutOf(orderId, step, attempt));
    publishStatus();
  }

  /**
   * The command of a step. The idempotency key is minted from the saga and the forward step, and
   * the step's compensation reuses it, so a retry or an undo names the same charge or booking.
   */
  private Command commandFor(Step of) {
    String paymentKey = MessageIds.idempotencyKey(orderId, Step.AUTHORIZE_PAYMENT.name());
    String shippingKey = MessageIds.idempotencyKey(orderId, Step.SCHEDULE_SHIPMENT.name());
    return switch (of) {
      case AUTHORIZE_PAYMENT ->
          new AuthorizePayment(orderId, paymentKey, customer.customerId(), total, paymentToken);
      case SCHEDULE_SHIPMENT -> new ScheduleShipment(orderId, shippingKey, shippingAddress, items);
      case APPROVE_ORDER -> new ApproveOrder(orderId);
      case CANCEL_SHIPMENT -> new CancelShipment(orderId, shippingKey, shipmentId);
      case REFUND_PAYMENT -> new RefundPayment(orderId, paymentKey, paymentId, total);
      case REJECT_ORDER -> new RejectOrder(orderId, failure);
      case NOTIFY_CUSTOMER ->
          new NotifyCustomer(
              orderId,
              MessageIds.idempotencyKey(orderId, "notice:" + failure),
              customer,
              NoticeReason.valueOf(failure.name()),
              refunded);
    };
  }

  private void publishStatus() {
    board.update(
        new SagaStatus(
            orderId,
            state,
            step,
            attempt,
            failure == null ? null : failure.name(),
            cancelRequested,
            Instant.ofEpochMilli(startedAtMillis),
            clock.instant()));
  }
}
