package dev.ordersaga.messaging.contracts.notification;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.Money;

/**
 * Tell the customer how their order ended (or, with {@link NoticeReason#REFUND_DELAYED}, that its
 * refund is delayed), in their locale.
 *
 * @param idempotencyKey one per saga and reason, so a notice is sent once
 * @param refunded the amount given back, or {@code null} when nothing was charged or (with
 *     REFUND_DELAYED) nothing was given back yet
 */
@WireType(name = "notification.NotifyCustomer")
public record NotifyCustomer(
    String orderId, String idempotencyKey, Customer customer, NoticeReason reason, Money refunded)
    implements Command {

  public NotifyCustomer {
    requireText(orderId, "orderId");
    requireText(idempotencyKey, "idempotencyKey");
    require(customer, "customer");
    require(reason, "reason");
  }
}
