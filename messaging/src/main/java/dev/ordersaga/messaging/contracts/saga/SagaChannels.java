package dev.ordersaga.messaging.contracts.saga;

/**
 * Routing of the orchestrator: saga-engine consumes every event (replies and order facts) from one
 * queue. It sends no messages of its own kind, so this package holds only routing.
 */
public final class SagaChannels {

  /** Queue saga-engine consumes all events from. */
  public static final String EVENT_QUEUE = "saga-engine.events";

  /** Binding of {@link #EVENT_QUEUE} on the events exchange: every event. */
  public static final String EVENT_BINDING = "#";

  private SagaChannels() {}
}
