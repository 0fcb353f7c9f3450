package dev.ordersaga.messaging.contracts.notification;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The mail server accepted the notice. */
@WireType(name = "notification.CustomerNotified")
public record CustomerNotified(String orderId, String noticeId) implements Event {

  public CustomerNotified {
    requireText(orderId, "orderId");
    requireText(noticeId, "noticeId");
  }
}
