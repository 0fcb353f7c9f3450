package dev.ordersaga.saga.runtime;

import dev.ordersaga.saga.Step;
import java.time.Instant;

/** The deadline of the attempt a saga waits on: when it falls, the saga gets a StepTimedOut. */
public record Deadline(Step step, int attempt, Instant at) {}
