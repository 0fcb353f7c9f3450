package dev.ordersaga.payment;

import dev.ordersaga.messaging.testing.StaffServiceContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + PaymentServiceApplication.NAME)
class PaymentServiceApplicationIT extends StaffServiceContract {

  @Override
  protected String readPath() {
    return "/payments?orderId=order-unknown";
  }
}
