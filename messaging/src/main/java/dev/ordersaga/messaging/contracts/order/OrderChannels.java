package dev.ordersaga.messaging.contracts.order;

/** Routing of the order participant. */
public final class OrderChannels {

  /** Queue order-service consumes its commands from. */
  public static final String COMMAND_QUEUE = "order-service.commands";

  /** Binding of {@link #COMMAND_QUEUE} on the commands exchange. */
  public static final String COMMAND_BINDING = "order.#";

  private OrderChannels() {}
}
