package dev.ordersaga.order;

import dev.ordersaga.messaging.testing.ServiceStartupContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + OrderServiceApplication.NAME)
class OrderServiceApplicationIT extends ServiceStartupContract {}
