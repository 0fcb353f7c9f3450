package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * System test of "acknowledged means durable": the launcher jar runs as a separate process on a
 * data directory and queue names of its own, shoppers place orders over REST at {@value
 * #CONCURRENCY} in flight, and three times, at a moment drawn from a seeded random while many sagas
 * are in flight, the launcher's JVM is killed with SIGKILL and started again on the same data. Then
 * no new orders; every order answered 201 must end, and the system's own APIs must show for each:
 * the order exists and is final, as its kind must end; at most one authorized charge, and charged
 * minus refunded is the total if APPROVED, else 0; at most one booking, the shipment SCHEDULED only
 * if APPROVED; one notice, sent, if REJECTED or CANCELLED, none if APPROVED; its saga COMPLETED or
 * COMPENSATED as the order says; and nothing parked. A POST that got no answer is sent again with
 * the same key until it is answered, and counts only then.
 *
 * <p>It reports every violation with the order id, prints a timeline (kills, time to healthy, time
 * until the sagas in flight at each kill ended) and writes it to {@code
 * target/crash-recovery/report.txt}; the launcher's output is in {@code
 * target/crash-recovery/launcher.log}, and on failure the data directory is kept (its path is in
 * the report). Replay a run's kill points and order mix with {@code -Dcrash.seed=<seed>}.
 *
 * <p>It binds the system's fixed ports: run it alone and under {@code flock
 * /tmp/order-saga-system.lock}: {@code ./mvnw -pl compose -am verify -Dit.test=CrashRecoveryIT
 * -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@Tag("crash")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

  private static final int KILLS = 3;
  private static final int CONCURRENCY = 24;
  private static final int SHOPPERS = 8;

  /** A kill waits until at least this many answered sagas are being followed, unfinished. */
  private static final int MIN_IN_FLIGHT = CONCURRENCY / 2;

  /**
   * Orders answered after a run became healthy before it is killed: drawn from the seed in [min,
   * max).
   */
  private static final int KILL_AFTER_MIN = 30;

  private static final int KILL_AFTER_MAX = 120;

  /** Orders answered after the last restart became healthy before placing stops. */
  private static final int LAST_RUN_ORDERS = 30;

  private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(3);

  /**
   * How long after placing stops every answered order must be final: with every app up again, a
   * lost command is sent again within a step's deadline (at most 10 s) and a notice whose sending
   * the kill cut short within the notifier's claim timeout (20 s).
   */
  private static final Duration FINAL_WITHIN = Duration.ofSeconds(90);

  /**
   * How long the audit waits for what follows a final order (a notice sent, the saga ended). The
   * audit's own rounds over ~700 orders take most of 20 s on a busy 2-core machine (and slow the
   * notifier while they run: a notice was seen sent 6 s after it was recorded), so the bound leaves
   * room for several rounds after that; what is promised is that it happens, not how fast.
   */
  private static final Duration SETTLE_WITHIN = Duration.ofSeconds(60);

  private static final Path OUTPUT = Path.of("target", "crash-recovery");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path data;

  private final LoadRunLog runLog = new LoadRunLog("crash");
  private final LongSupplier clock = runLog.clock();
  private volatile long healthyAtMillis;

  /** One kill, and the answered orders not yet seen final at that moment. */
  private record Kill(int number, Set<TrackedOrder> unfinished) {}

  @Test
  void everyAcknowledgedOrderSurvivesKillNineAndEnds() throws Exception {
    long seed = Long.getLong("crash.seed", new SecureRandom().nextLong());
    Random random = new Random(seed);
    String namespace = "crash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    String shopperPassword = LoadRunLog.secret();
    String analystPassword = LoadRunLog.secret();
    String operatorPassword = LoadRunLog.secret();
    List<String> shoppers =
        IntStream.range(0, SHOPPERS).mapToObj(i -> "crash-shopper-" + i).toList();
    Map<String, String> environment =
        systemSettings(namespace, shoppers, shopperPassword, analystPassword, operatorPassword);
    Files.createDirectories(OUTPUT);
    Path log = OUTPUT.resolve("launcher.log");
    Files.deleteIfExists(log);
    runLog.note(
        "crash recovery: seed %d (replay with -Dcrash.seed=%d), namespace %s, data %s,"
            + " launcher output %s",
        seed, seed, namespace, data, log.toAbsolutePath());

    LauncherProcess.requirePortsFree();
    SystemApi api = new SystemApi();
    AtomicInteger run = new AtomicInteger();
    CrashLoad load =
        new CrashLoad(api, shoppers, shopperPassword, seed, CONCURRENCY, run::get, clock);
    LauncherProcess launcher = new LauncherProcess(environment, log);
    List<Kill> kills = new ArrayList<>();
    Map<Integer, Long> startedAt = new HashMap<>();
    List<SystemAudit.Problem> problems;
    try {
      start(launcher, run, startedAt);
      load.start();
      for (int k = 1; k <= KILLS; k++) {
        int killAfter = KILL_AFTER_MIN + random.nextInt(KILL_AFTER_MAX - KILL_AFTER_MIN);
        int thisRun = run.get();
        await(
                "kill point "
                    + k
                    + ": "
                    + killAfter
                    + " orders answered since run "
                    + thisRun
                    + " is healthy")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> answeredSinceHealthy(load) >= killAfter && load.following() >= MIN_IN_FLIGHT);
        int postsOpen = load.postsOpen();
        int following = load.following();
        Set<TrackedOrder> unfinished =
            load.orders().stream()
                .filter(o -> o.answered() && !o.seenFinal())
                .collect(Collectors.toSet());
        long at = clock.getAsLong();
        String process = launcher.kill();
        kills.add(new Kill(k, unfinished));
        runLog.note(
            "kill %d at %.1f s, %.1f s after run %d was healthy, %d orders answered since:"
                + " %d sagas followed in flight, %d answered orders not yet seen final, %d POSTs"
                + " open; SIGKILL to %s",
            k,
            at / 1000.0,
            (at - healthyAtMillis) / 1000.0,
            thisRun,
            killAfter,
            following,
            unfinished.size(),
            postsOpen,
            process);
        start(launcher, run, startedAt);
      }
      await(LAST_RUN_ORDERS + " orders answered after the last restart")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> answeredSinceHealthy(load) >= LAST_RUN_ORDERS);
      load.stopPlacing();
      long stoppedAt = clock.getAsLong();
      if (!load.awaitWorkers(Duration.ofMinutes(3))) {
        runLog.note("some shoppers were still waiting for an answer after 3 minutes");
      }
      runLog.note("placing stopped at %.1f s", stoppedAt / 1000.0);
      List<TrackedOrder> answered = load.orders().stream().filter(TrackedOrder::answered).toList();
      awaitFinal(load, answered.size(), stoppedAt);
      for (Kill kill : kills) {
        runLog.note(recovery(kill, startedAt.get(kill.number() + 1)));
      }
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
      load.stopWatching();
      launcher.stop();
      LoadCleanup.deleteNamespace(namespace);
    }
    String report = report(load.orders(), problems);
    System.out.println(report);
    Files.writeString(OUTPUT.resolve("report.txt"), report, StandardCharsets.UTF_8);
    if (!problems.isEmpty()) {
      fail(report);
    }
  }

  /**
   * The system's settings for this run ({@link LoadRunLog#settings}, a step's first deadline 2 s)
   * with attempts enough (about 4.5 minutes) to outlast the restarts on a busy machine, so that a
   * step that times out means a reply that never came; a notice whose sending a kill cut short is
   * claimed again after 20 s.
   */
  private Map<String, String> systemSettings(
      String namespace,
      List<String> shoppers,
      String shopperPassword,
      String analystPassword,
      String operatorPassword) {
    Map<String, String> settings =
        LoadRunLog.settings(
            data, namespace, shoppers, shopperPassword, analystPassword, operatorPassword, "2s");
    settings.put("NOTIFIER_SENDER_CLAIM_TIMEOUT", "20s");
    return settings;
  }

  private void start(LauncherProcess launcher, AtomicInteger run, Map<Integer, Long> startedAt)
      throws Exception {
    int number = run.incrementAndGet();
    long at = clock.getAsLong();
    startedAt.put(number, at);
    launcher.start();
    Duration healthy = launcher.awaitHealthy(HEALTHY_WITHIN);
    healthyAtMillis = clock.getAsLong();
    runLog.note(
        "run %d: started at %.1f s, all five apps healthy after %.1f s",
        number, at / 1000.0, healthy.toMillis() / 1000.0);
  }

  private long answeredSinceHealthy(CrashLoad load) {
    long since = healthyAtMillis;
    return load.orders().stream().filter(o -> o.answered() && o.answeredAtMillis >= since).count();
  }

  /** Waits (bounded) until every answered order is seen final; says how long it took. */
  private void awaitFinal(CrashLoad load, int answered, long stoppedAt)
      throws InterruptedException {
    try {
      await("every answered order final")
          .atMost(FINAL_WITHIN)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> load.unfinished() == 0);
      runLog.note(
          "all %d answered orders final %.1f s after placing stopped",
          answered, (clock.getAsLong() - stoppedAt) / 1000.0);
    } catch (ConditionTimeoutException e) {
      runLog.note(
          "%d of %d answered orders still not final %d s after placing stopped",
          load.unfinished(), answered, FINAL_WITHIN.toSeconds());
    } finally {
      load.stopWatching();
    }
  }

  /** How the system came back from one kill: the orders in flight then, and when they ended. */
  private String recovery(Kill kill, long restartedAt) {
    long never = kill.unfinished().stream().filter(o -> !o.seenFinal()).count();
    long lastFinal =
        kill.unfinished().stream().mapToLong(o -> o.finalSeenAtMillis).max().orElse(restartedAt);
    return String.format(
        "after kill %d: %s of the %d orders answered and unfinished at the kill were final %.1f s"
            + " after the restart",
        kill.number(),
        never == 0 ? "all" : (kill.unfinished().size() - never) + " (" + never + " never)",
        kill.unfinished().size(),
        Math.max(0, lastFinal - restartedAt) / 1000.0);
  }

  private String report(List<TrackedOrder> orders, List<SystemAudit.Problem> problems) {
    List<TrackedOrder> answered = orders.stream().filter(TrackedOrder::answered).toList();
    String figures =
        String.format(
            "orders: %d begun, %d answered 201; %d POSTs got no answer (or a 5xx) at first and were"
                + " sent again with their key (%d attempts), %d of them answered as a replay of an"
                + " order already placed%n",
            orders.size(),
            answered.size(),
            orders.stream().filter(o -> o.unanswered.get() > 0).count(),
            orders.stream().mapToInt(o -> o.unanswered.get()).sum(),
            answered.stream().filter(o -> o.replayed).count());
    return runLog.report(figures, orders, problems);
  }
}
