package dev.ordersaga.messaging.contracts.payment;

/** Routing of the payment participant. */
public final class PaymentChannels {

  /** Queue payment-service consumes its commands from. */
  public static final String COMMAND_QUEUE = "payment-service.commands";

  /** Binding of {@link #COMMAND_QUEUE} on the commands exchange. */
  public static final String COMMAND_BINDING = "payment.#";

  private PaymentChannels() {}
}
