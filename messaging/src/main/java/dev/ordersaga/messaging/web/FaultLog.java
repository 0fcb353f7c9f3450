package dev.ordersaga.messaging.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs the server's own faults (an unexpected exception while answering a request): one line each
 * time, and the stack trace at most once per distinct fault per {@link #WINDOW} (a fault is its
 * exception class and the frame it was thrown from). The traces left out are counted and the count
 * is told with the next trace of that fault. Bad input is not a fault: it is refused with a 4xx and
 * one line (see {@link Problems}).
 */
public final class FaultLog {

  /** How long after a fault's stack trace the next one of the same fault is left out. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  /** Distinct faults remembered; past that the memory starts again (never grows unbounded). */
  private static final int MAX_FAULTS = 1_000;

  private final Clock clock;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  public FaultLog(Clock clock) {
    this.clock = clock;
  }

  /** One trace per fault per minute, for all of a JVM's services. */
  public static final FaultLog SHARED = new FaultLog(Clock.systemUTC());

  private static final class Seen {
    volatile Instant tracedAt;
    final AtomicLong suppressed = new AtomicLong();

    Seen(Instant tracedAt) {
      this.tracedAt = tracedAt;
    }
  }

  /**
   * Logs the fault at ERROR: {@code what} (already safe to log) and the failure's message, with the
   * stack trace when this fault's last trace is more than a minute old.
   *
   * @return whether the stack trace was logged
   */
  public boolean fault(Logger log, String what, Throwable failure) {
    String key = key(failure);
    Instant now = clock.instant();
    if (seen.size() > MAX_FAULTS) {
      seen.clear();
    }
    Seen fresh = new Seen(now);
    Seen earlier = seen.putIfAbsent(key, fresh);
    boolean trace;
    long suppressed = 0;
    if (earlier == null) {
      trace = true;
    } else {
      synchronized (earlier) {
        trace = !now.isBefore(earlier.tracedAt.plus(WINDOW));
        if (trace) {
          earlier.tracedAt = now;
          suppressed = earlier.suppressed.getAndSet(0);
        } else {
          earlier.suppressed.incrementAndGet();
        }
      }
    }
    String message = what + ": " + LogSafe.text(failure.toString());
    if (trace) {
      if (suppressed == 0) {
        log.error("{}", message, failure);
      } else {
        log.error(
            "{} (the same fault {} more times since its last trace, traces left out)",
            message,
            suppressed,
            failure);
      }
    } else {
      log.error("{} (same fault as a recent stack trace; trace left out)", message);
    }
    return trace;
  }

  private static String key(Throwable failure) {
    StackTraceElement[] trace = failure.getStackTrace();
    String at = trace.length == 0 ? "" : trace[0].toString();
    return failure.getClass().getName() + "@" + at;
  }
}
