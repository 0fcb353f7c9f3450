package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.messaging.web.SignedCursors;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops/audit}: the audit log of operator actions, newest first, filtered by {@code who},
 * {@code action}, {@code orderId}, {@code from} and {@code to} (ISO-8601 instants, from inclusive,
 * to exclusive), paged with {@code limit} and {@code cursor} (signed: one this API did not issue
 * for the same query is a 400). Read-only: there is no way to change or delete an entry.
 */
@RestController
class AuditController {

  private static final Set<String> PARAMETERS =
      Set.of("who", "action", "orderId", "from", "to", "limit", "cursor");

  /** The listing, as its cursors name it. */
  private static final String LISTING = "ops-audit";

  private final AuditLog audit;
  private final OpsSettings settings;
  private final SignedCursors cursors;

  AuditController(AuditLog audit, OpsSettings settings, SignedCursors cursors) {
    this.audit = audit;
    this.settings = settings;
    this.cursors = cursors;
  }

  /** A page of audit entries; {@code nextCursor} is {@code null} on the last page. */
  record AuditPage(List<AuditEntry> items, String nextCursor) {}

  @GetMapping("/ops/audit")
  AuditPage audit(@RequestParam MultiValueMap<String, String> parameters) {
    QueryParameters params = QueryParameters.of(parameters, PARAMETERS);
    AuditLog.Query query =
        new AuditLog.Query(
            params.text("who").orElse(null),
            params.text("action").orElse(null),
            params.text("orderId").orElse(null),
            params.instant("from").orElse(null),
            params.instant("to").orElse(null));
    int limit = params.integer("limit", settings.defaultPageSize(), 1, settings.maxPageSize());
    String fingerprint = query.toString();
    AuditLog.After after =
        params
            .cursor(cursors, LISTING, fingerprint)
            .map(
                values ->
                    new AuditLog.After(
                        Instant.ofEpochMilli(Long.parseLong(values.get(0))), values.get(1)))
            .orElse(null);
    AuditLog.Page page = audit.search(query, after, limit);
    String next = null;
    if (page.more()) {
      AuditEntry last = page.entries().get(page.entries().size() - 1);
      next =
          cursors.issue(
              LISTING, fingerprint, List.of(String.valueOf(last.at().toEpochMilli()), last.id()));
    }
    return new AuditPage(page.entries(), next);
  }
}
