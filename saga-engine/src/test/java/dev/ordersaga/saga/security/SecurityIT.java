package dev.ordersaga.saga.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.saga.SagaEngineApplication;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.ContextConfiguration;

/** Who may call what: no credentials 401, the wrong role 403, the right role gets through. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.security.operator.password=" + SecurityIT.OPERATOR_PASSWORD,
      "saga.security.analyst.password=" + SecurityIT.ANALYST_PASSWORD
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class SecurityIT {

  static final String OPERATOR_PASSWORD = "test-operator-password";
  static final String ANALYST_PASSWORD = "test-analyst-password";

  @Autowired TestRestTemplate http;

  static Stream<Arguments> matrix() {
    // who, method, path, expected status (404: allowed through, nothing there)
    return Stream.of(
        Arguments.of("anonymous", HttpMethod.GET, "/sagas/none", 401),
        Arguments.of("analyst", HttpMethod.GET, "/sagas/none", 404),
        Arguments.of("operator", HttpMethod.GET, "/sagas/none", 404),
        Arguments.of("wrong-password", HttpMethod.GET, "/sagas/none", 401),
        Arguments.of("anonymous", HttpMethod.GET, "/ops/sagas", 401),
        Arguments.of("analyst", HttpMethod.GET, "/ops/sagas", 403),
        Arguments.of("analyst", HttpMethod.POST, "/ops/sagas/none/retry", 403),
        Arguments.of("anonymous", HttpMethod.GET, "/analytics/events", 401),
        Arguments.of("anonymous", HttpMethod.GET, "/analytics/export?format=csv", 401),
        Arguments.of("anonymous", HttpMethod.GET, "/analytics/aggregates/outcomes", 401),
        Arguments.of("anonymous", HttpMethod.GET, "/analytics/aggregates/step-latency", 401),
        Arguments.of("analyst", HttpMethod.GET, "/analytics/events", 200),
        Arguments.of("analyst", HttpMethod.GET, "/analytics/export?format=ndjson", 200),
        Arguments.of("analyst", HttpMethod.GET, "/analytics/aggregates/outcomes?bucket=day", 200),
        Arguments.of("analyst", HttpMethod.GET, "/analytics/aggregates/failure-reasons", 200),
        Arguments.of("analyst", HttpMethod.GET, "/analytics/aggregates/step-latency", 200),
        Arguments.of("analyst", HttpMethod.GET, "/analytics/aggregates/step-retries", 200),
        Arguments.of("operator", HttpMethod.GET, "/analytics/events", 200),
        Arguments.of("wrong-password", HttpMethod.GET, "/analytics/events", 401),
        Arguments.of("analyst", HttpMethod.POST, "/analytics/events", 403),
        Arguments.of("analyst", HttpMethod.DELETE, "/analytics/events", 403),
        Arguments.of("analyst", HttpMethod.POST, "/sagas/none", 403),
        Arguments.of("anonymous", HttpMethod.GET, "/actuator/health", 200),
        Arguments.of("anonymous", HttpMethod.GET, "/somewhere-else", 401));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("matrix")
  void accessMatrix(String who, HttpMethod method, String path, int expected) {
    TestRestTemplate client =
        switch (who) {
          case "analyst" -> http.withBasicAuth("analyst", ANALYST_PASSWORD);
          case "operator" -> http.withBasicAuth("operator", OPERATOR_PASSWORD);
          case "wrong-password" -> http.withBasicAuth("operator", "guess");
          default -> http;
        };

    int status = client.exchange(path, method, null, String.class).getStatusCode().value();

    assertThat(status).isEqualTo(expected);
  }
}
