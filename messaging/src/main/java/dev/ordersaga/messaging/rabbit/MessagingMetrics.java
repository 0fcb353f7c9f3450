package dev.ordersaga.messaging.rabbit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messaging meters. Publishing: {@code messaging.published}, {@code messaging.confirmed},
 * {@code messaging.returned}, {@code messaging.publish.failed}. Consuming: {@code
 * messaging.consumed}, {@code messaging.duplicates}, {@code messaging.failed}, {@code
 * messaging.parked} and the timer {@code messaging.handler}. Tagged by wire type or queue.
 */
public final class MessagingMetrics {

  /** Why a message was parked (tag {@code reason} of {@code messaging.parked}): undecodable. */
  static final String UNDECODABLE = "UNDECODABLE";

  /** Parked because its handler rejected it for good. */
  static final String REJECTED = "REJECTED";

  /** Parked because it failed on every delivery up to the limit. */
  static final String DELIVERY_LIMIT = "DELIVERY_LIMIT";

  private final MeterRegistry registry;
  private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

  public MessagingMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters kept in memory only; for code that runs without Spring. */
  public static MessagingMetrics inMemory() {
    return new MessagingMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  void published(String type) {
    counter("messaging.published", "type", type).increment();
  }

  void confirmed(String type) {
    counter("messaging.confirmed", "type", type).increment();
  }

  void returned(String type) {
    counter("messaging.returned", "type", type).increment();
  }

  void publishFailed(String type, String reason) {
    Counter.builder("messaging.publish.failed")
        .tag("type", type)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * The counters of a queue being consumed, at zero before its first message: Prometheus counts an
   * increase only from a sample it has seen, so a counter that first appears at 1 (the first parked
   * message) would never raise an alert on {@code increase()}.
   */
  void consuming(String queue) {
    counter("messaging.consumed", "queue", queue);
    counter("messaging.duplicates", "queue", queue);
    counter("messaging.failed", "queue", queue);
    for (String reason : new String[] {UNDECODABLE, REJECTED, DELIVERY_LIMIT}) {
      Counter.builder("messaging.parked")
          .tag("queue", queue)
          .tag("reason", reason)
          .register(registry);
    }
  }

  void consumed(String queue, String type, Duration took) {
    counter("messaging.consumed", "queue", queue).increment();
    Timer.builder("messaging.handler")
        .tag("queue", queue)
        .tag("type", type)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  void duplicate(String queue) {
    counter("messaging.duplicates", "queue", queue).increment();
  }

  void failed(String queue) {
    counter("messaging.failed", "queue", queue).increment();
  }

  void parked(String queue, String reason) {
    Counter.builder("messaging.parked")
        .tag("queue", queue)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * The counter, registered at its first use and kept: registering looks the meter up by its name
   * and tags each time (about 1% of all CPU under load, for every message published, confirmed and
   * consumed).
   */
  private Counter counter(String name, String tag, String value) {
    return counters.computeIfAbsent(
        new CounterKey(name, tag, value),
        key -> Counter.builder(name).tag(tag, value).register(registry));
  }

  private record CounterKey(String name, String tag, String value) {}
}
