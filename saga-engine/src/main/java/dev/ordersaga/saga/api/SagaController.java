package dev.ordersaga.saga.api;

import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.ops.OpsSettings;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Clock;
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
 * {@code GET /sagas/{orderId}}: a saga's whole status (as the operator API's {@code GET
 * /ops/sagas/{orderId}} gives it) and its history from the journal.
 */
@RestController
public class SagaController {

  private final MongoSagaStatusBoard board;
  private final SagaJournal journal;
  private final OpsSettings settings;
  private final Clock clock;

  public SagaController(
      MongoSagaStatusBoard board, SagaJournal journal, OpsSettings settings, Clock clock) {
    this.board = board;
    this.journal = journal;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The saga's view, with every message it received or sent, oldest first.
   *
   * @param reason why it is compensating or failed (a rejection reason), or {@code null}
   * @param incident while COMPENSATION_FAILED, why the compensation step failed (such as {@code
   *     PROVIDER_REJECTED refund_failed}); {@code null} otherwise
   * @param deadlineAt when the attempt in progress times out, or {@code null} when it waits under
   *     no deadline
   * @param parkedFrom the state an operator parked it in, or {@code null} unless {@code PARKED}
   * @param heldReply wire type of a reply that arrived while parked, acted on at unpark
   * @param stuck past its deadline by more than {@code saga.ops.stuck-margin}, now
   * @param stuckSince when the stuck scan flagged it, or {@code null}
   * @param lastAction the operator action the saga handled last, or {@code null}
   */
  public record SagaView(
      String orderId,
      String state,
      String step,
      int attempt,
      String reason,
      String incident,
      boolean cancelRequested,
      Instant startedAt,
      Instant updatedAt,
      String customerId,
      String customerEmail,
      Instant deadlineAt,
      String parkedFrom,
      String heldReply,
      boolean stuck,
      Instant stuckSince,
      SagaStatus.LastAction lastAction,
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
    MongoSagaStatusBoard.Entry entry = board.entry(orderId).orElse(null);
    if (entry == null) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no saga for order " + orderId);
      problem.setTitle("Saga not found");
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }
    SagaStatus status = entry.status();
    List<HistoryEntry> history = journal.history(orderId).stream().map(HistoryEntry::of).toList();
    Instant now = clock.instant();
    return ResponseEntity.ok(
        new SagaView(
            orderId,
            status.state().name(),
            status.step() == null ? null : status.step().name(),
            status.attempt(),
            status.reason(),
            status.incident(),
            status.cancelRequested(),
            status.startedAt(),
            status.updatedAt(),
            status.customerId(),
            status.customerEmail(),
            status.deadlineAt(),
            status.parkedFrom() == null ? null : status.parkedFrom().name(),
            status.heldReply(),
            MongoSagaStatusBoard.isStuck(status, now.minus(settings.stuckMargin())),
            entry.stuckSince(),
            status.lastAction(),
            history));
  }
}
