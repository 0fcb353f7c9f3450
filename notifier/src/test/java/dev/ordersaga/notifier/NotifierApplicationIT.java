package dev.ordersaga.notifier;

import dev.ordersaga.messaging.testing.ServiceStartupContract;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.config.name=" + NotifierApplication.NAME)
class NotifierApplicationIT extends ServiceStartupContract {}
