package dev.ordersaga.shipping;

import dev.ordersaga.messaging.testing.ServiceStartupContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + ShippingServiceApplication.NAME)
class ShippingServiceApplicationIT extends ServiceStartupContract {}
