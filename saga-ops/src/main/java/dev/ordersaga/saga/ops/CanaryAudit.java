package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.saga.canary.Canary;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes every change of the canary's split in the audit log: an operator's as {@code canary}
 * (outcome {@code DONE}), the engine's automatic rollback as {@code canary-rollback} (who {@code
 * saga-engine}, the reason saying which rates were compared).
 */
class CanaryAudit implements Canary.Listener {

  private final AuditLog audit;
  private final ObjectMapper json;
  private final Clock clock;

  CanaryAudit(AuditLog audit, ObjectMapper json, Clock clock) {
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void changed(Canary.Change change) {
    Canary.Split after = change.after();
    audit.record(
        new AuditEntry(
            UUID.randomUUID().toString(),
            after.changedAt() == null ? clock.instant() : after.changedAt(),
            after.changedBy(),
            change.automatic() ? "canary-rollback" : "canary",
            false,
            List.of(),
            null,
            after.reason(),
            change.automatic() ? "ROLLED_BACK" : "DONE",
            json.valueToTree(
                Map.of("candidate", String.valueOf(after.candidate()), "percent", after.percent())),
            json.valueToTree(Map.of("before", change.before(), "after", after))));
  }
}
