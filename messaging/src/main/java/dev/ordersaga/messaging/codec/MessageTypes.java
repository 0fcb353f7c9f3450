package dev.ordersaga.messaging.codec;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which Java record reads each wire type and revision. */
public final class MessageTypes {

  private static final List<Class<? extends Message>> ORDER_SAGA =
      List.of(
          OrderPlaced.class,
          OrderCancellationRequested.class,
          ApproveOrder.class,
          OrderApproved.class,
          RejectOrder.class,
          OrderRejected.class,
          MarkRefundPending.class,
          AuthorizePayment.class,
          PaymentAuthorized.class,
          PaymentDeclined.class,
          RefundPayment.class,
          PaymentRefunded.class,
          PaymentRefundFailed.class,
          ScheduleShipment.class,
          ShipmentScheduled.class,
          ShipmentFailed.class,
          CancelShipment.class,
          ShipmentCancelled.class,
          NotifyCustomer.class,
          CustomerNotified.class);

  private final Map<String, Class<? extends Message>> byKey = new LinkedHashMap<>();

  private MessageTypes(Collection<Class<? extends Message>> types) {
    for (Class<? extends Message> type : types) {
      WireType wireType = Envelope.wireTypeOf(type);
      Class<? extends Message> previous =
          byKey.put(key(wireType.name(), wireType.revision()), type);
      if (previous != null) {
        throw new IllegalArgumentException(
            "wire type " + wireType.name() + " r" + wireType.revision() + " is claimed twice");
      }
    }
  }

  /** Every message of the order saga. */
  public static MessageTypes orderSaga() {
    return new MessageTypes(ORDER_SAGA);
  }

  public static MessageTypes of(Collection<Class<? extends Message>> types) {
    return new MessageTypes(types);
  }

  public Optional<Class<? extends Message>> lookup(String name, int revision) {
    return Optional.ofNullable(byKey.get(key(name, revision)));
  }

  public Collection<Class<? extends Message>> all() {
    return List.copyOf(byKey.values());
  }

  private static String key(String name, int revision) {
    return name + "#" + revision;
  }
}
