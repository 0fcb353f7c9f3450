package dev.ordersaga.saga.ops;

import dev.ordersaga.saga.OperatorAction;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One action on every saga a filter selects (at most {@code maxSagas}, oldest first). A dry run
 * lists each selected saga with what the action would do to it, or why it would be skipped, and
 * changes nothing. A real run selects the same way, checks each saga again just before acting on
 * it, acts on at most {@code ratePerSecond} sagas a second, and reports each saga's checked result.
 * Either way one entry goes to the audit log, naming every saga.
 */
public class BulkActions {

  /** What to do. */
  public record Request(
      OperatorAction action,
      SagaFilter filter,
      boolean dryRun,
      int ratePerSecond,
      int maxSagas,
      String reason,
      String who) {}

  /**
   * One selected saga.
   *
   * @param plan {@code apply} or {@code skip}
   * @param detail what the action would do (dry run) or did, or why it was skipped
   * @param result the checked result of a real run's action; {@code null} in a dry run or when
   *     skipped
   */
  public record Item(
      String orderId,
      OperatorActions.Standing standing,
      String plan,
      String detail,
      OperatorActions.ActionResult result) {}

  /**
   * The report of a bulk action.
   *
   * @param truncated more sagas matched than {@code maxSagas}: only the oldest were selected
   * @param counts per outcome of a real run: VERIFIED, UNVERIFIED, REFUSED, and SKIPPED
   */
  public record Report(
      String action,
      boolean dryRun,
      SagaFilter filter,
      int ratePerSecond,
      int maxSagas,
      boolean truncated,
      Instant startedAt,
      Instant finishedAt,
      Map<String, Integer> counts,
      List<Item> sagas) {}

  private static final String APPLY = "apply";
  private static final String SKIP = "skip";

  private final MongoSagaStatusBoard board;
  private final OperatorActions actions;
  private final AuditLog audit;
  private final OpsSettings settings;
  private final Clock clock;

  public BulkActions(
      MongoSagaStatusBoard board,
      OperatorActions actions,
      AuditLog audit,
      OpsSettings settings,
      Clock clock) {
    this.board = board;
    this.actions = actions;
    this.audit = audit;
    this.settings = settings;
    this.clock = clock;
  }

  public Report run(Request request) {
    Instant startedAt = clock.instant();
    MongoSagaStatusBoard.Page selected =
        board.search(
            request.filter().toQuery(startedAt, settings.stuckMargin(), "filter."),
            null,
            request.maxSagas());
    List<Item> items =
        request.dryRun() ? dryRun(request, selected.entries()) : apply(request, selected.entries());
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Item item : items) {
      String key =
          item.result() != null
              ? item.result().outcome().name()
              : SKIP.equals(item.plan()) ? "SKIPPED" : "WOULD_APPLY";
      counts.merge(key, 1, Integer::sum);
    }
    Report report =
        new Report(
            request.action().pathName(),
            request.dryRun(),
            request.filter(),
            request.ratePerSecond(),
            request.maxSagas(),
            selected.more(),
            startedAt,
            clock.instant(),
            counts,
            items);
    Map<String, Object> asked = new LinkedHashMap<>();
    asked.put("filter", request.filter());
    asked.put("ratePerSecond", request.ratePerSecond());
    asked.put("maxSagas", request.maxSagas());
    audit.record(
        new AuditEntry(
            UUID.randomUUID().toString(),
            report.finishedAt(),
            request.who(),
            "bulk-" + request.action().pathName(),
            request.dryRun(),
            items.stream().map(Item::orderId).toList(),
            null,
            request.reason(),
            request.dryRun() ? "DRY_RUN" : "DONE",
            actions.json(asked),
            actions.json(
                Map.of("truncated", report.truncated(), "counts", counts, "sagas", items))));
    return report;
  }

  private List<Item> dryRun(Request request, List<MongoSagaStatusBoard.Entry> selected) {
    List<Item> items = new ArrayList<>();
    for (MongoSagaStatusBoard.Entry entry : selected) {
      SagaStatus status = entry.status();
      OperatorActions.Plan plan = actions.plan(status, request.action());
      items.add(
          new Item(
              status.orderId(),
              OperatorActions.Standing.of(status),
              plan.applies() ? APPLY : SKIP,
              plan.detail(),
              null));
    }
    return items;
  }

  private List<Item> apply(Request request, List<MongoSagaStatusBoard.Entry> selected) {
    long spacingNanos = TimeUnit.SECONDS.toNanos(1) / request.ratePerSecond();
    long nextSlot = System.nanoTime();
    List<OperatorActions.Submitted> submitted = new ArrayList<>();
    Map<String, Item> planned = new LinkedHashMap<>();
    for (MongoSagaStatusBoard.Entry entry : selected) {
      String orderId = entry.status().orderId();
      // checked again just before acting: an earlier action or a reply may have moved it
      Optional<SagaStatus> now = board.find(orderId);
      SagaStatus status = now.orElse(entry.status());
      OperatorActions.Plan plan = actions.plan(status, request.action());
      if (!plan.applies()) {
        planned.put(
            orderId,
            new Item(orderId, OperatorActions.Standing.of(status), SKIP, plan.detail(), null));
        continue;
      }
      waitUntil(nextSlot);
      nextSlot = Math.max(nextSlot, System.nanoTime()) + spacingNanos;
      submitted.add(
          actions.submit(status, request.action(), request.reason(), request.who(), null, null));
      planned.put(
          orderId,
          new Item(orderId, OperatorActions.Standing.of(status), APPLY, plan.detail(), null));
    }
    Map<String, OperatorActions.ActionResult> results = new LinkedHashMap<>();
    for (OperatorActions.ActionResult result : actions.await(submitted)) {
      results.put(result.orderId(), result);
      actions.count(request.action(), result.outcome().name());
    }
    List<Item> items = new ArrayList<>();
    for (Item item : planned.values()) {
      OperatorActions.ActionResult result = results.get(item.orderId());
      if (result == null) {
        actions.count(request.action(), "skipped");
      }
      items.add(
          result == null
              ? item
              : new Item(item.orderId(), item.standing(), item.plan(), item.detail(), result));
    }
    return items;
  }

  private static void waitUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a bulk action", e);
    }
  }
}
