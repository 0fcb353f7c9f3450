package dev.ordersaga.saga;

import java.time.Duration;

/** Durable deadlines of the saga's steps: one pending deadline per saga at most. */
public interface StepTimers {

  /** Replaces the saga's deadline: {@link StepTimedOut} for this attempt after {@code after}. */
  void schedule(String orderId, Step step, int attempt, Duration after);

  /** Drops the saga's deadline, if any. */
  void cancel(String orderId);
}
