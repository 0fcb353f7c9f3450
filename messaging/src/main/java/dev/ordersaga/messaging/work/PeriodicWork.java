package dev.ordersaga.messaging.work;

import dev.ordersaga.messaging.store.Leases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A service's background job, run on a thread of its own: the one way the services run periodic
 * work (a relay, a sweep, a poller, a scan).
 *
 * <ul>
 *   <li>A round runs {@code every} delay after the previous one ended (fixed delay), the first one
 *       {@code firstAfter} the start; {@link #nudge} runs one at once (and the next one a delay
 *       after it). Rounds never overlap.
 *   <li>A round that throws is logged (one WARN line) and counted, and the next round runs as
 *       planned: the job never dies of a failure.
 *   <li>{@link #execute} and {@link #schedule} run one-off tasks on the same thread (so they never
 *       overlap a round), with the same failure handling.
 *   <li>{@link #stop} (Spring calls it on context close: this is a {@link SmartLifecycle}) starts
 *       no round after it was called (planned or nudged), lets the round in progress and the tasks
 *       already handed to {@link #execute} end for up to {@code stopWaiting} (then interrupts
 *       them), drops the tasks {@link #schedule}d for later and ends the thread. A stopped work can
 *       be started again.
 *   <li>Meters, tag {@code job} = the work's name: timer {@code periodic.work} (the rounds that ran
 *       the job) and counter {@code periodic.work.failures} (rounds and tasks that threw, and lease
 *       checks that failed).
 * </ul>
 *
 * <p><b>Under a lease</b> ({@link Builder#underLease}): of the instances of a service, only the one
 * that holds the job's lease ({@link Leases}) runs its rounds; the others call {@code
 * whileAnotherHolds} instead (a gauge the holder reports goes to 0 there). Each round takes or
 * renews the lease before it runs, and a second thread renews it every {@code renewEvery} (also
 * while a round runs), so a holder keeps a short lease and, once it dies, another instance takes
 * the lease over within {@code ttl} + {@code renewEvery}; the instance that takes it over runs a
 * round at once. An orderly stop gives the lease up. A lease keeps the others away; it is not what
 * safety rests on: a job run under one must be correct when run twice at once, as the Javadoc of
 * {@link Leases} says.
 */
public final class PeriodicWork implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);

  private final String name;
  private final Duration delay;
  private final Duration firstDelay;
  private final Duration stopWait;
  private final Runnable job;
  private final JobLease lease;
  private final Timer rounds;
  private final Counter failures;
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private volatile ScheduledThreadPoolExecutor runner;
  private volatile ScheduledThreadPoolExecutor renewer;

  /** The next planned round; read and written on the work's thread only. */
  private ScheduledFuture<?> next;

  private PeriodicWork(Builder builder, Runnable job) {
    this.name = builder.name;
    this.delay = positive(builder.delay, "delay");
    this.firstDelay = builder.firstDelay == null ? delay : builder.firstDelay;
    this.stopWait = builder.stopWait;
    this.job = Objects.requireNonNull(job, "job");
    this.lease =
        builder.leases == null
            ? null
            : new JobLease(
                builder.leases,
                builder.leaseKey,
                builder.ttl,
                builder.renewEvery,
                builder.whileAnotherHolds);
    this.rounds =
        Timer.builder("periodic.work")
            .description("Rounds of a background job")
            .tag("job", name)
            .register(builder.meters);
    this.failures =
        Counter.builder("periodic.work.failures")
            .description("Rounds, tasks and lease checks of a background job that failed")
            .tag("job", name)
            .register(builder.meters);
  }

  /**
   * Starts describing a work.
   *
   * @param name the job's name: its thread's name and the {@code job} tag of its meters
   */
  public static Builder named(String name, MeterRegistry meters) {
    return new Builder(name, meters);
  }

  /**
   * Runs a round now on the work's thread, unless one is already asked for; the next planned round
   * comes a delay after it. Returns at once; does nothing while stopped.
   */
  public void nudge() {
    ScheduledThreadPoolExecutor current = runner;
    if (current == null || !nudged.compareAndSet(false, true)) {
      return;
    }
    try {
      current.execute(
          () -> {
            nudged.set(false);
            round(current);
          });
    } catch (RejectedExecutionException stopping) {
      nudged.set(false);
    }
  }

  /**
   * Runs {@code task} once on the work's thread, soon.
   *
   * @return false when the work is stopped (the task does not run)
   */
  public boolean execute(Runnable task) {
    ScheduledThreadPoolExecutor current = runner;
    if (current == null) {
      return false;
    }
    try {
      current.execute(() -> guarded(task));
      return true;
    } catch (RejectedExecutionException stopping) {
      return false;
    }
  }

  /**
   * Runs {@code task} once on the work's thread after {@code after}; cancel the answer to drop it.
   *
   * @throws IllegalStateException when the work is stopped
   */
  public ScheduledFuture<?> schedule(Runnable task, Duration after) {
    ScheduledThreadPoolExecutor current = runner;
    if (current == null) {
      throw new IllegalStateException(name + " is stopped");
    }
    return current.schedule(() -> guarded(task), after.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * One round on the calling thread, as the work's thread runs it: checks the lease (if any), runs
   * the job, counts and logs a failure. The work's own thread calls it; a test may call it on a
   * work it did not start.
   *
   * @return whether the job ran and ended normally
   */
  public boolean runOnce() {
    if (lease != null && !lease.hold()) {
      return false;
    }
    long started = System.nanoTime();
    try {
      job.run();
      return true;
    } catch (RuntimeException e) {
      failed("a round", e);
      return false;
    } finally {
      rounds.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * One renewal of the lease, as the renewal thread does it: takes or renews the lease, and runs a
   * round at once (on the work's thread, if started) when this instance has just taken it.
   *
   * @return whether this instance has just taken the lease (it did not hold it at the last check)
   * @throws IllegalStateException when the work has no lease
   */
  public boolean renewLease() {
    if (lease == null) {
      throw new IllegalStateException(name + " runs without a lease");
    }
    boolean takenOver = lease.renew();
    if (takenOver) {
      nudge();
    }
    return takenOver;
  }

  /** Whether this instance held the lease at its last check ({@code true} without a lease). */
  public boolean holdsLease() {
    return lease == null || lease.held();
  }

  /** One round on {@code on}, the work's thread, then the next planned a delay later. */
  private void round(ScheduledThreadPoolExecutor on) {
    if (runner != on) {
      return; // stopped since it was planned or nudged
    }
    try {
      if (next != null) {
        next.cancel(false);
      }
      runOnce();
    } finally {
      if (runner == on) {
        try {
          next = on.schedule(() -> round(on), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
          next = null;
        }
      }
    }
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      failed("a task", e);
    }
  }

  private void failed(String what, RuntimeException e) {
    failures.increment();
    log.warn("{} of {} failed; the next round is in {}: {}", what, name, delay, e.toString());
    log.debug("{} of {} failed", what, name, e);
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (runner != null) {
        return;
      }
      ScheduledThreadPoolExecutor started = executor(name);
      nudged.set(false); // a nudge queued before the last stop was dropped with the queue
      runner = started;
      started.execute(
          () ->
              next =
                  started.schedule(
                      () -> round(started), firstDelay.toNanos(), TimeUnit.NANOSECONDS));
      if (lease != null) {
        renewer = executor(name + "-lease");
        long every = lease.renewEvery.toNanos();
        renewer.scheduleWithFixedDelay(
            () -> {
              try {
                renewLease();
              } catch (RuntimeException e) {
                failed("a lease renewal", e);
              }
            },
            every,
            every,
            TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * Stops; a round in progress may end first (for up to {@code stopWaiting}); gives up the lease.
   */
  @Override
  public void stop() {
    stop(true);
  }

  /**
   * Stops as if this instance died: the lease is left in the store, for another instance to take
   * over once it runs out.
   */
  void abandon() {
    stop(false);
  }

  private void stop(boolean releaseLease) {
    ScheduledThreadPoolExecutor stoppingRunner;
    ScheduledThreadPoolExecutor stoppingRenewer;
    synchronized (lifecycle) {
      stoppingRunner = runner;
      stoppingRenewer = renewer;
      runner = null;
      renewer = null;
    }
    if (stoppingRunner == null) {
      return;
    }
    if (stoppingRenewer != null) {
      stoppingRenewer.shutdownNow();
    }
    stoppingRunner.shutdown();
    try {
      if (!stoppingRunner.awaitTermination(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} did not end within {}; interrupting it", name, stopWait);
        stoppingRunner.shutdownNow();
      }
    } catch (InterruptedException e) {
      stoppingRunner.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (lease != null && releaseLease) {
      lease.release();
    }
  }

  @Override
  public boolean isRunning() {
    return runner != null;
  }

  private static ScheduledThreadPoolExecutor executor(String threadName) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    // on stop, what is planned for later is dropped (what is due now still runs: see stop)
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  private static Duration positive(Duration value, String what) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }

  /** How a work runs: its delay, its first delay, its lease, how long a stop waits. */
  public static final class Builder {
    private final String name;
    private final MeterRegistry meters;
    private Duration delay;
    private Duration firstDelay;
    private Duration stopWait = Duration.ofSeconds(5);
    private Leases leases;
    private String leaseKey;
    private Duration ttl;
    private Duration renewEvery;
    private Runnable whileAnotherHolds;

    private Builder(String name, MeterRegistry meters) {
      this.name = Objects.requireNonNull(name, "name");
      this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** The fixed delay between the end of a round and the start of the next. */
    public Builder every(Duration delay) {
      this.delay = delay;
      return this;
    }

    /** When the first round runs after the start (default: one delay). */
    public Builder firstAfter(Duration firstDelay) {
      if (firstDelay.isNegative()) {
        throw new IllegalArgumentException("firstAfter must not be negative, was " + firstDelay);
      }
      this.firstDelay = firstDelay;
      return this;
    }

    /** How long a stop waits for a round in progress before it interrupts it (default 5 s). */
    public Builder stopWaiting(Duration stopWait) {
      this.stopWait = stopWait;
      return this;
    }

    /**
     * Runs the rounds only on the instance that holds the lease {@code key}.
     *
     * @param ttl how long the lease lasts unless renewed
     * @param renewEvery how often the renewal thread renews it; shorter than {@code ttl}
     * @param whileAnotherHolds called (on either thread) when a check finds another instance
     *     holding the lease, or the lease could not be checked
     */
    public Builder underLease(
        Leases leases, String key, Duration ttl, Duration renewEvery, Runnable whileAnotherHolds) {
      positive(ttl, "ttl");
      positive(renewEvery, "renewEvery");
      if (renewEvery.compareTo(ttl) >= 0) {
        throw new IllegalArgumentException(
            "renewEvery (" + renewEvery + ") must be shorter than the lease's ttl (" + ttl + ")");
      }
      this.leases = Objects.requireNonNull(leases, "leases");
      this.leaseKey = Objects.requireNonNull(key, "key");
      this.ttl = ttl;
      this.renewEvery = renewEvery;
      this.whileAnotherHolds = Objects.requireNonNull(whileAnotherHolds, "whileAnotherHolds");
      return this;
    }

    /** The work, stopped; start it (or declare it as a bean, and Spring starts it). */
    public PeriodicWork build(Runnable job) {
      return new PeriodicWork(this, job);
    }
  }

  /** The lease of a work, and whether this instance held it at the last check. */
  private final class JobLease {
    private final Leases leases;
    private final String key;
    private final Duration ttl;
    private final Duration renewEvery;
    private final Runnable whileAnotherHolds;
    private boolean held;

    JobLease(
        Leases leases, String key, Duration ttl, Duration renewEvery, Runnable whileAnotherHolds) {
      this.leases = leases;
      this.key = key;
      this.ttl = ttl;
      this.renewEvery = renewEvery;
      this.whileAnotherHolds = whileAnotherHolds;
    }

    /** Takes or renews the lease; whether this instance holds it. */
    synchronized boolean hold() {
      check();
      return held;
    }

    /** Takes or renews the lease; whether this instance has just taken it. */
    synchronized boolean renew() {
      return check();
    }

    synchronized boolean held() {
      return held;
    }

    private boolean check() {
      boolean before = held;
      try {
        held = leases.acquire(key, ttl);
      } catch (RuntimeException e) {
        held = false;
        failed("the lease check", e);
      }
      if (!held) {
        whileAnotherHolds.run();
      }
      if (held != before) {
        log.info("{} {} the lease {}", name, held ? "holds" : "no longer holds", key);
      }
      return held && !before;
    }

    synchronized void release() {
      held = false;
      try {
        leases.release(key);
      } catch (RuntimeException e) {
        log.debug("could not give up the lease {}; it runs out by itself: {}", key, e.toString());
      }
    }
  }
}
