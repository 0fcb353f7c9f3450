package dev.ordersaga.notifier;

import dev.ordersaga.messaging.testing.StaffServiceContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + NotifierApplication.NAME)
class NotifierApplicationIT extends StaffServiceContract {

  @Override
  protected String readPath() {
    return "/notices?orderId=order-unknown";
  }
}
