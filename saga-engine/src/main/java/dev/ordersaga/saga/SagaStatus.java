package dev.ordersaga.saga;

import java.time.Instant;

/**
 * A saga's current position.
 *
 * @param step the step in progress, or {@code null} when none is
 * @param reason why it is compensating or failed, or {@code null}
 */
public record SagaStatus(
    String orderId,
    SagaState state,
    Step step,
    int attempt,
    String reason,
    boolean cancelRequested,
    Instant startedAt,
    Instant updatedAt) {}
