package dev.ordersaga.shipping;

import dev.ordersaga.messaging.testing.StaffServiceContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + ShippingServiceApplication.NAME)
class ShippingServiceApplicationIT extends StaffServiceContract {

  @Override
  protected String readPath() {
    return "/shipments?orderId=order-unknown";
  }
}
