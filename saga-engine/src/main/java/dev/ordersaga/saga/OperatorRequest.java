package dev.ordersaga.saga;

import dev.ordersaga.messaging.Event;

/**
 * An operator's request to one saga. The operator API appends it to the saga's stream in the
 * journal (event id = {@link #actionId()}), so the saga's tracking processor delivers it in order
 * with everything else the saga receives; it is never sent over RabbitMQ.
 */
public sealed interface OperatorRequest extends Event
    permits OperatorRetryRequested,
        OperatorResumeRequested,
        OperatorCompensationRequested,
        OperatorParkRequested,
        OperatorUnparkRequested {

  /** Identifies the request: its event id in the journal, and the audit log's reference to it. */
  String actionId();

  /** Who asked: the authenticated principal. */
  String operator();

  /** Why, in the operator's words. */
  String reason();

  OperatorAction action();
}
