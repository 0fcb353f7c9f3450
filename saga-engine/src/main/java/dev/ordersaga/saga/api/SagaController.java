package dev.ordersaga.saga.api;

import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /sagas/{orderId}}: a saga's state, step, attempts and its history from the journal.
 */
@RestController
public class SagaController {

  private final MongoSagaStatusBoard board;
  private final SagaJournal journal;

  public SagaController(MongoSagaStatusBoard board, SagaJournal journal) {
    this.board = board;
    this.journal = journal;
  }

  /** The saga's view, with every message it received or sent, oldest first. */
  public record SagaView(
      String orderId,
      String state,
      String step,
      int attempt,
      String reason,
      boolean cancelRequested,
      Instant startedAt,
      Instant updatedAt,
      List<HistoryEntry> history) {}

  /** One message in a saga's history. */
  public record HistoryEntry(
      long sequence,
      String direction,
      String type,
      String messageId,
      String causationId,
      Instant recordedAt,
      Object payload) {

    /** The entry of one event of a saga's stream in the journal. */
    public static HistoryEntry of(DomainEventMessage<?> event) {
      Map<String, Object> metadata = new LinkedHashMap<>(event.getMetaData());
      return new HistoryEntry(
          event.getSequenceNumber(),
          String.valueOf(metadata.get(SagaJournal.DIRECTION)),
          String.valueOf(metadata.get(SagaJournal.MESSAGE_TYPE)),
          event.getIdentifier(),
          (String) metadata.get(SagaJournal.CAUSATION_ID),
          event.getTimestamp(),
          event.getPayload());
    }
  }

  @GetMapping("/sagas/{orderId}")
  public ResponseEntity<?> saga(@PathVariable String orderId) {
    SagaStatus status = board.find(orderId).orElse(null);
    if (status == null) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no saga for order " + orderId);
      problem.setTitle("Saga not found");
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }
    List<HistoryEntry> history = journal.history(orderId).stream().map(HistoryEntry::of).toList();
    return ResponseEntity.ok(
        new SagaView(
            orderId,
            status.state().name(),
            status.step() == null ? null : status.step().name(),
            status.attempt(),
            status.reason(),
            status.cancelRequested(),
            status.startedAt(),
            status.updatedAt(),
            history));
  }
}
