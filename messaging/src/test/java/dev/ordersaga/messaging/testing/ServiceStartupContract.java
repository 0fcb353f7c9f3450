package dev.ordersaga.messaging.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * What every service must do from its first day: start against the real broker and a test store,
 * and report itself, its broker connection and its store healthy. A service's test extends this and
 * names its configuration:
 *
 * <pre>{@code
 * @TestPropertySource(properties = "spring.config.name=" + PaymentServiceApplication.NAME)
 * class PaymentServiceApplicationIT extends ServiceStartupContract {}
 * }</pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestInfrastructure.class)
public abstract class ServiceStartupContract {

  @Autowired private TestRestTemplate http;

  /** Set by the service's own configuration file only, so it proves that file was read. */
  @Value("${spring.application.name:}")
  private String applicationName;

  @Test
  void startsAndReportsHealthyWithItsBrokerAndStore() {
    String health = http.getForObject("/actuator/health", String.class);

    assertThat(applicationName).as("spring.application.name from the service's yml").isNotBlank();
    assertThat(health)
        .contains("\"connection\":\"" + applicationName + "\"")
        .contains("\"status\":\"UP\"")
        .contains("\"rabbit\":{\"status\":\"UP\"")
        .contains("\"store\":{\"status\":\"UP\"");
  }
}
