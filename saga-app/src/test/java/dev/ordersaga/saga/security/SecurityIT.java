package dev.ordersaga.saga.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.saga.SagaEngineApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
  @LocalServerPort int port;

  /** Every operator endpoint, with a body that is valid where one is needed. */
  static final List<Arguments> OPS_ENDPOINTS =
      List.of(
          Arguments.of(HttpMethod.GET, "/ops/sagas"),
          Arguments.of(HttpMethod.GET, "/ops/sagas/none"),
          Arguments.of(HttpMethod.POST, "/ops/sagas/none/retry"),
          Arguments.of(HttpMethod.POST, "/ops/sagas/none/resume"),
          Arguments.of(HttpMethod.POST, "/ops/sagas/none/compensate"),
          Arguments.of(HttpMethod.POST, "/ops/sagas/none/park"),
          Arguments.of(HttpMethod.POST, "/ops/sagas/none/unpark"),
          Arguments.of(HttpMethod.POST, "/ops/bulk/retry"),
          Arguments.of(HttpMethod.POST, "/ops/bulk/compensate"),
          Arguments.of(HttpMethod.POST, "/ops/bulk/park"),
          Arguments.of(HttpMethod.POST, "/ops/bulk/unpark"),
          Arguments.of(HttpMethod.GET, "/ops/audit"),
          Arguments.of(HttpMethod.GET, "/ops/parked"),
          Arguments.of(HttpMethod.GET, "/ops/parked/payment-service.commands"),
          Arguments.of(HttpMethod.POST, "/ops/parked/payment-service.commands/redrive"),
          Arguments.of(HttpMethod.POST, "/ops/replay-check"),
          Arguments.of(HttpMethod.GET, "/ops/canary"),
          Arguments.of(HttpMethod.POST, "/ops/canary"));

  static Stream<Arguments> opsEndpoints() {
    return OPS_ENDPOINTS.stream();
  }

  /** Analysts read, they never act: every operator endpoint is 403 to them, 401 to anonymous. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("opsEndpoints")
  void operatorEndpointsAreForOperatorsOnly(HttpMethod method, String path) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    HttpEntity<String> body =
        method == HttpMethod.POST
            ? new HttpEntity<>(
                "{\"reason\": \"r\", \"limit\": 1, \"filter\": {\"customerId\": \"c\"}}", headers)
            : null;

    int anonymous = http.exchange(path, method, body, String.class).getStatusCode().value();
    int analyst =
        http.withBasicAuth("analyst", ANALYST_PASSWORD)
            .exchange(path, method, body, String.class)
            .getStatusCode()
            .value();
    int operator =
        http.withBasicAuth("operator", OPERATOR_PASSWORD)
            .exchange(path, method, body, String.class)
            .getStatusCode()
            .value();

    assertThat(anonymous).isEqualTo(401);
    assertThat(analyst).isEqualTo(403);
    assertThat(operator).isNotIn(401, 403);
  }

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
        Arguments.of("operator", HttpMethod.GET, "/ops/sagas", 200),
        Arguments.of("operator", HttpMethod.GET, "/ops/sagas/none", 404),
        Arguments.of("operator", HttpMethod.POST, "/ops/sagas/none/retry", 400),
        Arguments.of("anonymous", HttpMethod.GET, "/ops/parked", 401),
        Arguments.of("analyst", HttpMethod.GET, "/ops/parked", 403),
        Arguments.of("operator", HttpMethod.GET, "/ops/parked", 200),
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
        // the console's files hold no data: open to all; its calls to /ops carry credentials
        Arguments.of("anonymous", HttpMethod.GET, "/console/", 200),
        Arguments.of("anonymous", HttpMethod.GET, "/console/index.html", 200),
        Arguments.of("anonymous", HttpMethod.GET, "/console/console.js", 200),
        Arguments.of("anonymous", HttpMethod.GET, "/console/console.css", 200),
        Arguments.of("anonymous", HttpMethod.GET, "/console/missing.js", 404),
        Arguments.of("anonymous", HttpMethod.POST, "/console/", 401),
        Arguments.of("anonymous", HttpMethod.GET, "/index.html", 401),
        Arguments.of("anonymous", HttpMethod.GET, "/somewhere-else", 401),
        // a path that is not there is a 404 for staff; writing outside /ops stays refused
        Arguments.of("analyst", HttpMethod.GET, "/somewhere-else", 404),
        Arguments.of("operator", HttpMethod.GET, "/somewhere-else", 404),
        Arguments.of("operator", HttpMethod.DELETE, "/sagas/none", 403),
        Arguments.of("operator", HttpMethod.POST, "/somewhere-else", 403));
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

  /** The console page: served with a Content Security Policy that lets only its own files run. */
  @Test
  void consoleIsServedUnderAContentSecurityPolicy() throws Exception {
    ResponseEntity<String> page = http.getForEntity("/console/", String.class);

    assertThat(page.getStatusCode().value()).isEqualTo(200);
    assertThat(page.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
    assertThat(page.getBody()).contains("<script src=\"console.js\" defer></script>");
    assertThat(page.getHeaders().getFirst("Content-Security-Policy"))
        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    HttpResponse<Void> bare =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console")).build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/console/"));
  }

  /**
   * A script's call (X-Requested-With) that is refused gets a bare 401: no WWW-Authenticate, so the
   * browser opens no login prompt of its own over the console's. Other clients are still told to
   * use Basic.
   */
  @Test
  void refusedScriptCallsGetNoBasicChallenge() {
    HttpHeaders script = new HttpHeaders();
    script.set("X-Requested-With", "XMLHttpRequest");

    ResponseEntity<String> anonymous =
        http.exchange("/ops/sagas", HttpMethod.GET, new HttpEntity<>(script), String.class);
    ResponseEntity<String> wrongPassword =
        http.withBasicAuth("operator", "guess")
            .exchange("/ops/sagas", HttpMethod.GET, new HttpEntity<>(script), String.class);
    ResponseEntity<String> plain = http.getForEntity("/ops/sagas", String.class);

    assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
    assertThat(anonymous.getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
    assertThat(wrongPassword.getStatusCode().value()).isEqualTo(401);
    assertThat(wrongPassword.getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
    assertThat(plain.getStatusCode().value()).isEqualTo(401);
    assertThat(plain.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
  }
}
