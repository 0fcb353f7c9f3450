package dev.ordersaga.payment;

import dev.ordersaga.messaging.testing.ServiceStartupContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + PaymentServiceApplication.NAME)
class PaymentServiceApplicationIT extends ServiceStartupContract {}
