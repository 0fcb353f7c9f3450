package dev.ordersaga.messaging.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A work's rounds, on real short delays, waited for with Awaitility. */
class PeriodicWorkTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private PeriodicWork work;

  @AfterEach
  void stop() {
    if (work != null) {
      work.stop();
    }
  }

  @Test
  void runsAtItsDelayOnAThreadOfItsOwn() {
    List<Long> startedAt = new CopyOnWriteArrayList<>();
    AtomicReference<String> thread = new AtomicReference<>();
    work =
        PeriodicWork.named("test-job", meters)
            .every(Duration.ofMillis(100))
            .build(
                () -> {
                  thread.set(Thread.currentThread().getName());
                  startedAt.add(System.nanoTime());
                });
    long start = System.nanoTime();
    work.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> startedAt.size() >= 4);
    assertThat(thread.get()).isEqualTo("test-job");
    assertThat(millisBetween(start, startedAt.get(0)))
        .as("the first round comes one delay after the start")
        .isGreaterThanOrEqualTo(95);
    for (int i = 1; i < 4; i++) {
      assertThat(millisBetween(startedAt.get(i - 1), startedAt.get(i)))
          .as("a delay between rounds")
          .isGreaterThanOrEqualTo(95);
    }
    assertThat(meters.get("periodic.work").tag("job", "test-job").timer().count())
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void aNudgeRunsARoundAtOnce() {
    AtomicInteger rounds = new AtomicInteger();
    work =
        PeriodicWork.named("test-job", meters)
            .every(Duration.ofHours(1))
            .build(rounds::incrementAndGet);
    work.start();
    assertThat(rounds).hasValue(0);

    work.nudge();
    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 1);
    work.nudge();
    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
  }

  @Test
  void aFailingRoundIsCountedAndTheNextRoundStillRuns() {
    AtomicInteger rounds = new AtomicInteger();
    work =
        PeriodicWork.named("failing-job", meters)
            .every(Duration.ofMillis(50))
            .firstAfter(Duration.ZERO)
            .build(
                () -> {
                  if (rounds.incrementAndGet() <= 2) {
                    throw new IllegalStateException("the store is away");
                  }
                });
    work.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 4);
    assertThat(meters.get("periodic.work.failures").tag("job", "failing-job").counter().count())
        .isEqualTo(2.0);
    assertThat(work.isRunning()).isTrue();
  }

  @Test
  void tasksRunOnTheWorksThreadAndAFailingOneIsCounted() {
    work = PeriodicWork.named("task-job", meters).every(Duration.ofHours(1)).build(() -> {});
    assertThat(work.execute(() -> {})).as("stopped: the task does not run").isFalse();
    assertThatThrownBy(() -> work.schedule(() -> {}, Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
    work.start();

    AtomicReference<String> thread = new AtomicReference<>();
    CountDownLatch later = new CountDownLatch(1);
    assertThat(work.execute(() -> thread.set(Thread.currentThread().getName()))).isTrue();
    work.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    work.schedule(later::countDown, Duration.ofMillis(50));

    await().atMost(Duration.ofSeconds(5)).until(() -> later.getCount() == 0);
    assertThat(thread.get()).isEqualTo("task-job");
    assertThat(meters.get("periodic.work.failures").tag("job", "task-job").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void stopLetsTheRoundInProgressEndAndEndsTheThread() throws InterruptedException {
    CountDownLatch inRound = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ended = new AtomicInteger();
    AtomicReference<Thread> thread = new AtomicReference<>();
    work =
        PeriodicWork.named("stopping-job", meters)
            .every(Duration.ofMillis(10))
            .firstAfter(Duration.ZERO)
            .build(
                () -> {
                  thread.set(Thread.currentThread());
                  inRound.countDown();
                  try {
                    release.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ended.incrementAndGet();
                });
    work.start();
    assertThat(inRound.await(5, TimeUnit.SECONDS)).isTrue();

    Thread stopper = new Thread(work::stop);
    stopper.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !work.isRunning());
    release.countDown();
    stopper.join(5_000);

    assertThat(stopper.isAlive()).isFalse();
    assertThat(ended).as("the round in progress ended, no other started").hasValue(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !thread.get().isAlive());
    work.nudge(); // stopped: nothing runs
    assertThat(ended).hasValue(1);
  }

  @Test
  void aStoppedWorkStartsAgain() {
    AtomicInteger rounds = new AtomicInteger();
    work =
        PeriodicWork.named("restarted-job", meters)
            .every(Duration.ofMillis(20))
            .build(rounds::incrementAndGet);
    work.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 1);
    work.stop();
    int stoppedAt = rounds.get();

    work.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() > stoppedAt);
  }

  @Test
  void aNudgeDroppedByAStopDoesNotSilenceTheNextStart() throws InterruptedException {
    CountDownLatch inRound = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger rounds = new AtomicInteger();
    work =
        PeriodicWork.named("nudged-job", meters)
            .every(Duration.ofHours(1))
            .build(
                () -> {
                  if (rounds.incrementAndGet() == 1) {
                    inRound.countDown();
                    try {
                      release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
    work.start();
    work.nudge();
    assertThat(inRound.await(5, TimeUnit.SECONDS)).isTrue();
    work.nudge(); // queued behind the round in progress
    Thread stopper = new Thread(work::stop);
    stopper.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !work.isRunning());
    release.countDown();
    stopper.join(5_000);
    assertThat(rounds).as("the queued nudge was dropped by the stop").hasValue(1);

    work.start();
    work.nudge();
    await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
  }

  @Test
  void refusesADelayThatIsNotPositive() {
    assertThatThrownBy(() -> PeriodicWork.named("bad", meters).every(Duration.ZERO).build(() -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delay");
  }

  private static long millisBetween(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }
}
