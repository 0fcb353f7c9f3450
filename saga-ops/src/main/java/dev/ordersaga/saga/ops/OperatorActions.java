package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.saga.OperatorAction;
import dev.ordersaga.saga.OperatorCompensationRequested;
import dev.ordersaga.saga.OperatorParkRequested;
import dev.ordersaga.saga.OperatorRequest;
import dev.ordersaga.saga.OperatorResumeRequested;
import dev.ordersaga.saga.OperatorRetryRequested;
import dev.ordersaga.saga.OperatorUnparkRequested;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.runtime.SagaRuntime;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out operator actions on sagas, and checks that they took effect. An action is an operator
 * request handed to the saga runtime, which runs it as a step of the saga (one step at a time per
 * saga, so in order with everything else the saga receives) and records it in the saga's journal;
 * then the status board is read, for at most {@code saga.ops.verify-timeout}, until the saga shows
 * it took the request (its last action is this one) and moved (state, step, attempt or parking
 * changed). Actions that make no sense where the saga stands are refused before anything is
 * recorded, by the same rules the saga applies. Every action on one saga is written to the audit
 * log; a bulk action writes one entry for all.
 */
public class OperatorActions {

  private static final Logger log = LoggerFactory.getLogger(OperatorActions.class);

  /** How an action on one saga ended. */
  public enum Outcome {
    /** The saga took it and its status moved. */
    VERIFIED,
    /**
     * Recorded in the saga's journal, but the saga did not show within the timeout that it moved.
     */
    UNVERIFIED,
    /** It made no sense where the saga stands: nothing was done. */
    REFUSED,
    NOT_FOUND
  }

  /** Where a saga stands, before and after an action. */
  public record Standing(
      SagaState state, Step step, int attempt, SagaState parkedFrom, String heldReply) {

    static Standing of(SagaStatus status) {
      return status == null
          ? null
          : new Standing(
              status.state(),
              status.step(),
              status.attempt(),
              status.parkedFrom(),
              status.heldReply());
    }

    boolean movedFrom(Standing before) {
      return state != before.state
          || step != before.step
          || attempt != before.attempt
          || parkedFrom != before.parkedFrom;
    }
  }

  /**
   * What came of an action on one saga.
   *
   * @param actionId the request's id in the saga's journal, or {@code null} if none was recorded
   * @param verified whether the saga showed it took the action and moved
   */
  public record ActionResult(
      String actionId,
      String orderId,
      String action,
      Outcome outcome,
      boolean verified,
      Standing before,
      Standing after,
      String detail) {}

  /** What an action would do to a saga as it stands now, or why it would be refused. */
  public record Plan(boolean applies, String detail) {}

  /** An action recorded in a saga's journal, not yet seen taken. */
  record Submitted(String actionId, OperatorAction action, SagaStatus before) {}

  private static final long POLL_MILLIS = 50;

  private final MongoSagaStatusBoard board;
  private final SagaRuntime runtime;
  private final AuditLog audit;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final OpsSettings settings;
  private final MeterRegistry meters;

  public OperatorActions(
      MongoSagaStatusBoard board,
      SagaRuntime runtime,
      AuditLog audit,
      ObjectMapper mapper,
      Clock clock,
      OpsSettings settings,
      MeterRegistry meters) {
    this.board = board;
    this.runtime = runtime;
    this.audit = audit;
    this.mapper = mapper;
    this.clock = clock;
    this.settings = settings;
    this.meters = meters;
  }

  /**
   * Carries out one action on one saga and audits it.
   *
   * @param fromStep and {@code input}: for {@link OperatorAction#RESUME} only, else {@code null}
   */
  public ActionResult act(
      String orderId,
      OperatorAction action,
      String reason,
      String who,
      Step fromStep,
      Command input) {
    Optional<SagaStatus> found = board.find(orderId);
    ActionResult result;
    if (found.isEmpty()) {
      result =
          new ActionResult(
              null,
              orderId,
              action.pathName(),
              Outcome.NOT_FOUND,
              false,
              null,
              null,
              "no saga for order " + orderId);
    } else {
      Optional<String> refusal = action.refusal(found.get(), fromStep);
      if (refusal.isPresent()) {
        result = refused(null, orderId, action, found.get(), found.get(), refusal.get());
      } else {
        result = await(List.of(submit(found.get(), action, reason, who, fromStep, input))).get(0);
      }
    }
    count(action, result.outcome().name());
    Map<String, Object> request = new LinkedHashMap<>();
    if (action == OperatorAction.RESUME) {
      request.put("fromStep", fromStep);
      request.put("input", input);
    }
    audit.record(
        new AuditEntry(
            result.actionId() == null ? UUID.randomUUID().toString() : result.actionId(),
            clock.instant(),
            who,
            action.pathName(),
            false,
            List.of(orderId),
            null,
            reason,
            result.outcome().name(),
            request.isEmpty() ? null : json(request),
            json(result)));
    return result;
  }

  /** What {@code action} would do to a saga standing at {@code status}. */
  public Plan plan(SagaStatus status, OperatorAction action) {
    Optional<String> refusal = action.refusal(status, status.step());
    if (refusal.isPresent()) {
      return new Plan(false, refusal.get());
    }
    int next = status.attempt() + 1;
    String detail =
        switch (action) {
          case RETRY ->
              "send "
                  + status.step()
                  + " again now as attempt "
                  + next
                  + (status.state() == SagaState.COMPENSATION_FAILED ? ", compensating again" : "");
          case RESUME ->
              "send " + status.step() + " again with the corrected input as attempt " + next;
          case COMPENSATE ->
              "undo the order from " + status.standing() + " with reason OPERATOR_ABORTED";
          case PARK ->
              "park the saga at "
                  + status.step()
                  + " ("
                  + status.state()
                  + "), dropping its deadline";
          case UNPARK -> {
            if (status.heldReply() != null) {
              yield "unpark to "
                  + status.parkedFrom()
                  + " and act on the held "
                  + status.heldReply();
            }
            if (status.parkedFrom() == SagaState.COMPENSATION_FAILED) {
              yield "unpark to COMPENSATION_FAILED";
            }
            yield "unpark to "
                + status.parkedFrom()
                + " and send "
                + status.step()
                + " again as attempt "
                + next;
          }
        };
    return new Plan(true, detail);
  }

  /** Hands the action to the saga, which takes it (or refuses it) before this returns. */
  Submitted submit(
      SagaStatus before,
      OperatorAction action,
      String reason,
      String who,
      Step fromStep,
      Command input) {
    String orderId = before.orderId();
    String actionId = UUID.randomUUID().toString();
    OperatorRequest request =
        switch (action) {
          case RETRY -> new OperatorRetryRequested(orderId, actionId, who, reason);
          case RESUME ->
              new OperatorResumeRequested(orderId, actionId, who, reason, fromStep, input);
          case COMPENSATE -> new OperatorCompensationRequested(orderId, actionId, who, reason);
          case PARK -> new OperatorParkRequested(orderId, actionId, who, reason);
          case UNPARK -> new OperatorUnparkRequested(orderId, actionId, who, reason);
        };
    try {
      runtime.handle(Envelope.of(actionId, null, clock.instant(), Map.of(), request));
    } catch (RuntimeException e) {
      // stored or not, the status board tells: taken and moved, or unverified
      log.warn(
          "operator action {} on saga {} did not complete: {}", actionId, orderId, e.toString());
    }
    return new Submitted(actionId, action, before);
  }

  /**
   * Watches the status board until each saga shows it took its action, or the verify timeout has
   * passed (counted from now); one result per submitted action, in the same order.
   */
  List<ActionResult> await(List<Submitted> submitted) {
    long deadline = System.nanoTime() + settings.verifyTimeout().toNanos();
    Map<String, ActionResult> results = new HashMap<>();
    while (true) {
      List<String> waiting = new ArrayList<>();
      for (Submitted s : submitted) {
        if (!results.containsKey(s.actionId())) {
          waiting.add(s.before().orderId());
        }
      }
      if (waiting.isEmpty()) {
        break;
      }
      Map<String, SagaStatus> now = new HashMap<>();
      board.findAll(waiting).forEach(status -> now.put(status.orderId(), status));
      for (Submitted s : submitted) {
        SagaStatus after = now.get(s.before().orderId());
        if (!results.containsKey(s.actionId())
            && after != null
            && after.lastAction() != null
            && s.actionId().equals(after.lastAction().actionId())) {
          results.put(s.actionId(), taken(s, after));
        }
      }
      if (results.size() == submitted.size() || System.nanoTime() > deadline) {
        break;
      }
      pause(POLL_MILLIS);
    }
    List<ActionResult> ordered = new ArrayList<>();
    for (Submitted s : submitted) {
      ActionResult result = results.get(s.actionId());
      if (result == null) {
        SagaStatus after = board.find(s.before().orderId()).orElse(null);
        result =
            new ActionResult(
                s.actionId(),
                s.before().orderId(),
                s.action().pathName(),
                Outcome.UNVERIFIED,
                false,
                Standing.of(s.before()),
                Standing.of(after),
                "recorded in the saga's journal, but the saga did not show it took it within "
                    + settings.verifyTimeout().toMillis()
                    + " ms; see GET /ops/sagas/"
                    + s.before().orderId());
      }
      ordered.add(result);
    }
    return ordered;
  }

  /** Counts an action on one saga by its result ({@code saga.ops.actions{action,result}}). */
  void count(OperatorAction action, String result) {
    meters
        .counter(
            "saga.ops.actions",
            "action",
            action.pathName(),
            "result",
            result.toLowerCase(Locale.ROOT))
        .increment();
  }

  JsonNode json(Object value) {
    return mapper.valueToTree(value);
  }

  private ActionResult taken(Submitted s, SagaStatus after) {
    SagaStatus.LastAction taken = after.lastAction();
    if (!taken.applied()) {
      return refused(s.actionId(), after.orderId(), s.action(), s.before(), after, taken.detail());
    }
    Standing before = Standing.of(s.before());
    Standing now = Standing.of(after);
    boolean moved = now.movedFrom(before);
    return new ActionResult(
        s.actionId(),
        after.orderId(),
        s.action().pathName(),
        moved ? Outcome.VERIFIED : Outcome.UNVERIFIED,
        moved,
        before,
        now,
        moved ? null : "the saga took the action, but its status shows no change");
  }

  private static ActionResult refused(
      String actionId,
      String orderId,
      OperatorAction action,
      SagaStatus before,
      SagaStatus after,
      String why) {
    return new ActionResult(
        actionId,
        orderId,
        action.pathName(),
        Outcome.REFUSED,
        false,
        Standing.of(before),
        Standing.of(after),
        Objects.requireNonNull(why));
  }

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying an operator action", e);
    }
  }
}
