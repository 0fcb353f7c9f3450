package dev.ordersaga.messaging.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link ServiceStartupContract} for a service whose API is for staff only (messaging's {@code
 * StaffSecurityAutoConfiguration}): besides starting healthy, it reads for the analyst, answers 401
 * without valid credentials and 403 to anything but a read, and leaves its probes open. A service's
 * test extends it and names a read of its API:
 *
 * <pre>{@code
 * @TestPropertySource(properties = "spring.config.name=" + PaymentServiceApplication.NAME)
 * class PaymentServiceApplicationIT extends StaffServiceContract {
 *   @Override
 *   protected String readPath() { return "/payments?orderId=order-unknown"; }
 * }
 * }</pre>
 *
 * Other tests of such a service sign in with {@link #ANALYST_PASSWORD_SETTING} and {@link
 * #asAnalyst}.
 */
@TestPropertySource(properties = StaffServiceContract.ANALYST_PASSWORD_SETTING)
public abstract class StaffServiceContract extends ServiceStartupContract {

  public static final String ANALYST_PASSWORD = "test-analyst";

  /** The analyst's password, as a test property. */
  public static final String ANALYST_PASSWORD_SETTING =
      "saga.security.analyst.password=" + ANALYST_PASSWORD;

  @Autowired private TestRestTemplate anonymous;

  @LocalServerPort private int port;

  /** The client, signed in as the analyst. */
  public static TestRestTemplate asAnalyst(TestRestTemplate client) {
    return client.withBasicAuth("analyst", ANALYST_PASSWORD);
  }

  /** A read of the service's API, such as {@code /payments?orderId=order-unknown}. */
  protected abstract String readPath();

  @Test
  void readsForStaffOnlyAndNeverChangesAnything() {
    String path = readPath();
    ResponseEntity<String> stranger = anonymous.getForEntity(path, String.class);
    ResponseEntity<String> wrongPassword =
        anonymous.withBasicAuth("analyst", "wrong").getForEntity(path, String.class);
    ResponseEntity<String> write =
        asAnalyst(anonymous).postForEntity(path.replaceFirst("\\?.*", ""), null, String.class);

    assertThat(stranger.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(stranger.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic ");
    assertThat(stranger.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(wrongPassword.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(write.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(asAnalyst(anonymous).getForEntity(path, String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(anonymous.getForEntity("/actuator/health", String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
  }

  /**
   * Every bad request gets a 4xx problem+json naming what was wrong, signed in or not: {@link
   * HostileRequests#common} around the read, and bad values of its {@code orderId} parameter.
   */
  @Test
  void refusesBadRequestsWithProblems() {
    String read = readPath();
    String path = read.replaceFirst("\\?.*", "");
    List<HostileRequests.Case> cases = new ArrayList<>(HostileRequests.common(read));
    for (String query :
        List.of(
            "",
            "?orderId=",
            "?orderId=%20",
            "?orderId=a&orderId=b",
            "?orderId=" + "x".repeat(201),
            "?orderId=a%00b",
            "?orderId=a%0Ab",
            "?orderId=o-1&limit=5",
            "?orderid=o-1",
            "?orderId[$ne]=x")) {
      cases.add(
          new HostileRequests.Case(
              "query " + query, http -> http.request("GET", path + query).send()));
    }
    RawHttp analyst = new RawHttp(port, "analyst", ANALYST_PASSWORD);
    RawHttp stranger = new RawHttp(port, null, null);

    int sent = HostileRequests.assertRefused(analyst, cases);
    sent += HostileRequests.assertRefused(stranger, HostileRequests.common(read));

    assertThat(sent).isGreaterThan(100);
    assertThat(analyst.request("GET", read).send().status()).isEqualTo(200);
  }
}
