package dev.ordersaga.saga.analytics;

import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.journal.Direction;
import dev.ordersaga.saga.journal.JournalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per step of the saga, from the journal, one saga at a time: how often it ran, how many commands
 * it took (retries are the commands beyond the first), and how long it took to be answered.
 *
 * <p>A step's run is its commands in one saga (every attempt); it counts in the range where its
 * first command was recorded. Its latency runs from that first command's {@code occurredAt} to the
 * recorded time of the first reply that answers it, both on the engine's clock: a reply answers the
 * run when its {@code causationId} is one of the run's commands (a participant answering a retry
 * may re-send its reply to an earlier attempt), or, for a reply that names no cause, when it is the
 * first reply of the step's kinds after the run's first command. A run with no reply counts as
 * unanswered.
 */
final class StepStatistics {

  private final Instant from;
  private final Instant to;
  private final Map<Step, Figures> figures = new EnumMap<>(Step.class);

  StepStatistics(Instant from, Instant to) {
    this.from = from;
    this.to = to;
    for (Step step : Step.values()) {
      figures.put(step, new Figures());
    }
  }

  /** What was found for one step. */
  record StepFigures(
      Step step,
      String command,
      boolean compensation,
      long runs,
      long commands,
      long answered,
      Long p50Ms,
      Long p95Ms,
      Long p99Ms,
      Long maxMs) {

    long retries() {
      return commands - runs;
    }

    long unanswered() {
      return runs - answered;
    }
  }

  /** Takes one saga's journal entries (any order). */
  void addSaga(List<JournalEvent> events) {
    Map<Step, List<JournalEvent>> runs = new EnumMap<>(Step.class);
    List<JournalEvent> inbound = new ArrayList<>();
    for (JournalEvent event : events) {
      if (Direction.OUT.wire().equals(event.direction())) {
        StepMessages.stepOfCommand(event.type())
            .ifPresent(step -> runs.computeIfAbsent(step, s -> new ArrayList<>()).add(event));
      } else if (Direction.IN.wire().equals(event.direction())) {
        inbound.add(event);
      }
    }
    inbound.sort(Comparator.comparingLong(JournalEvent::sequence));
    runs.forEach(
        (step, commands) -> {
          commands.sort(Comparator.comparingLong(JournalEvent::sequence));
          JournalEvent first = commands.get(0);
          if (first.recordedAt() == null || !inRange(first.recordedAt())) {
            return;
          }
          Figures stepFigures = figures.get(step);
          stepFigures.runs++;
          stepFigures.commands += commands.size();
          Instant answeredAt = answeredAt(step, commands, inbound);
          if (answeredAt != null) {
            Instant sentAt = first.occurredAt() != null ? first.occurredAt() : first.recordedAt();
            stepFigures.latencies.add(Math.max(0, Duration.between(sentAt, answeredAt).toMillis()));
          }
        });
  }

  private boolean inRange(Instant recordedAt) {
    return (from == null || !recordedAt.isBefore(from)) && (to == null || recordedAt.isBefore(to));
  }

  private static Instant answeredAt(
      Step step, List<JournalEvent> commands, List<JournalEvent> inbound) {
    Set<String> ids = new HashSet<>();
    commands.forEach(command -> ids.add(command.eventId()));
    Instant byCause = null;
    for (JournalEvent reply : inbound) {
      if (reply.causationId() != null
          && ids.contains(reply.causationId())
          && reply.recordedAt() != null
          && (byCause == null || reply.recordedAt().isBefore(byCause))) {
        byCause = reply.recordedAt();
      }
    }
    if (byCause != null) {
      return byCause;
    }
    long after = commands.get(0).sequence();
    for (JournalEvent reply : inbound) {
      if (reply.causationId() == null
          && reply.sequence() > after
          && StepMessages.answers(step, reply.type())) {
        return reply.recordedAt();
      }
    }
    return null;
  }

  /** Every step, in the order of {@link Step}, including those that did not run. */
  List<StepFigures> result() {
    List<StepFigures> result = new ArrayList<>();
    figures.forEach(
        (step, f) ->
            result.add(
                new StepFigures(
                    step,
                    StepMessages.commandType(step),
                    step.isCompensation(),
                    f.runs,
                    f.commands,
                    f.latencies.size(),
                    f.latencies.percentile(50),
                    f.latencies.percentile(95),
                    f.latencies.percentile(99),
                    f.latencies.percentile(100))));
    return result;
  }

  private static final class Figures {
    long runs;
    long commands;
    final Percentiles latencies = new Percentiles();
  }
}
