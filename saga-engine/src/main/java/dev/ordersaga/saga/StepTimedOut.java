package dev.ordersaga.saga;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/**
 * A step's deadline passed before its reply arrived. Raised by {@code timers.StepTimers} into the
 * event store, never sent over RabbitMQ. It names the attempt it was set for, so a deadline that
 * fires after the reply (or after a newer attempt) is recognised as stale and ignored.
 */
@WireType(name = "saga.StepTimedOut")
public record StepTimedOut(String orderId, Step step, int attempt) implements Event {}
