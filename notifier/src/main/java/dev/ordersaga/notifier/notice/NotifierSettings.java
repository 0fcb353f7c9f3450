package dev.ordersaga.notifier.notice;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code notifier.*}. The mail server itself is Spring Boot's {@code spring.mail.*}
 * (host, port, username, password, {@code properties.mail.smtp.*} timeouts).
 */
@ConfigurationProperties("notifier")
public class NotifierSettings {

  /**
   * Sender of every notice, an address with an optional name: {@code Shop <orders@shop.example>}.
   */
  private String from = "Order Saga <orders@order-saga.local>";

  private final Sender sender = new Sender();

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public Sender getSender() {
    return sender;
  }

  /** How PENDING notices are sent and retried. */
  public static class Sender {

    /** How often the sender looks for due work (notices to send, replies to publish). */
    private Duration pollInterval = Duration.ofSeconds(5);

    /** Wait after the first failed attempt; doubles per failure (with jitter). */
    private Duration retryInitial = Duration.ofSeconds(5);

    /**
     * Longest wait between two attempts: a notice is retried at this pace for as long as needed.
     */
    private Duration retryMax = Duration.ofMinutes(5);

    /**
     * How long a claim on a notice lasts; the sender renews it every third of this while it works
     * on the notice (a slow mail server), so this bounds how long a notice waits when its sender
     * dies: until the claim runs out, plus a poll interval.
     */
    private Duration claimTimeout = Duration.ofSeconds(4);

    /** Notices one sweep sends at most, so that replies and new notices are not held up. */
    private int batchSize = 50;

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public Duration getRetryInitial() {
      return retryInitial;
    }

    public void setRetryInitial(Duration retryInitial) {
      this.retryInitial = retryInitial;
    }

    public Duration getRetryMax() {
      return retryMax;
    }

    public void setRetryMax(Duration retryMax) {
      this.retryMax = retryMax;
    }

    public Duration getClaimTimeout() {
      return claimTimeout;
    }

    public void setClaimTimeout(Duration claimTimeout) {
      this.claimTimeout = claimTimeout;
    }

    public int getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(int batchSize) {
      this.batchSize = batchSize;
    }
  }
}
