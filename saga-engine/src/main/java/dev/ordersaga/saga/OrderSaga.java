package dev.ordersaga.saga;

import static dev.ordersaga.saga.SagaState.AWAITING_APPROVAL;
import static dev.ordersaga.saga.SagaState.AWAITING_PAYMENT;
import static dev.ordersaga.saga.SagaState.AWAITING_SHIPMENT;
import static dev.ordersaga.saga.SagaState.COMPENSATED;
import static dev.ordersaga.saga.SagaState.COMPENSATING;
import static dev.ordersaga.saga.SagaState.COMPENSATION_FAILED;
import static dev.ordersaga.saga.SagaState.COMPLETED;
import static dev.ordersaga.saga.SagaState.PARKED;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Event;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
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
 * PaymentRefundFailed, refused  -> MarkRefundPending, Notify (refund delayed)  COMPENSATION_FAILED
 *   then an operator's retry    -> RefundPayment -> RejectOrder -> Notify     COMPENSATED
 * operator actions   -> retry, resume with corrected input, compensate, park / unpark (PARKED)
 * </pre>
 *
 * Every step that awaits a reply runs under a deadline: without a reply the same command is sent
 * again (same idempotency key, a new message id per attempt) with a longer deadline, up to a limit;
 * then a forward step counts as failed and the saga compensates (except approval, retried until the
 * order service answers), and a compensation step raises COMPENSATION_FAILED, an incident operators
 * see (the saga stays alive, and a late reply still moves it on). A refund the provider refuses
 * outright raises it at once: asking again would get the same answer. When the refund is what
 * failed, the shopper's order shows REFUND_PENDING and the customer is told the refund is delayed,
 * once; the notice of the final outcome follows when an operator's retry gets the refund made. The
 * customer's notice (NOTIFY_CUSTOMER) and MARK_REFUND_PENDING have no deadline and await no reply
 * the saga acts on: the notifier keeps a notice and retries its mail server until it is sent.
 *
 * <p>What each handler ignores: replies that do not answer the step in progress (duplicates, late
 * replies to an earlier attempt, replies after the saga moved on) and deadlines of an attempt that
 * is not the current one. A late success of a step the saga already gave up on is undone.
 *
 * <p>While an operator has it PARKED the saga acts on nothing and has no deadline, but loses
 * nothing: every reply passes one gate ({@link #receive}), which holds the first reply that decides
 * the step it stood at (a participant repeats a reply under its first message id, which the journal
 * already holds, so it would not come again) and acts on it when it is unparked; a payment or
 * shipment id is noted; a late success is still undone; a shopper's cancellation is noted.
 */
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

  /**
   * The attempt that began the current run of the step. The budget of attempts counts from it: an
   * operator's retry, resume or unpark starts a new run.
   */
  private int runFrom = 1;

  /** When the deadline of the attempt in progress falls (epoch millis), 0 when there is none. */
  private long dueAtMillis;

  private long startedAtMillis;
  private String paymentId;
  private String shipmentId;
  private boolean cancelRequested;
  private RejectionReason failure;
  private Money refunded;

  /**
   * Why the saga last raised COMPENSATION_FAILED, for operators: the refusal's reason and detail
   * ({@code PROVIDER_REJECTED refund_failed}) or {@code TIMED_OUT ...}.
   */
  private String incident;

  /** Notices sent to the customer so far; each is the next attempt of NOTIFY_CUSTOMER. */
  private int notices;

  /** Whether the shopper was shown REFUND_PENDING and told the refund is delayed (once a saga). */
  private boolean refundDelayReported;

  /** Compensation steps still to run, in order. */
  private List<Step> undo = new ArrayList<>();

  /** Set while a step was given up without knowing its outcome: a late success must be undone. */
  private boolean paymentOutcomeUnknown;

  private boolean shipmentOutcomeUnknown;

  /** Where the saga stood when an operator parked it; {@code null} unless PARKED. */
  private SagaState parkedFrom;

  /** A reply to the step the saga stood at that arrived while parked, and its message id. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "type")
  @JsonTypeIdResolver(WireTypeIdResolver.class)
  private Event heldReply;

  private String heldReplyId;

  private SagaStatus.LastAction lastAction;

  @JsonIgnore @Autowired private transient CommandSender commands;
  @JsonIgnore @Autowired private transient StepTimers timers;
  @JsonIgnore @Autowired private transient SagaStatusBoard board;
  @JsonIgnore @Autowired private transient SagaSettings settings;
  @JsonIgnore @Autowired private transient Clock clock;
  @JsonIgnore @Autowired private transient SagaMeters meters;

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
    meters.count("saga.started");
    state = AWAITING_PAYMENT;
    Optional<RejectionReason> refused = refuseBeforePayment();
    if (refused.isPresent()) {
      compensate(refused.get(), messageId); // nothing charged: only the order is rejected
      return;
    }
    start(Step.AUTHORIZE_PAYMENT, messageId);
  }

  /**
   * A version's own rule for declining the order before any charge is asked for (see {@link
   * OrderSagaV2}); this version takes every order to payment.
   */
  protected Optional<RejectionReason> refuseBeforePayment() {
    return Optional.empty();
  }

  /** The order's total, for a version's rules. */
  protected final Money total() {
    return total;
  }

  /** Ignored unless the payment step is in progress (or was given up: then it is refunded). */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentAuthorized authorized, @MessageIdentifier String messageId) {
    receive(authorized, messageId);
  }

  private void paymentAuthorized(PaymentAuthorized authorized, String messageId) {
    if (answers(Step.AUTHORIZE_PAYMENT)) {
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
    receive(scheduled, messageId);
  }

  private void shipmentScheduled(ShipmentScheduled scheduled, String messageId) {
    if (answers(Step.SCHEDULE_SHIPMENT)) {
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
  public void on(OrderApproved approved, @MessageIdentifier String messageId) {
    receive(approved, messageId);
  }

  private void orderApproved() {
    if (!answers(Step.APPROVE_ORDER)) {
      return;
    }
    timers.cancel(orderId);
    state = COMPLETED;
    step = null;
    meters.count("saga.completed");
    recordDuration("completed");
    publishStatus();
    SagaLifecycle.end();
  }

  // ---------------------------------------------------------------- failures of the forward steps

  /** Ignored unless the payment step is in progress. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentDeclined declined, @MessageIdentifier String messageId) {
    receive(declined, messageId);
  }

  private void paymentDeclined(String messageId) {
    if (answers(Step.AUTHORIZE_PAYMENT)) {
      compensate(
          cancelRequested ? RejectionReason.CANCELLED_BY_SHOPPER : RejectionReason.PAYMENT_DECLINED,
          messageId);
    }
  }

  /** Ignored unless the shipping step is in progress. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(ShipmentFailed failed, @MessageIdentifier String messageId) {
    receive(failed, messageId);
  }

  private void shipmentFailed(String messageId) {
    if (answers(Step.SCHEDULE_SHIPMENT)) {
      compensate(
          cancelRequested ? RejectionReason.CANCELLED_BY_SHOPPER : RejectionReason.SHIPMENT_FAILED,
          messageId);
    }
  }

  /**
   * Before approval is asked for, the shopper's cancellation undoes the order; a step in flight is
   * first allowed to answer, so that whatever it did can be undone. Ignored once approval was asked
   * for (too late: the order service refuses it too) and while already undoing. Noted while parked.
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OrderCancellationRequested cancellation) {
    if (standing() == AWAITING_PAYMENT || standing() == AWAITING_SHIPMENT) {
      cancelRequested = true;
      publishStatus();
    }
  }

  /** Ignored unless it is the deadline of the attempt in progress (and ignored while parked). */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(StepTimedOut timedOut, @MessageIdentifier String messageId) {
    if (timedOut.step() != step
        || timedOut.attempt() != attempt
        || state.isTerminal()
        || state == PARKED) {
      return;
    }
    meters.count("saga.step.timeouts", "step", step.name());
    // Approval is never given up: once payment and shipment are in place, undoing them because the
    // order service is slow would race a late approval. It is retried until the order answers.
    if (attempt - runFrom + 1 < settings.maxAttempts() || step == Step.APPROVE_ORDER) {
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
    failCompensation(
        "TIMED_OUT no answer after " + (attempt - runFrom + 1) + " attempts", messageId);
  }

  // ---------------------------------------------------------------- compensation, in reverse order

  /** Ignored unless the shipment is being cancelled. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(ShipmentCancelled cancelled, @MessageIdentifier String messageId) {
    receive(cancelled, messageId);
  }

  private void shipmentCancelled(String messageId) {
    if (answers(Step.CANCEL_SHIPMENT)) {
      next(messageId);
    }
  }

  /** Ignored unless the payment is being refunded. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentRefunded refund, @MessageIdentifier String messageId) {
    receive(refund, messageId);
  }

  private void paymentRefunded(PaymentRefunded refund, String messageId) {
    if (answers(Step.REFUND_PAYMENT)) {
      refunded = refund.amount();
      next(messageId);
    }
  }

  /**
   * A refund the provider refused outright (a definite reason: PROVIDER_REJECTED,
   * PAYMENT_NOT_FOUND) is not asked again: COMPENSATION_FAILED at once, with the refusal as the
   * incident's cause. One the provider could not make now (PROVIDER_UNAVAILABLE) is retried like an
   * unanswered one: the step's deadline stays set. Ignored unless the payment is being refunded (a
   * refusal of an earlier attempt counts: that refund was refused too); a definite one is held
   * while parked, a transient one ignored then; in COMPENSATION_FAILED it only becomes the
   * incident's cause.
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(PaymentRefundFailed refundFailed, @MessageIdentifier String messageId) {
    receive(refundFailed, messageId);
  }

  private void paymentRefundFailed(PaymentRefundFailed refundFailed, String messageId) {
    if (!answers(Step.REFUND_PAYMENT)) {
      return;
    }
    meters.count("saga.refund.failures", "reason", refundFailed.reason().name());
    if (!refundFailed.reason().isDefinite()) {
      return;
    }
    String detail = refundFailed.detail();
    failCompensation(
        refundFailed.reason().name() + (detail == null || detail.isBlank() ? "" : " " + detail),
        messageId);
  }

  /** Ignored unless the order is being rejected; then the customer is told, once. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OrderRejected rejected, @MessageIdentifier String messageId) {
    receive(rejected, messageId);
  }

  private void orderRejected(String messageId) {
    if (!answers(Step.REJECT_ORDER)) {
      return;
    }
    timers.cancel(orderId);
    // no deadline: the notifier keeps the notice and retries until the mail server accepts it
    notifyCustomer(NoticeReason.valueOf(failure.name()), messageId);
    finishCompensation();
  }

  // ---------------------------------------------------------------- operator actions
  // Each is refused (and the refusal published on the status board) where OperatorAction says it
  // makes no sense; an ended saga (COMPLETED, or COMPENSATED with nothing left to watch) receives
  // none at all, and the operator API refuses them up front.

  /** Sends the step in progress again now; from COMPENSATION_FAILED it compensates again. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OperatorRetryRequested retry, @MessageIdentifier String messageId) {
    if (!admit(retry, null)) {
      return;
    }
    if (state == COMPENSATION_FAILED) {
      state = COMPENSATING;
    }
    restart(step, messageId);
  }

  /**
   * Runs the forward step the saga stands at again with the operator's corrected input, under the
   * step's own idempotency key (only the corrected fields are taken from the input). Unparks a
   * parked saga.
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OperatorResumeRequested resume, @MessageIdentifier String messageId) {
    if (!admit(resume, resume.fromStep())) {
      return;
    }
    if (resume.input() instanceof AuthorizePayment corrected) {
      customer = new Customer(corrected.customerId(), customer.email(), customer.locale());
      total = corrected.amount();
      paymentToken = corrected.paymentToken();
    } else if (resume.input() instanceof ScheduleShipment corrected) {
      shippingAddress = corrected.address();
      items = corrected.items();
    } // ApproveOrder carries nothing to correct
    state = standing();
    parkedFrom = null;
    restart(step, messageId);
  }

  /**
   * Gives up the order now with reason OPERATOR_ABORTED. A step in flight may still succeed: as
   * when it times out, its late success is undone too.
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OperatorCompensationRequested abort, @MessageIdentifier String messageId) {
    if (!admit(abort, null)) {
      return;
    }
    boolean answered = heldReply != null; // a held success already noted its payment/shipment id
    if (!answered && standing() == AWAITING_PAYMENT) {
      paymentOutcomeUnknown = true;
    } else if (!answered && standing() == AWAITING_SHIPMENT) {
      shipmentOutcomeUnknown = true;
    }
    releaseHeldReply();
    state = standing();
    parkedFrom = null;
    compensate(RejectionReason.OPERATOR_ABORTED, messageId);
  }

  /** Quarantines the saga: its deadline is dropped, and it acts on nothing until unparked. */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OperatorParkRequested park) {
    if (!admit(park, null)) {
      return;
    }
    parkedFrom = state;
    state = PARKED;
    dueAtMillis = 0;
    timers.cancel(orderId);
    publishStatus();
  }

  /**
   * Back to where the saga stood: a reply held while parked is acted on now; otherwise the step is
   * sent again under a new deadline (an incident, COMPENSATION_FAILED, just returns to that state).
   */
  @SagaEventHandler(associationProperty = "orderId")
  public void on(OperatorUnparkRequested unpark, @MessageIdentifier String messageId) {
    if (!admit(unpark, null)) {
      return;
    }
    state = parkedFrom;
    parkedFrom = null;
    Event held = heldReply;
    String heldId = heldReplyId;
    releaseHeldReply();
    if (held != null) {
      act(held, heldId);
    } else if (state == COMPENSATION_FAILED) {
      publishStatus();
    } else {
      restart(step, messageId);
    }
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

  /**
   * The compensation step in progress failed for good (refused, or unanswered past its attempts):
   * an incident for operators, with no deadline, until an operator's retry (or a late reply) moves
   * it on. When the refund failed, the shopper's order shows REFUND_PENDING and the customer is
   * told the refund is delayed, once a saga however often it fails again.
   */
  private void failCompensation(String cause, String causationId) {
    if (state != COMPENSATION_FAILED) {
      meters.count("saga.compensation.failed", "step", step.name());
    }
    state = COMPENSATION_FAILED;
    incident = cause;
    dueAtMillis = 0;
    timers.cancel(orderId);
    if (step == Step.REFUND_PAYMENT && !refundDelayReported) {
      refundDelayReported = true;
      // neither has a deadline: the order shows it, the notifier retries until the mail is sent
      commands.send(
          orderId, Step.MARK_REFUND_PENDING, 1, commandFor(Step.MARK_REFUND_PENDING), causationId);
      notifyCustomer(NoticeReason.REFUND_DELAYED, causationId);
    }
    publishStatus();
  }

  /** Sends a notice: the saga's next attempt of NOTIFY_CUSTOMER, so each has its own message id. */
  private void notifyCustomer(NoticeReason reason, String causationId) {
    notices++;
    commands.send(
        orderId,
        Step.NOTIFY_CUSTOMER,
        notices,
        new NotifyCustomer(
            orderId,
            MessageIds.idempotencyKey(orderId, "notice:" + reason),
            customer,
            reason,
            reason == NoticeReason.REFUND_DELAYED ? null : refunded),
        causationId);
  }

  /** A step given up on succeeded after all: undo it too, without a second notice. */
  private void undoLateSuccess(Step compensation, String causationId) {
    if (isUndoing()) {
      // while parked too: only an undoing saga has a step whose outcome is unknown
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
      meters.count("saga.compensated", "reason", failure.name());
      recordDuration("compensated");
    }
    state = COMPENSATED;
    step = null;
    attempt = 0;
    dueAtMillis = 0;
    timers.cancel(orderId);
    publishStatus();
    if (!paymentOutcomeUnknown && !shipmentOutcomeUnknown) {
      SagaLifecycle.end();
    }
  }

  /** The timer {@code saga.duration}: from OrderPlaced to the end, by outcome. */
  private void recordDuration(String outcome) {
    meters.duration(outcome, Duration.ofMillis(Math.max(0, clock.millis() - startedAtMillis)));
  }

  /** Where the saga stands: its state, or while parked the state it was parked in. */
  private SagaState standing() {
    return state == PARKED ? parkedFrom : state;
  }

  /**
   * Whether a reply to {@code answered} answers the step in progress: the saga stands at that
   * forward step, or is undoing and runs that compensation step.
   */
  private boolean answers(Step answered) {
    if (step != answered) {
      return false;
    }
    return switch (answered) {
      case AUTHORIZE_PAYMENT -> standing() == AWAITING_PAYMENT;
      case SCHEDULE_SHIPMENT -> standing() == AWAITING_SHIPMENT;
      case APPROVE_ORDER -> standing() == AWAITING_APPROVAL;
      default -> isUndoing();
    };
  }

  private boolean isUndoing() {
    return standing() == COMPENSATING || standing() == COMPENSATION_FAILED;
  }

  // ---------------------------------------------------------------- the gate of every reply

  /**
   * Every reply passes here. While parked, the first reply that decides the step the saga stood at
   * is held for the unpark (its payment or shipment id noted, so a compensation from the parked
   * saga undoes it) and the saga does nothing else; a late success of a step given up on is still
   * undone; anything else is ignored. Otherwise the reply is acted on.
   */
  private void receive(Event reply, String messageId) {
    if (state != PARKED) {
      act(reply, messageId);
    } else if (decidesStepInProgress(reply)) {
      hold(reply, messageId);
    } else if (reply instanceof PaymentAuthorized || reply instanceof ShipmentScheduled) {
      act(reply, messageId); // not the step in progress: only a late success does anything
    }
  }

  /**
   * Whether the reply decides the step in progress: it answers it, and is not a refusal that only
   * says to try again later (a transient refund failure, for which the deadline stays).
   */
  private boolean decidesStepInProgress(Event reply) {
    if (reply instanceof PaymentRefundFailed refundFailed && !refundFailed.reason().isDefinite()) {
      return false;
    }
    return answers(stepAnsweredBy(reply));
  }

  private static Step stepAnsweredBy(Event reply) {
    if (reply instanceof PaymentAuthorized || reply instanceof PaymentDeclined) {
      return Step.AUTHORIZE_PAYMENT;
    } else if (reply instanceof ShipmentScheduled || reply instanceof ShipmentFailed) {
      return Step.SCHEDULE_SHIPMENT;
    } else if (reply instanceof OrderApproved) {
      return Step.APPROVE_ORDER;
    } else if (reply instanceof ShipmentCancelled) {
      return Step.CANCEL_SHIPMENT;
    } else if (reply instanceof PaymentRefunded || reply instanceof PaymentRefundFailed) {
      return Step.REFUND_PAYMENT;
    } else if (reply instanceof OrderRejected) {
      return Step.REJECT_ORDER;
    }
    throw new IllegalStateException("not a reply the saga takes: " + reply.getClass().getName());
  }

  /** Keeps the first reply that decided the step while parked (a step answers once). */
  private void hold(Event reply, String messageId) {
    if (reply instanceof PaymentAuthorized authorized) {
      paymentId = authorized.paymentId();
    } else if (reply instanceof ShipmentScheduled scheduled) {
      shipmentId = scheduled.shipmentId();
    }
    if (heldReply == null) {
      heldReply = reply;
      heldReplyId = messageId;
      publishStatus();
    }
  }

  private void releaseHeldReply() {
    heldReply = null;
    heldReplyId = null;
  }

  /** Acts on a reply: as it arrives, or as held while parked when the saga is unparked. */
  private void act(Event reply, String messageId) {
    if (reply instanceof PaymentAuthorized authorized) {
      paymentAuthorized(authorized, messageId);
    } else if (reply instanceof PaymentDeclined) {
      paymentDeclined(messageId);
    } else if (reply instanceof ShipmentScheduled scheduled) {
      shipmentScheduled(scheduled, messageId);
    } else if (reply instanceof ShipmentFailed) {
      shipmentFailed(messageId);
    } else if (reply instanceof OrderApproved) {
      orderApproved();
    } else if (reply instanceof ShipmentCancelled) {
      shipmentCancelled(messageId);
    } else if (reply instanceof PaymentRefunded refund) {
      paymentRefunded(refund, messageId);
    } else if (reply instanceof PaymentRefundFailed refundFailed) {
      paymentRefundFailed(refundFailed, messageId);
    } else if (reply instanceof OrderRejected) {
      orderRejected(messageId);
    } else {
      throw new IllegalStateException("no handler for a reply " + reply.getClass().getName());
    }
  }

  // ---------------------------------------------------------------- operator requests

  /**
   * Records the operator's request as the saga's last action and says whether to carry it out: a
   * request that makes no sense where the saga stands (as {@link OperatorAction} says) is recorded
   * as refused, with why, and published; the handler then does nothing else.
   *
   * @return whether the request is admitted
   */
  private boolean admit(OperatorRequest request, Step fromStep) {
    Optional<String> refusal = request.action().refusal(status(), fromStep);
    lastAction =
        new SagaStatus.LastAction(
            request.actionId(), request.action(), refusal.isEmpty(), refusal.orElse(null));
    if (refusal.isPresent()) {
      publishStatus();
      return false;
    }
    return true;
  }

  private void start(Step next, String causationId) {
    runFrom = 1;
    send(next, 1, causationId);
  }

  /** Sends the step again now, as the first attempt of a new run (an operator asked for it). */
  private void restart(Step again, String causationId) {
    runFrom = attempt + 1;
    send(again, attempt + 1, causationId);
  }

  /** Sends an attempt of a step and sets its deadline. */
  private void send(Step next, int nextAttempt, String causationId) {
    step = next;
    attempt = nextAttempt;
    commands.send(orderId, step, attempt, commandFor(step), causationId);
    Duration timeout = settings.timeoutOf(orderId, step, attempt - runFrom + 1);
    timers.schedule(orderId, step, attempt, timeout);
    dueAtMillis = clock.millis() + timeout.toMillis();
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
      case MARK_REFUND_PENDING -> new MarkRefundPending(orderId, failure);
      case NOTIFY_CUSTOMER ->
          throw new IllegalStateException("a notice is sent by notifyCustomer, never as a step");
    };
  }

  private SagaStatus status() {
    boolean underDeadline =
        dueAtMillis > 0
            && (state == AWAITING_PAYMENT
                || state == AWAITING_SHIPMENT
                || state == AWAITING_APPROVAL
                || state == COMPENSATING);
    return new SagaStatus(
        orderId,
        state,
        step,
        attempt,
        failure == null ? null : failure.name(),
        standing() == COMPENSATION_FAILED ? incident : null,
        cancelRequested,
        Instant.ofEpochMilli(startedAtMillis),
        clock.instant(),
        customer == null ? null : customer.customerId(),
        customer == null ? null : customer.email(),
        parkedFrom,
        underDeadline ? Instant.ofEpochMilli(dueAtMillis) : null,
        heldReply == null ? null : Envelope.wireTypeOf(heldReply.getClass()).name(),
        lastAction);
  }

  private void publishStatus() {
    board.update(status());
  }
}
