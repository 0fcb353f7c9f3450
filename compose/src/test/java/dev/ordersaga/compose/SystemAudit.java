package dev.ordersaga.compose;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The audit the system tests under load end with ({@code CrashRecoveryIT}, {@code ScaleOutIT}):
 * every answered order checked by {@link OrderAudit} through the system's own APIs (final as its
 * kind must end, at most one charge and money conserved, at most one booking, one notice per
 * rejected or cancelled order, the saga ended as the order says), every order a shopper's listing
 * holds that no POST was answered for, every POST refused or never answered, and the parking
 * queues; rounds are repeated until nothing is left wrong or {@code settleWithin} has passed.
 */
final class SystemAudit {

  /** What was found wrong with one order (or one POST, or the parking queues). */
  record Problem(String subject, List<String> findings) {
    @Override
    public String toString() {
      return subject + ": " + String.join("; ", findings);
    }
  }

  private SystemAudit() {}

  /**
   * Every problem found, one line per order (or per parked queue, per unanswered or refused POST),
   * after waiting a little for what follows a final order.
   *
   * @param clock milliseconds since the test began
   * @param note where the audit says how long it took
   */
  static List<Problem> audit(
      CrashLoad load,
      List<TrackedOrder> answered,
      List<String> shoppers,
      OrderAudit audit,
      Duration settleWithin,
      LongSupplier clock,
      Consumer<String> note)
      throws Exception {
    Map<String, List<String>> byOrder = new ConcurrentHashMap<>();
    Map<String, String> labels = new ConcurrentHashMap<>();
    Map<String, Callable<List<String>>> checks = new LinkedHashMap<>();
    for (TrackedOrder order : answered) {
      checks.put(order.orderId, () -> audit.check(order));
      labels.put(order.orderId, order.toString());
    }
    Set<String> known = answered.stream().map(o -> o.orderId).collect(Collectors.toSet());
    for (String shopper : shoppers) {
      for (String orderId : audit.listed(shopper)) {
        if (!known.contains(orderId)) {
          checks.put(orderId, () -> audit.checkOrphan(orderId, shopper));
          labels.put(orderId, orderId + " (" + shopper + ", never answered)");
        }
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Set<String> pending = new HashSet<>(checks.keySet());
      long auditBegan = clock.getAsLong();
      try {
        await("no problems left")
            .atMost(settleWithin)
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> {
                  List<String> ids = new ArrayList<>(pending);
                  List<Callable<List<String>>> round = ids.stream().map(checks::get).toList();
                  List<Future<List<String>>> results = pool.invokeAll(round);
                  for (int i = 0; i < ids.size(); i++) {
                    List<String> found = results.get(i).get();
                    byOrder.put(ids.get(i), found);
                    if (found.isEmpty()) {
                      pending.remove(ids.get(i));
                    }
                  }
                  return pending.isEmpty();
                });
      } catch (ConditionTimeoutException e) {
        // what is still wrong now is reported
      }
      note.accept(
          String.format(
              "audit of %d orders took %.1f s",
              checks.size(), (clock.getAsLong() - auditBegan) / 1000.0));
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    List<Problem> problems = new ArrayList<>();
    new TreeMap<>(byOrder)
        .forEach(
            (orderId, found) -> {
              if (!found.isEmpty()) {
                problems.add(new Problem(labels.get(orderId), found));
              }
            });
    for (TrackedOrder order : load.orders()) {
      String post = "POST /orders with key " + order.idempotencyKey + " (" + order.kind + ")";
      if (order.refusal != null) {
        problems.add(new Problem(post, List.of("REFUSED: answered " + order.refusal)));
      } else if (!order.answered()) {
        problems.add(
            new Problem(
                post,
                List.of(
                    "UNANSWERED: no answer in "
                        + order.unanswered.get()
                        + " attempts, the last after the restart")));
      }
    }
    List<String> parked = audit.parked();
    if (!parked.isEmpty()) {
      problems.add(new Problem("saga-engine GET /ops/parked", parked));
    }
    return problems;
  }

  /** The category of a finding: what precedes its first colon ("LOST", "CHARGED TWICE", ...). */
  static String category(String finding) {
    int colon = finding.indexOf(':');
    return colon < 0 ? finding : finding.substring(0, colon);
  }
}
