package dev.ordersaga.saga.api;

import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.view.HistoryEntry;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
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
  private final JournalReader journal;
  private final Duration stuckMargin;
  private final Clock clock;

  /**
   * @param stuckMargin how long past its deadline a saga stands still before it counts as stuck:
   *     the operators' setting, read here so that both views of a saga agree
   */
  public SagaController(
      MongoSagaStatusBoard board,
      JournalReader journal,
      @Value("${saga.ops.stuck-margin:30s}") Duration stuckMargin,
      Clock clock) {
    this.board = board;
    this.journal = journal;
    this.stuckMargin = stuckMargin;
    this.clock = clock;
  }

  /**
   * The saga's view, with every message it received or sent, oldest first.
   *
   * @param sagaVersion the version of the saga's definition that started it (and runs it to its
   *     end), such as {@code v1}
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
      String sagaVersion,
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
            entry.sagaVersion(),
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
            MongoSagaStatusBoard.isStuck(status, now.minus(stuckMargin)),
            entry.stuckSince(),
            status.lastAction(),
            history));
  }
}
