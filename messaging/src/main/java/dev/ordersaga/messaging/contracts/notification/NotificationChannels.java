package dev.ordersaga.messaging.contracts.notification;

/** Routing of the notifier participant. */
public final class NotificationChannels {

  /** Queue the notifier consumes its commands from. */
  public static final String COMMAND_QUEUE = "notifier.commands";

  /** Binding of {@link #COMMAND_QUEUE} on the commands exchange. */
  public static final String COMMAND_BINDING = "notification.#";

  private NotificationChannels() {}
}
