package dev.ordersaga.order.shopper;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Settings under {@code order-service.api.*}. */
@ConfigurationProperties("order-service.api")
public class ShopperApiSettings {

  /** Largest request body taken; a larger one is answered 413. */
  private DataSize maxBodySize = DataSize.ofKilobytes(64);

  public DataSize getMaxBodySize() {
    return maxBodySize;
  }

  public void setMaxBodySize(DataSize maxBodySize) {
    this.maxBodySize = maxBodySize;
  }
}
