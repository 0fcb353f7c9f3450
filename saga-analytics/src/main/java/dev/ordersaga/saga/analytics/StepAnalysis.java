package dev.ordersaga.saga.analytics;

import dev.ordersaga.saga.analytics.StepStatistics.StepFigures;
import dev.ordersaga.saga.journal.JournalEvent;
import dev.ordersaga.saga.journal.JournalReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads the journal saga by saga (one saga's entries in memory at a time) into {@link
 * StepStatistics}. Entries from {@code from} on are read, so a reply recorded after {@code to}
 * still answers a step that started before it.
 */
final class StepAnalysis {

  private static final int BATCH = 1000;

  private final JournalReader reader;

  StepAnalysis(JournalReader reader) {
    this.reader = reader;
  }

  List<StepFigures> steps(Instant from, Instant to) {
    return steps(from, to, sagaId -> true);
  }

  /** As {@link #steps(Instant, Instant)}, over the sagas {@code sagas} accepts only. */
  List<StepFigures> steps(Instant from, Instant to, Predicate<String> sagas) {
    StepStatistics statistics = new StepStatistics(from, to);
    List<JournalEvent> saga = new ArrayList<>();
    reader.forEachBySaga(
        from,
        BATCH,
        event -> {
          if (!saga.isEmpty() && !Objects.equals(saga.get(0).sagaId(), event.sagaId())) {
            statistics.addSaga(saga);
            saga.clear();
          }
          if (sagas.test(event.sagaId())) {
            saga.add(event);
          }
        });
    if (!saga.isEmpty()) {
      statistics.addSaga(saga);
    }
    return statistics.result();
  }
}
