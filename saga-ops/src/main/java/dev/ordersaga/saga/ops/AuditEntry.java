package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One operator action in the audit log.
 *
 * @param id the entry's id; for an action on one saga, the action id the saga's journal holds it
 *     under
 * @param who the authenticated principal
 * @param action {@code retry}, {@code resume}, {@code compensate}, {@code park}, {@code unpark},
 *     {@code bulk-<action>} or {@code redrive}
 * @param dryRun whether it only showed what it would do
 * @param orderIds the sagas it touched (or, for a dry run, would touch)
 * @param queue the queue of a re-drive, else {@code null}
 * @param outcome in one word: {@code VERIFIED}, {@code UNVERIFIED}, {@code REFUSED}, {@code
 *     NOT_FOUND}, {@code DRY_RUN}, {@code DONE}
 * @param request what was asked beyond the reason (resume's step and input, a bulk's filter)
 * @param result what came of it
 */
public record AuditEntry(
    String id,
    Instant at,
    String who,
    String action,
    boolean dryRun,
    List<String> orderIds,
    String queue,
    String reason,
    String outcome,
    JsonNode request,
    JsonNode result) {

  public AuditEntry {
    orderIds = List.copyOf(orderIds);
  }
}
