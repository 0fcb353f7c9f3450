package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.web.ApiException;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.messaging.web.SignedCursors;
import dev.ordersaga.messaging.web.ValidatedBodies;
import dev.ordersaga.saga.OperatorAction;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.view.HistoryEntry;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator API on sagas (role OPERATOR): {@code GET /ops/sagas} to find them, {@code GET
 * /ops/sagas/{orderId}} for one saga's status, timeline and audited actions, and {@code POST
 * /ops/sagas/{orderId}/{retry|resume|compensate|park|unpark}} to act on one.
 */
@RestController
@RequestMapping("/ops/sagas")
class OpsSagaController {

  private static final int MAX_ID = 200;
  private static final int AUDIT_IN_DETAIL = 50;

  /** The listing, as its cursors name it. */
  private static final String LISTING = "ops-sagas";

  private final MongoSagaStatusBoard board;
  private final JournalReader journal;
  private final OperatorActions actions;
  private final AuditLog audit;
  private final RequestReader reader;
  private final OpsSettings settings;
  private final Clock clock;
  private final SignedCursors cursors;

  OpsSagaController(
      MongoSagaStatusBoard board,
      JournalReader journal,
      OperatorActions actions,
      AuditLog audit,
      RequestReader reader,
      OpsSettings settings,
      Clock clock,
      SignedCursors cursors) {
    this.cursors = cursors;
    this.board = board;
    this.journal = journal;
    this.actions = actions;
    this.audit = audit;
    this.reader = reader;
    this.settings = settings;
    this.clock = clock;
  }

  /** A saga in a listing; {@code sagaVersion}: the version of the definition that runs it. */
  record SagaSummary(
      String orderId,
      String sagaVersion,
      SagaState state,
      Step step,
      int attempt,
      String reason,
      String incident,
      boolean cancelRequested,
      String customerId,
      String customerEmail,
      Instant startedAt,
      Instant updatedAt,
      Instant deadlineAt,
      SagaState parkedFrom,
      String heldReply,
      boolean stuck,
      Instant stuckSince,
      SagaStatus.LastAction lastAction) {}

  /** A page of sagas; {@code nextCursor} is {@code null} on the last page. */
  record SagaPage(List<SagaSummary> items, String nextCursor) {}

  /** One saga: status, every message and operator request in its journal, and its audit. */
  record SagaDetail(SagaSummary status, List<HistoryEntry> timeline, List<AuditEntry> audit) {}

  /** The message of a missing or blank reason. */
  static final String REASON_REQUIRED = "is required: say why";

  /**
   * @param reason why (required), kept in the audit log
   */
  record ActionBody(
      @NotNull(message = REASON_REQUIRED) @NotBlank(message = REASON_REQUIRED) @ReasonText
          String reason) {}

  /**
   * @param fromStep the forward step to resume from (required)
   * @param input the corrected command of that step, checked by {@link ResumeInput}
   * @param reason why (required), kept in the audit log
   */
  record ResumeBody(
      @NotNull(message = ValidatedBodies.REQUIRED) Step fromStep,
      JsonNode input,
      @NotNull(message = REASON_REQUIRED) @NotBlank(message = REASON_REQUIRED) @ReasonText
          String reason) {}

  @GetMapping
  SagaPage list(@RequestParam MultiValueMap<String, String> parameters) {
    Set<String> known = new HashSet<>(SagaFilter.PARAMETERS);
    known.add("limit");
    known.add("cursor");
    QueryParameters params = QueryParameters.of(parameters, known);
    SagaFilter filter = SagaFilter.from(params);
    int limit = params.integer("limit", settings.defaultPageSize(), 1, settings.maxPageSize());
    String fingerprint = filter.fingerprint();
    MongoSagaStatusBoard.Position after =
        params
            .cursor(cursors, LISTING, fingerprint)
            .map(
                values ->
                    new MongoSagaStatusBoard.Position(
                        Instant.ofEpochMilli(Long.parseLong(values.get(0))), values.get(1)))
            .orElse(null);
    Instant now = clock.instant();
    MongoSagaStatusBoard.Page page =
        board.search(filter.toQuery(now, settings.stuckMargin(), ""), after, limit);
    List<SagaSummary> items = page.entries().stream().map(e -> summary(e, now)).toList();
    String next = null;
    if (page.more()) {
      SagaSummary last = items.get(items.size() - 1);
      next =
          cursors.issue(
              LISTING,
              fingerprint,
              List.of(String.valueOf(last.startedAt().toEpochMilli()), last.orderId()));
    }
    return new SagaPage(items, next);
  }

  @GetMapping("/{orderId}")
  SagaDetail one(@PathVariable String orderId) {
    checkId(orderId);
    MongoSagaStatusBoard.Entry status =
        board
            .entry(orderId)
            .orElseThrow(() -> ApiException.notFound("no saga for order " + orderId));
    List<HistoryEntry> timeline = journal.history(orderId).stream().map(HistoryEntry::of).toList();
    List<AuditEntry> actionsOnIt =
        audit
            .search(new AuditLog.Query(null, null, orderId, null, null), null, AUDIT_IN_DETAIL)
            .entries();
    Instant now = clock.instant();
    return new SagaDetail(summary(status, now), timeline, actionsOnIt);
  }

  @IdempotencyKeyHeader
  @ApiResponse(
      responseCode = "200",
      description = "The action was taken: the saga was seen to act on it")
  @ApiResponse(
      responseCode = "202",
      description = "Recorded and sent to the saga, but not yet seen taken (the answer says so)")
  @ApiResponse(
      responseCode = "409",
      description =
          "The action makes no sense where the saga stands (Action refused); or the Idempotency-Key was used for"
              + " another request, or its first request still runs (Retry-After)")
  @PostMapping("/{orderId}/{action:retry|compensate|park|unpark}")
  ResponseEntity<?> act(
      @PathVariable String orderId,
      @PathVariable String action,
      @RequestBody(required = false) byte[] body,
      Principal principal) {
    checkId(orderId);
    ActionBody request = reader.body(body, ActionBody.class);
    OperatorAction operatorAction = OperatorAction.fromPathName(action).orElseThrow();
    return answer(
        actions.act(
            orderId, operatorAction, reason(request.reason()), principal.getName(), null, null));
  }

  @IdempotencyKeyHeader
  @ApiResponse(responseCode = "200", description = "The saga resumed: it was seen to act on it")
  @ApiResponse(
      responseCode = "202",
      description = "Recorded and sent to the saga, but not yet seen taken (the answer says so)")
  @ApiResponse(
      responseCode = "409",
      description =
          "The saga cannot be resumed from there (Action refused); or the Idempotency-Key was used for"
              + " another request, or its first request still runs (Retry-After)")
  @PostMapping("/{orderId}/resume")
  ResponseEntity<?> resume(
      @PathVariable String orderId,
      @RequestBody(required = false) byte[] body,
      Principal principal) {
    checkId(orderId);
    ResumeBody request = reader.body(body, ResumeBody.class);
    Step fromStep = ResumeInput.forwardStep(request.fromStep());
    Command input = ResumeInput.decode(reader, orderId, fromStep, request.input());
    String reason = reason(request.reason());
    return answer(
        actions.act(orderId, OperatorAction.RESUME, reason, principal.getName(), fromStep, input));
  }

  /** 200 when verified, 202 when recorded but not seen taken, 404, or 409 when refused. */
  static ResponseEntity<?> answer(OperatorActions.ActionResult result) {
    return switch (result.outcome()) {
      case VERIFIED -> ResponseEntity.ok(result);
      case UNVERIFIED -> ResponseEntity.status(HttpStatus.ACCEPTED).body(result);
      case NOT_FOUND -> throw ApiException.notFound(result.detail());
      case REFUSED -> {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("orderId", result.orderId());
        properties.put("action", result.action());
        properties.put("state", result.after().state());
        if (result.actionId() != null) {
          properties.put("actionId", result.actionId());
        }
        throw new ApiException(HttpStatus.CONFLICT, "Action refused", result.detail(), properties);
      }
    };
  }

  /**
   * A reason as kept: without the spaces around it. The request record's annotations have checked
   * it already (required, not blank, {@value ReasonText#MAX} characters at most, plain text).
   */
  static String reason(String reason) {
    return reason.strip();
  }

  static void checkId(String orderId) {
    if (orderId.length() > MAX_ID || orderId.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequestException("orderId", "is not an order id");
    }
  }

  private SagaSummary summary(MongoSagaStatusBoard.Entry entry, Instant now) {
    SagaStatus s = entry.status();
    boolean stuck = MongoSagaStatusBoard.isStuck(s, now.minus(settings.stuckMargin()));
    return new SagaSummary(
        s.orderId(),
        entry.sagaVersion(),
        s.state(),
        s.step(),
        s.attempt(),
        s.reason(),
        s.incident(),
        s.cancelRequested(),
        s.customerId(),
        s.customerEmail(),
        s.startedAt(),
        s.updatedAt(),
        s.deadlineAt(),
        s.parkedFrom(),
        s.heldReply(),
        stuck,
        entry.stuckSince(),
        s.lastAction());
  }
}
