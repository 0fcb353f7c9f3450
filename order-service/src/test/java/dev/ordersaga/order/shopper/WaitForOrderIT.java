package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code GET /orders/{id}} with {@code Prefer: wait=N}, over a real HTTP client against Tomcat with
 * 4 threads. The re-read interval is 5 s here, so that an answer within 4 s of a change can only
 * have come from this instance's own notice.
 */
@TestPropertySource(
    properties = {
      "server.tomcat.threads.max=4",
      "server.tomcat.threads.min-spare=1",
      "order-service.api.wait-recheck-interval=5s"
    })
class WaitForOrderIT extends OrderServiceTestSupport {

  private static final Duration AT_ONCE = Duration.ofSeconds(2);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @LocalServerPort private int port;
  @Autowired private MeterRegistry meters;

  @Test
  void answersAtOnceForAFinalOrder() throws Exception {
    String orderId = approvedOrder();

    Timed answer = get(orderId, SHOPPER, PASSWORD, "wait=30");

    assertThat(answer.response().statusCode()).isEqualTo(200);
    assertThat(answer.took()).isLessThan(AT_ONCE);
    assertThat(status(answer)).isEqualTo("APPROVED");
    assertThat(answer.response().headers().firstValue("Preference-Applied")).hasValue("wait=30");
  }

  @Test
  void answersAsSoonAsThisInstanceApprovesTheOrder() throws Exception {
    String orderId = placedOrder();
    double waitingBefore = waiting();
    CompletableFuture<Timed> answer = getAsync(orderId, "wait=30");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == waitingBefore + 1);
    Instant approvedAt = Instant.now();

    send(new ApproveOrder(orderId));

    Timed done = answer.get(30, TimeUnit.SECONDS);
    assertThat(Duration.between(approvedAt, done.at())).isLessThan(Duration.ofSeconds(4));
    assertThat(status(done)).isEqualTo("APPROVED");
    assertThat(done.response().headers().firstValue("Preference-Applied")).hasValue("wait=30");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waiting() == waitingBefore);
  }

  @Test
  void seesAnOrderAnotherInstanceFinishedByReadingItAgain() throws Exception {
    String orderId = placedOrder();
    double waitingBefore = waiting();
    CompletableFuture<Timed> answer = getAsync(orderId, "wait=30");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == waitingBefore + 1);

    // written to the store as another instance would: no notice reaches this one
    Order order = store.find(orderId).orElseThrow();
    assertThat(
            store.finish(
                order,
                OrderStatus.REJECTED,
                RejectionReason.PAYMENT_DECLINED,
                Order.ReplyKind.REJECT,
                "{}",
                Instant.now()))
        .isTrue();

    Timed done = answer.get(20, TimeUnit.SECONDS);
    assertThat(status(done)).isEqualTo("REJECTED");
    assertThat(done.took()).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void answersThePendingOrderWhenTheWaitIsOver() throws Exception {
    String orderId = placedOrder();

    Timed answer = get(orderId, SHOPPER, PASSWORD, "wait=2");

    assertThat(answer.response().statusCode()).isEqualTo(200);
    assertThat(status(answer)).isEqualTo("PENDING");
    assertThat(answer.took()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
    assertThat(answer.response().headers().firstValue("Preference-Applied")).hasValue("wait=2");
  }

  @Test
  void cutsALongerWaitToThirtySeconds() throws Exception {
    String orderId = approvedOrder();

    Timed answer = get(orderId, SHOPPER, PASSWORD, "respond-async, wait=3600");

    assertThat(answer.response().headers().firstValue("Preference-Applied")).hasValue("wait=30");
  }

  @Test
  void ignoresAWaitThatIsNotDeltaSeconds() throws Exception {
    String orderId = placedOrder();

    for (String prefer : List.of("wait=soon", "wait=-5", "respond-async")) {
      Timed answer = get(orderId, SHOPPER, PASSWORD, prefer);

      assertThat(answer.response().statusCode()).as(prefer).isEqualTo(200);
      assertThat(answer.took()).as(prefer).isLessThan(AT_ONCE);
      assertThat(status(answer)).isEqualTo("PENDING");
      assertThat(answer.response().headers().firstValue("Preference-Applied")).isEmpty();
    }
  }

  @Test
  void anotherCustomersOrderOrAnUnknownOneIs404AtOnce() throws Exception {
    String orderId = placedOrder();

    for (Timed answer :
        List.of(
            get(orderId, OTHER_SHOPPER, OTHER_PASSWORD, "wait=30"),
            get(UUID.randomUUID().toString(), SHOPPER, PASSWORD, "wait=30"))) {
      assertThat(answer.response().statusCode()).isEqualTo(404);
      assertThat(answer.took()).isLessThan(AT_ONCE);
      assertThat(JSON.readTree(answer.response().body()).get("type").asText())
          .endsWith("order-not-found");
    }
  }

  @Test
  void manyWaitersHoldNoTomcatThread() throws Exception {
    List<String> orders = List.of(placedOrder(), placedOrder(), placedOrder(), placedOrder());
    double waitingBefore = waiting();
    List<CompletableFuture<Timed>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(getAsync(orders.get(i % orders.size()), "wait=30"));
    }

    // 40 requests in progress on 4 threads, and a plain request still answered at once
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> waiting() == waitingBefore + 40);
    Timed plain = get(orders.get(0), SHOPPER, PASSWORD, null);
    assertThat(plain.response().statusCode()).isEqualTo(200);
    assertThat(plain.took()).isLessThan(AT_ONCE);

    Instant approvedAt = Instant.now();
    orders.forEach(orderId -> send(new ApproveOrder(orderId)));
    orders.forEach(
        orderId ->
            events.await(OrderApproved.class, approved -> approved.orderId().equals(orderId)));

    for (CompletableFuture<Timed> answer : answers) {
      Timed done = answer.get(30, TimeUnit.SECONDS);
      assertThat(status(done)).isEqualTo("APPROVED");
      assertThat(Duration.between(approvedAt, done.at())).isLessThan(Duration.ofSeconds(4));
    }
  }

  private String approvedOrder() {
    String orderId = placedOrder();
    send(new ApproveOrder(orderId));
    events.await(OrderApproved.class, approved -> approved.orderId().equals(orderId));
    return orderId;
  }

  /** A response and how long it took. */
  private record Timed(HttpResponse<String> response, Duration took, Instant at) {}

  private Timed get(String orderId, String user, String password, String prefer)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    HttpResponse<String> response =
        client.send(request(orderId, user, password, prefer), HttpResponse.BodyHandlers.ofString());
    return new Timed(response, Duration.ofNanos(System.nanoTime() - started), Instant.now());
  }

  private CompletableFuture<Timed> getAsync(String orderId, String prefer) {
    long started = System.nanoTime();
    return client
        .sendAsync(
            request(orderId, SHOPPER, PASSWORD, prefer), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response ->
                new Timed(response, Duration.ofNanos(System.nanoTime() - started), Instant.now()));
  }

  private HttpRequest request(String orderId, String user, String password, String prefer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/orders/" + orderId))
            .timeout(Duration.ofSeconds(60))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    if (prefer != null) {
      request.header("Prefer", prefer);
    }
    return request.build();
  }

  private static String status(Timed answer) throws IOException {
    JsonNode body = JSON.readTree(answer.response().body());
    return body.path("status").asText();
  }

  private double waiting() {
    Gauge gauge = meters.find("orders.waiting").gauge();
    return gauge == null ? -1 : gauge.value();
  }
}
