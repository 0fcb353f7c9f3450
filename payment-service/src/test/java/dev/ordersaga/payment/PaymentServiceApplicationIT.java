package dev.ordersaga.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.testing.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ContextConfiguration;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.config.name=" + PaymentServiceApplication.NAME)
@ContextConfiguration(initializers = TestInfrastructure.class)
class PaymentServiceApplicationIT {

  @Autowired TestRestTemplate http;

  @Test
  void startsAndReportsHealthyWithItsBrokerAndStore() {
    String health = http.getForObject("/actuator/health", String.class);

    assertThat(health)
        .contains("\"status\":\"UP\"")
        .contains("\"rabbit\":{\"status\":\"UP\"")
        .contains("\"store\":{\"status\":\"UP\"");
  }
}
