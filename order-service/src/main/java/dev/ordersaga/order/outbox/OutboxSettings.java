package dev.ordersaga.order.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings under {@code order-service.outbox.*}. */
@ConfigurationProperties("order-service.outbox")
public class OutboxSettings {

  /** How often the relay looks for messages still pending. */
  private Duration relayInterval = Duration.ofSeconds(1);

  /**
   * How old a pending message must be before the relay re-publishes it; the request that wrote it
   * publishes it at once, so this only catches what that attempt left behind.
   */
  private Duration relayMinAge = Duration.ofSeconds(5);

  /**
   * Of several instances, one relays at a time: the one holding the lease, which it renews each
   * round for this long; when it dies another takes over once the lease runs out.
   */
  private Duration relayLease = Duration.ofSeconds(5);

  /** Pending markers the relay takes in one round, oldest message first. */
  private int relayBatchSize = 100;

  /**
   * How old a pending marker must be before the relay removes it when its order does not hold its
   * message (the request that wrote it failed before its order write, or the message was confirmed
   * and the marker's own removal was lost). A request whose order write took more than half of this
   * writes its markers again. The relay also waits this long before it looks again at a message it
   * cannot decode.
   */
  private Duration markerGrace = Duration.ofMinutes(1);

  public Duration getRelayInterval() {
    return relayInterval;
  }

  public void setRelayInterval(Duration relayInterval) {
    this.relayInterval = relayInterval;
  }

  public Duration getRelayMinAge() {
    return relayMinAge;
  }

  public void setRelayMinAge(Duration relayMinAge) {
    this.relayMinAge = relayMinAge;
  }

  public Duration getRelayLease() {
    return relayLease;
  }

  public void setRelayLease(Duration relayLease) {
    this.relayLease = relayLease;
  }

  public int getRelayBatchSize() {
    return relayBatchSize;
  }

  public void setRelayBatchSize(int relayBatchSize) {
    this.relayBatchSize = relayBatchSize;
  }

  public Duration getMarkerGrace() {
    return markerGrace;
  }

  public void setMarkerGrace(Duration markerGrace) {
    this.markerGrace = markerGrace;
  }
}
