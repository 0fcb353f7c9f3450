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

  /** Orders the relay takes in one round. */
  private int relayBatchSize = 100;

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

  public int getRelayBatchSize() {
    return relayBatchSize;
  }

  public void setRelayBatchSize(int relayBatchSize) {
    this.relayBatchSize = relayBatchSize;
  }
}
