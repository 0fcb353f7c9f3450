package dev.ordersaga.saga;

import dev.ordersaga.messaging.testing.ServiceStartupContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + SagaEngineApplication.NAME)
class SagaEngineApplicationIT extends ServiceStartupContract {}
