package dev.ordersaga.saga.analytics;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
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
import dev.ordersaga.saga.Step;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The command each step of the saga sends and the replies that answer it, by wire type. A new
 * {@link Step} does not compile until it is given its messages here.
 */
final class StepMessages {

  private static final Map<String, Step> STEP_OF_COMMAND = new HashMap<>();
  private static final Map<Step, Set<String>> REPLIES = new EnumMap<>(Step.class);

  static {
    for (Step step : Step.values()) {
      STEP_OF_COMMAND.put(wireType(command(step)), step);
      REPLIES.put(
          step, replies(step).stream().map(StepMessages::wireType).collect(Collectors.toSet()));
    }
  }

  private StepMessages() {}

  static Class<? extends Command> command(Step step) {
    return switch (step) {
      case AUTHORIZE_PAYMENT -> AuthorizePayment.class;
      case SCHEDULE_SHIPMENT -> ScheduleShipment.class;
      case APPROVE_ORDER -> ApproveOrder.class;
      case CANCEL_SHIPMENT -> CancelShipment.class;
      case REFUND_PAYMENT -> RefundPayment.class;
      case REJECT_ORDER -> RejectOrder.class;
      case NOTIFY_CUSTOMER -> NotifyCustomer.class;
      case MARK_REFUND_PENDING -> MarkRefundPending.class;
    };
  }

  /** Every reply a participant may give to the step's command, success or failure. */
  static List<Class<? extends Message>> replies(Step step) {
    return switch (step) {
      case AUTHORIZE_PAYMENT -> List.of(PaymentAuthorized.class, PaymentDeclined.class);
      case SCHEDULE_SHIPMENT -> List.of(ShipmentScheduled.class, ShipmentFailed.class);
      case APPROVE_ORDER -> List.of(OrderApproved.class);
      case CANCEL_SHIPMENT -> List.of(ShipmentCancelled.class);
      case REFUND_PAYMENT -> List.of(PaymentRefunded.class, PaymentRefundFailed.class);
      case REJECT_ORDER -> List.of(OrderRejected.class);
      case NOTIFY_CUSTOMER -> List.of(CustomerNotified.class);
      case MARK_REFUND_PENDING -> List.of(); // no reply: the order only shows it
    };
  }

  /** The step whose command has this wire type. */
  static Optional<Step> stepOfCommand(String wireType) {
    return Optional.ofNullable(wireType == null ? null : STEP_OF_COMMAND.get(wireType));
  }

  static boolean answers(Step step, String wireType) {
    return REPLIES.get(step).contains(wireType);
  }

  static String commandType(Step step) {
    return wireType(command(step));
  }

  private static String wireType(Class<?> type) {
    return Envelope.wireTypeOf(type).name();
  }
}
