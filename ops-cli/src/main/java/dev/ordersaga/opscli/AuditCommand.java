package dev.ordersaga.opscli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops-cli audit}: the audit log of operator actions ({@code GET /ops/audit}). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    header = "the audit log of operator actions",
    description = "Lists audited operator actions, newest first (GET /ops/audit).")
final class AuditCommand extends ApiCommand {

  @Option(names = "--who", paramLabel = "USER", description = "done by this operator")
  String who;

  @Option(
      names = "--action",
      paramLabel = "A",
      description = "retry, resume, compensate, park, unpark, bulk-<action> or redrive")
  String action;

  @Option(names = "--order", paramLabel = "ORDER_ID", description = "on this saga")
  String orderId;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "at or after (2026-11-21T10:00:00Z)")
  String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "before")
  String to;

  @Mixin SagaCommands.Paging paging;

  @Override
  Request request() {
    Map<String, String> query = new LinkedHashMap<>();
    if (who != null) {
      query.put("who", who);
    }
    if (action != null) {
      query.put("action", action);
    }
    if (orderId != null) {
      query.put("orderId", orderId);
    }
    if (from != null) {
      query.put("from", from);
    }
    if (to != null) {
      query.put("to", to);
    }
    paging.addTo(query);
    return new Request(
        "/ops/audit", query, null, null, cli.timeout(), paging.all, Render::auditPage);
  }
}
