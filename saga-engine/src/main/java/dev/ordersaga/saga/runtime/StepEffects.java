package dev.ordersaga.saga.runtime;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.saga.CommandSender;
import dev.ordersaga.saga.SagaMeters;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.SagaStatusBoard;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.StepTimers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one step of a saga decided, collected while its handler runs: the commands to send, the
 * deadline to wait on, the status to show and the meters to count. Nothing leaves the engine from
 * here; the runtime stores all of it with the saga in one write, and only then sends the commands.
 */
final class StepEffects implements CommandSender, StepTimers, SagaStatusBoard, SagaMeters {

  private final Clock clock;
  private final Map<String, String> trace;
  private final List<Envelope<Command>> commands = new ArrayList<>();
  private Deadline deadline;
  private boolean deadlineChanged;
  private SagaStatus status;
  private final List<Consumer<MeterRegistry>> meters = new ArrayList<>();

  /**
   * @param trace the trace context of the message the step consumed, carried on to its commands
   */
  StepEffects(Clock clock, Map<String, String> trace) {
    this.clock = clock;
    this.trace = trace;
  }

  @Override
  public void send(String orderId, Step step, int attempt, Command command, String causationId) {
    commands.add(
        Envelope.of(
            MessageIds.forStep(orderId, step.name(), attempt),
            causationId,
            clock.instant(),
            trace,
            command));
  }

  @Override
  public void schedule(String orderId, Step step, int attempt, Duration after) {
    deadline = new Deadline(step, attempt, clock.instant().plus(after));
    deadlineChanged = true;
  }

  @Override
  public void cancel(String orderId) {
    deadline = null;
    deadlineChanged = true;
  }

  @Override
  public void update(SagaStatus newStatus) {
    status = newStatus;
  }

  @Override
  public void count(String name, String... tags) {
    meters.add(registry -> registry.counter(name, tags).increment());
  }

  @Override
  public void duration(String outcome, Duration duration) {
    meters.add(registry -> SagaMeters.record(registry, outcome, duration));
  }

  /** Counts the step's meters in {@code registry}: once the step is stored, and only then. */
  void countIn(MeterRegistry registry) {
    meters.forEach(meter -> meter.accept(registry));
  }

  List<Envelope<Command>> commands() {
    return commands;
  }

  /** The deadline after the step: the one it set or dropped, else the one before it. */
  Deadline deadline(Deadline before) {
    return deadlineChanged ? deadline : before;
  }

  /** The status after the step: the one it showed last, else the one before it. */
  SagaStatus status(SagaStatus before) {
    return status == null ? before : status;
  }
}
