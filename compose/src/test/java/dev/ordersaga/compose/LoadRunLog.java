package dev.ordersaga.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * What the system tests that run the launcher as processes under {@link CrashLoad} ({@code
 * CrashRecoveryIT}, {@code ScaleOutIT}) share: the clock since the test began, the timeline of
 * notes printed as they happen, the end of the report (orders by outcome, violations, time taken),
 * the accounts' secrets and the system's settings by environment variable.
 */
final class LoadRunLog {

  private final String tag;
  private final long began = System.nanoTime();
  private final LongSupplier clock = () -> (System.nanoTime() - began) / 1_000_000;
  private final List<String> timeline = new ArrayList<>();

  /**
   * @param tag what each printed line starts with ({@code crash}, {@code scale})
   */
  LoadRunLog(String tag) {
    this.tag = tag;
  }

  /** Milliseconds since this log was made (when the test began). */
  LongSupplier clock() {
    return clock;
  }

  /** Adds a line to the timeline and prints it with the time since the test began. */
  void note(String format, Object... args) {
    String line = String.format(format, args);
    timeline.add(line);
    System.out.println(
        "[" + tag + " " + String.format("%6.1f", clock.getAsLong() / 1000.0) + " s] " + line);
  }

  /**
   * A report: the timeline, then {@code figures} (the test's own lines), then {@link #outcomes}.
   */
  String report(String figures, List<TrackedOrder> orders, List<SystemAudit.Problem> problems) {
    StringBuilder report = new StringBuilder("\n");
    timeline.forEach(line -> report.append(line).append('\n'));
    report.append(figures);
    outcomes(report, orders, problems);
    return report.toString();
  }

  /**
   * The answered orders by kind and last status seen, the violations (by category, then each) or
   * that there were none, and how long the test took.
   */
  private void outcomes(
      StringBuilder report, List<TrackedOrder> orders, List<SystemAudit.Problem> problems) {
    Map<String, Long> outcomes =
        orders.stream()
            .filter(TrackedOrder::answered)
            .collect(
                Collectors.groupingBy(
                    o -> o.kind + "->" + o.lastStatus, TreeMap::new, Collectors.counting()));
    report.append("  kind->status as last seen: ").append(outcomes).append('\n');
    if (problems.isEmpty()) {
      report.append("no violations\n");
    } else {
      Map<String, Long> categories =
          problems.stream()
              .flatMap(p -> p.findings().stream())
              .map(SystemAudit::category)
              .collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
      report.append(
          String.format(
              "VIOLATIONS in %d orders (or POSTs, or parking queues); findings by category: %s%n",
              problems.size(), categories));
      problems.forEach(p -> report.append("  ").append(p).append('\n'));
    }
    report.append(String.format("took %.1f s%n", clock.getAsLong() / 1000.0));
  }

  /** A fresh password for one of the run's accounts. */
  static String secret() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  /**
   * The system's settings, by environment variable (Spring's relaxed binding), for a run under
   * load: the shoppers' accounts, the data directory, its own queue names and accounts, short saga
   * deadlines (a lost command is sent again within seconds; at most 10 s apart) with 30 attempts to
   * outlast restarts, relays and the notice sender looking often, redelivery quick.
   *
   * @param stepTimeout a step's first deadline ({@code SAGA_STEP_TIMEOUT})
   */
  static Map<String, String> settings(
      Path data,
      String namespace,
      List<String> shoppers,
      String shopperPassword,
      String analystPassword,
      String operatorPassword,
      String stepTimeout) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < shoppers.size(); i++) {
      settings.put("ORDER_SERVICE_SECURITY_SHOPPERS_" + i + "_USERNAME", shoppers.get(i));
      settings.put("ORDER_SERVICE_SECURITY_SHOPPERS_" + i + "_PASSWORD", shopperPassword);
    }
    settings.put("ORDER_SAGA_DATA_DIR", data.toString());
    settings.put("MESSAGING_RABBIT_NAMESPACE", namespace);
    settings.put("SAGA_SECURITY_ANALYST_PASSWORD", analystPassword);
    settings.put("SAGA_SECURITY_OPERATOR_PASSWORD", operatorPassword);
    settings.put("SAGA_STEP_TIMEOUT", stepTimeout);
    settings.put("SAGA_MAX_STEP_TIMEOUT", "10s");
    settings.put("SAGA_MAX_ATTEMPTS", "30");
    settings.put("SAGA_RELAY_DELAY", "2s");
    settings.put("ORDER_SERVICE_OUTBOX_RELAY_INTERVAL", "250ms");
    settings.put("ORDER_SERVICE_OUTBOX_RELAY_MIN_AGE", "2s");
    settings.put("MESSAGING_RABBIT_REDELIVERY_INITIAL", "100ms");
    settings.put("MESSAGING_RABBIT_REDELIVERY_MAX", "1s");
    settings.put("NOTIFIER_SENDER_POLL_INTERVAL", "500ms");
    settings.put("NOTIFIER_SENDER_RETRY_INITIAL", "500ms");
    settings.put("NOTIFIER_SENDER_RETRY_MAX", "2s");
    return settings;
  }
}
