package dev.ordersaga.notifier.notice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The notifier's meters: {@code notifier.notices.sent} (accepted by the mail server), {@code
 * notifier.notices.send.failures} (attempts that failed and will be retried) and the gauge {@code
 * notifier.notices.pending} (notices waiting for the mail server).
 */
public final class NoticeMetrics {

  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter sendFailures;

  public NoticeMetrics(MeterRegistry registry, NoticeTasks tasks) {
    this.registry = registry;
    this.sent =
        Counter.builder("notifier.notices.sent")
            .description("Notices the mail server accepted")
            .register(registry);
    this.sendFailures =
        Counter.builder("notifier.notices.send.failures")
            .description("Sending attempts that failed; each is retried")
            .register(registry);
    Gauge.builder("notifier.notices.pending", tasks, NoticeTasks::countSending)
        .description("Notices waiting for the mail server to accept them")
        .strongReference(true)
        .register(registry);
  }

  /** Where the sender's background work registers its meters. */
  MeterRegistry registry() {
    return registry;
  }

  void sent() {
    sent.increment();
  }

  void sendFailed() {
    sendFailures.increment();
  }
}
