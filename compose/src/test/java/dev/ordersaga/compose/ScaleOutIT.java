package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * System test of the local cluster: the launcher jar as separate JVMs, the cluster's {@code store}
 * (each service's embedded store served on its fixed port) and then every service as its own
 * processes ({@code app NAME --port P}). Shoppers place {@value #ORDERS} orders over REST at
 * {@value #CONCURRENCY} in flight ({@link CrashLoad}, the mix of {@code CrashRecoveryIT}):
 *
 * <ol>
 *   <li>with one instance of each service, {@value #MEASURED} orders measured (throughput 1);
 *   <li>placing paused, a second instance of each started (ports +{@value #SECOND_OFFSET}), then
 *       {@value #MEASURED} more measured (throughput 2);
 *   <li>then, with many sagas in flight, the second saga-engine and the second payment-service are
 *       killed with SIGKILL; the time until every order in flight at the kill is final is the time
 *       the survivors took over (the unacked messages of the dead go to them at once; what the dead
 *       had claimed, when the claims run out);
 *   <li>the second saga-engine is started again while placing goes on to {@value #ORDERS} orders.
 * </ol>
 *
 * Then {@link SystemAudit}: every order final as its kind must end, no double charge, charged minus
 * refunded = the total if approved else 0, one notice per rejected or cancelled order, sagas ended,
 * nothing parked. The figures are printed and written to {@code target/scale-out/report.txt}; each
 * process's output is in {@code target/scale-out/}.
 *
 * <p>It binds the system's fixed ports (8080-8084, 8090-8094, 2525, 27020-27024): run it under
 * {@code flock /tmp/order-saga-system.lock}: {@code ./mvnw -pl compose -am verify
 * -Dit.test=ScaleOutIT -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@Tag("scale")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ScaleOutIT {

  private static final int ORDERS = 1000;
  private static final int CONCURRENCY = 32;
  private static final int SHOPPERS = 8;

  /** Orders whose end is timed for each throughput figure (after a few to fill the pipeline). */
  private static final int MEASURED = 200;

  private static final int RAMP = 32;

  /** The second instance of a service listens on its default port plus this. */
  private static final int SECOND_OFFSET = 10;

  private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(4);

  /**
   * How long the orders in flight at the kill may take to end: the promise is 10 s to take over.
   */
  private static final Duration TAKE_OVER_WITHIN = Duration.ofSeconds(60);

  private static final Duration FINAL_WITHIN = Duration.ofSeconds(90);
  private static final Duration SETTLE_WITHIN = Duration.ofSeconds(60);
  private static final Path OUTPUT = Path.of("target", "scale-out");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path data;

  private final LoadRunLog runLog = new LoadRunLog("scale");
  private final LongSupplier clock = runLog.clock();
  private final Map<String, LauncherProcess> processes = new LinkedHashMap<>();

  @Test
  void twoInstancesOfEveryServiceShareTheWorkAndTheSurvivorsTakeOverFromTheKilled()
      throws Exception {
    long seed = Long.getLong("scale.seed", new SecureRandom().nextLong());
    String namespace = "scale-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    String shopperPassword = LoadRunLog.secret();
    String analystPassword = LoadRunLog.secret();
    String operatorPassword = LoadRunLog.secret();
    List<String> shoppers =
        IntStream.range(0, SHOPPERS).mapToObj(i -> "scale-shopper-" + i).toList();
    // the leases and claims keep their defaults (5 s, 4 s): what is measured is the take-over as
    // shipped
    Map<String, String> environment =
        LoadRunLog.settings(
            data, namespace, shoppers, shopperPassword, analystPassword, operatorPassword, "3s");
    Files.createDirectories(OUTPUT);
    runLog.note(
        "scale out: seed %d, namespace %s, data %s, output %s", seed, namespace, data, OUTPUT);
    LauncherProcess.requirePortsFree(allPorts());

    CrashLoad load =
        new CrashLoad(new SystemApi(), shoppers, shopperPassword, seed, CONCURRENCY, () -> 1, clock)
            .limitTo(ORDERS);
    List<SystemAudit.Problem> problems;
    Map<String, String> figures = new LinkedHashMap<>();
    try {
      LauncherProcess store =
          process("store", List.of("store"), "512m", List.of(), storePorts(), environment);
      store.start();
      runLog.note(
          "store ready after %.1f s", store.awaitHealthy(HEALTHY_WITHIN).toMillis() / 1000.0);
      startInstances(1, environment);

      load.start();
      double one = throughput(load);
      load.pause();
      awaitAllFinal(load, Duration.ofSeconds(60));
      figures.put("throughput, 1 instance of each service", perSecond(one) + " sagas/s");
      runLog.note("one instance each: %.1f sagas/s; placing paused", one);

      startInstances(2, environment);
      load.resume();
      double two = throughput(load);
      figures.put("throughput, 2 instances of each service", perSecond(two) + " sagas/s");
      runLog.note("two instances each: %.1f sagas/s", two);

      await("sagas in flight before the kill")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> load.following() >= CONCURRENCY / 2);
      Set<TrackedOrder> inFlight =
          load.orders().stream()
              .filter(o -> o.answered() && !o.seenFinal())
              .collect(Collectors.toSet());
      long killedAt = clock.getAsLong();
      String engine = processes.get("saga-engine-2").kill();
      String payments = processes.get("payment-service-2").kill();
      runLog.note(
          "SIGKILL at %.1f s, %d orders answered, %d in flight: saga-engine-2 %s;"
              + " payment-service-2 %s",
          killedAt / 1000.0, load.answered(), inFlight.size(), engine, payments);
      double takeOver = takeOver(inFlight, killedAt);
      figures.put("kills", "2 (saga-engine-2, payment-service-2), SIGKILL with sagas in flight");
      figures.put(
          "taken over",
          String.format(
              "the %d orders in flight at the kill all final %.1f s after it",
              inFlight.size(), takeOver));

      LauncherProcess restarted = processes.get("saga-engine-2");
      long restartAt = clock.getAsLong();
      restarted.start();
      Duration healthy = restarted.awaitHealthy(HEALTHY_WITHIN);
      runLog.note(
          "saga-engine-2 restarted at %.1f s, healthy after %.1f s",
          restartAt / 1000.0, healthy.toMillis() / 1000.0);
      figures.put(
          "restarted",
          "saga-engine-2 mid-load, healthy after " + perSecond(healthy.toMillis() / 1000.0) + " s");

      if (!load.awaitWorkers(Duration.ofMinutes(5))) {
        runLog.note("some shoppers were still busy after 5 minutes");
      }
      load.stopPlacing();
      long stoppedAt = clock.getAsLong();
      List<TrackedOrder> answered = load.orders().stream().filter(TrackedOrder::answered).toList();
      awaitAllFinal(load, FINAL_WITHIN);
      runLog.note(
          "%d orders answered; all placed at %.1f s, final %.1f s later",
          answered.size(), stoppedAt / 1000.0, (clock.getAsLong() - stoppedAt) / 1000.0);
      figures.put("orders", answered.size() + " answered of " + load.orders().size() + " begun");
      load.stopWatching();
      problems =
          SystemAudit.audit(
              load,
              answered,
              shoppers,
              new OrderAudit(new SystemApi(), shopperPassword, analystPassword, operatorPassword),
              SETTLE_WITHIN,
              clock,
              line -> runLog.note("%s", line));
    } finally {
      load.stopPlacing();
      List<LauncherProcess> running = new ArrayList<>(processes.values());
      java.util.Collections.reverse(running); // the store last
      for (LauncherProcess process : running) {
        process.stop();
      }
      LoadCleanup.deleteNamespace(namespace);
    }
    String report = report(load.orders(), figures, problems);
    System.out.println(report);
    Files.writeString(OUTPUT.resolve("report.txt"), report, StandardCharsets.UTF_8);
    if (!problems.isEmpty()) {
      fail(report);
    }
  }

  /** Starts the {@code instance}-th instance of every service and waits until all are healthy. */
  private void startInstances(int instance, Map<String, String> environment) throws Exception {
    long at = clock.getAsLong();
    List<LauncherProcess> started = new ArrayList<>();
    for (Launcher.App app : Launcher.APPS) {
      int port = port(app, instance);
      LauncherProcess process =
          process(
              app.name() + "-" + instance,
              List.of("app", app.name(), "--port", Integer.toString(port)),
              "384m",
              List.of(port),
              List.of(port),
              environment);
      process.start();
      started.add(process);
    }
    for (LauncherProcess process : started) {
      process.awaitHealthy(HEALTHY_WITHIN);
    }
    runLog.note(
        "instance %d of all five services healthy %.1f s after their start",
        instance, (clock.getAsLong() - at) / 1000.0);
  }

  private LauncherProcess process(
      String name,
      List<String> args,
      String heap,
      List<Integer> httpPorts,
      List<Integer> boundPorts,
      Map<String, String> environment) {
    LauncherProcess process =
        new LauncherProcess(
            args, heap, httpPorts, boundPorts, environment, OUTPUT.resolve(name + ".log"));
    processes.put(name, process);
    return process;
  }

  /**
   * Sagas per second: after {@value #RAMP} more orders end (the pipeline fills), how long the next
   * {@value #MEASURED} take to end.
   */
  private double throughput(CrashLoad load) {
    long ramp = load.finished() + RAMP;
    await("the pipeline full")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> load.finished() >= ramp);
    long from = load.finished();
    long startedAt = System.nanoTime();
    await(MEASURED + " orders ended")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> load.finished() >= from + MEASURED);
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    return (load.finished() - from) / seconds;
  }

  /** Seconds from the kill until every order in flight then was seen final. */
  private double takeOver(Set<TrackedOrder> inFlight, long killedAt) {
    try {
      await("the orders in flight at the kill final")
          .atMost(TAKE_OVER_WITHIN)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> inFlight.stream().allMatch(TrackedOrder::seenFinal));
    } catch (ConditionTimeoutException e) {
      long open = inFlight.stream().filter(o -> !o.seenFinal()).count();
      runLog.note(
          "%d of the orders in flight at the kill not final after %s", open, TAKE_OVER_WITHIN);
    }
    long last = inFlight.stream().mapToLong(o -> o.finalSeenAtMillis).max().orElse(killedAt);
    double seconds = Math.max(0, last - killedAt) / 1000.0;
    runLog.note("orders in flight at the kill: all final %.1f s after it", seconds);
    return seconds;
  }

  private void awaitAllFinal(CrashLoad load, Duration atMost) {
    try {
      await("every answered order final")
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> load.unfinished() == 0);
    } catch (ConditionTimeoutException e) {
      runLog.note("%d answered orders still not final after %s", load.unfinished(), atMost);
    }
  }

  private static int port(Launcher.App app, int instance) {
    return app.defaultPort() + (instance - 1) * SECOND_OFFSET;
  }

  private static List<Integer> storePorts() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < Launcher.APPS.size(); i++) {
      ports.add(LocalCluster.DEFAULT_BASE_PORT + i);
    }
    ports.add(Launcher.DEFAULT_SMTP_PORT);
    return ports;
  }

  private static List<Integer> allPorts() {
    List<Integer> ports = new ArrayList<>(storePorts());
    for (Launcher.App app : Launcher.APPS) {
      ports.add(port(app, 1));
      ports.add(port(app, 2));
    }
    return ports;
  }

  private String report(
      List<TrackedOrder> orders, Map<String, String> figures, List<SystemAudit.Problem> problems) {
    StringBuilder lines = new StringBuilder();
    lines.append("figures (").append(CONCURRENCY).append(" in flight):\n");
    figures.forEach(
        (name, value) -> lines.append("  ").append(name).append(": ").append(value).append('\n'));
    return runLog.report(lines.toString(), orders, problems);
  }

  private static String perSecond(double value) {
    return String.format("%.1f", value);
  }
}
