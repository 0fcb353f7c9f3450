package dev.ordersaga.saga.runtime;

import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.saga.OperatorCompensationRequested;
import dev.ordersaga.saga.OperatorParkRequested;
import dev.ordersaga.saga.OperatorResumeRequested;
import dev.ordersaga.saga.OperatorRetryRequested;
import dev.ordersaga.saga.OperatorUnparkRequested;
import dev.ordersaga.saga.StepTimedOut;
import java.util.ArrayList;
import java.util.List;

/** Every message a saga consumes or sends, and how the engine writes them into its documents. */
public final class SagaMessages {

  /** The messages saga-engine makes itself: deadlines and operator requests, never on the wire. */
  public static final List<Class<? extends Message>> INTERNAL =
      List.of(
          StepTimedOut.class,
          OperatorRetryRequested.class,
          OperatorResumeRequested.class,
          OperatorCompensationRequested.class,
          OperatorParkRequested.class,
          OperatorUnparkRequested.class);

  /**
   * The replies: each answers a command a saga sent and names it as its {@code causationId} (a
   * participant repeating a stored reply names the attempt it first answered). The other events a
   * saga takes are facts of the order ({@code OrderPlaced}, {@code OrderCancellationRequested}).
   */
  public static final List<Class<? extends Message>> REPLIES =
      List.of(
          PaymentAuthorized.class,
          PaymentDeclined.class,
          PaymentRefunded.class,
          PaymentRefundFailed.class,
          ShipmentScheduled.class,
          ShipmentFailed.class,
          ShipmentCancelled.class,
          OrderApproved.class,
          OrderRejected.class,
          CustomerNotified.class);

  private SagaMessages() {}

  public static boolean isReply(Message message) {
    return REPLIES.contains(message.getClass());
  }

  /** A codec for the order saga's contracts and the internal messages. */
  public static WireCodec codec() {
    List<Class<? extends Message>> types = new ArrayList<>(MessageTypes.orderSaga().all());
    types.addAll(INTERNAL);
    return new WireCodec(MessageTypes.of(types));
  }
}
