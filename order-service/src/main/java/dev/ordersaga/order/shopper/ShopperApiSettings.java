package dev.ordersaga.order.shopper;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Settings under {@code order-service.api.*}. */
@ConfigurationProperties("order-service.api")
public class ShopperApiSettings {

  /** Largest request body taken; a larger one is answered 413. */
  private DataSize maxBodySize = DataSize.ofKilobytes(64);

  /**
   * The longest a {@code GET /orders/{id}} with {@code Prefer: wait=N} waits for the order to end;
   * a longer wait asked for is cut to this.
   */
  private Duration maxWait = Duration.ofSeconds(30);

  /**
   * How often a waiting {@code GET /orders/{id}} reads the order again, to see a change another
   * instance made (this instance's own changes end the wait at once).
   */
  private Duration waitRecheckInterval = Duration.ofSeconds(1);

  public DataSize getMaxBodySize() {
    return maxBodySize;
  }

  public void setMaxBodySize(DataSize maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  public Duration getMaxWait() {
    return maxWait;
  }

  public void setMaxWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  public Duration getWaitRecheckInterval() {
    return waitRecheckInterval;
  }

  public void setWaitRecheckInterval(Duration waitRecheckInterval) {
    this.waitRecheckInterval = waitRecheckInterval;
  }
}
