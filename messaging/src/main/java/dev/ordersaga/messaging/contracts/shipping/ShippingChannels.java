package dev.ordersaga.messaging.contracts.shipping;

/** Routing of the shipping participant. */
public final class ShippingChannels {

  /** Queue shipping-service consumes its commands from. */
  public static final String COMMAND_QUEUE = "shipping-service.commands";

  /** Binding of {@link #COMMAND_QUEUE} on the commands exchange. */
  public static final String COMMAND_BINDING = "shipping.#";

  private ShippingChannels() {}
}
