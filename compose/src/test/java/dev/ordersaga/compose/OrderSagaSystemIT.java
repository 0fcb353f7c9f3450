package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * System tests: all five apps, started by the launcher against the real RabbitMQ, file stores and
 * an SMTP server, driven over REST as a shopper would. After each test the invariants hold for
 * every order it placed: its saga ended; charged minus refunded is the total if approved and zero
 * otherwise; a rejected or cancelled order got exactly one notice of its outcome, an approved one
 * none (a notice that a refund is delayed comes on top).
 */
class OrderSagaSystemIT {

  private static final String ANALYST_PASSWORD = "system-test-analyst";
  private static final String OPERATOR_PASSWORD = "system-test-operator";
  private static final String SHOPPER_PASSWORD = "system-test-shopper";

  @TempDir static Path data;

  private static InProcessSystem system;
  private static ShopperClient shopper;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> placed = new ArrayList<>();

  @BeforeAll
  static void startSystem() {
    Map<String, String> settings = new HashMap<>();
    settings.put("messaging.rabbit.redelivery-initial", "100ms");
    settings.put("messaging.rabbit.redelivery-max", "1s");
    settings.put("notifier.sender.retry-initial", "200ms");
    settings.put("saga.step-timeout", "1s");
    settings.put("saga.max-step-timeout", "3s");
    settings.put("saga.max-attempts", "10");
    settings.put("saga.deadline-poll-interval", "100ms");
    settings.put("payment.provider.latency", "10ms");
    settings.put("payment.provider.flaky-failure-rate", "0.5");
    // a window in which a saga is mid-way, for the tests that stop an app
    settings.put("shipping.carrier.latency", "1s");
    settings.put("order-service.outbox.relay-interval", "200ms");
    settings.put("order-service.outbox.relay-min-age", "1s");
    settings.put("saga.security.analyst.password", ANALYST_PASSWORD);
    settings.put("saga.security.operator.password", OPERATOR_PASSWORD);
    settings.putAll(Launcher.shopperAccount(0, "jiwoo", SHOPPER_PASSWORD));
    settings.putAll(Launcher.shopperAccount(1, "minho", SHOPPER_PASSWORD));
    system = InProcessSystem.start(data, settings);
    shopper = new ShopperClient(port("order-service"), "jiwoo", SHOPPER_PASSWORD);
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @AfterEach
  void invariantsHold() {
    for (String orderId : placed) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                String status = shopper.order(orderId).path("status").asText();
                assertThat(status).as("order %s", orderId).isIn(ShopperClient.FINAL);
                assertThat(saga(orderId).path("state").asText())
                    .as("saga %s", orderId)
                    .isIn("COMPLETED", "COMPENSATED");
                BigDecimal total =
                    new BigDecimal(shopper.order(orderId).at("/total/amount").asText());
                assertThat(charged(orderId).subtract(refunded(orderId)))
                    .as("charged minus refunded for %s (%s)", orderId, status)
                    .isEqualByComparingTo(status.equals("APPROVED") ? total : BigDecimal.ZERO);
                assertThat(sentNotices(orderId))
                    .filteredOn(n -> !n.path("outcome").asText().equals("REFUND_DELAYED"))
                    .as("notices of %s (%s)", orderId, status)
                    .hasSize(status.equals("APPROVED") ? 0 : 1);
              });
    }
  }

  @Test
  void paidShippedOrderIsApproved() throws Exception {
    String orderId = place(ShopperClient.order("c-1", "en", "KR", "pm_card_visa"));

    assertThat(finalStatus(orderId)).isEqualTo("APPROVED");
  }

  @Test
  void declinedPaymentRejectsTheOrderAndTellsTheCustomerInTheirLanguage() throws Exception {
    String orderId = place(ShopperClient.order("c-2", "ko", "KR", "pm_card_chargeDeclined"));

    assertThat(finalStatus(orderId)).isEqualTo("REJECTED");
    assertThat(shopper.order(orderId).path("reason").asText()).isEqualTo("PAYMENT_DECLINED");
    await()
        .untilAsserted(
            () ->
                assertThat(sentNotices(orderId))
                    .singleElement()
                    .satisfies(n -> assertThat(n.path("locale").asText()).isEqualTo("ko")));
  }

  @Test
  void undeliverableAddressRefundsThePaymentAndRejectsTheOrder() throws Exception {
    String orderId = place(ShopperClient.order("c-3", "en", "AQ", "pm_card_visa"));

    assertThat(finalStatus(orderId)).isEqualTo("REJECTED");
    assertThat(shopper.order(orderId).path("reason").asText()).isEqualTo("SHIPMENT_FAILED");
    await().untilAsserted(() -> assertThat(refunded(orderId)).isPositive());
  }

  @Test
  void transientProviderFailuresStillEndInOneCharge() throws Exception {
    String orderId = place(ShopperClient.order("c-4", "en", "KR", "pm_card_flaky"));

    assertThat(finalStatus(orderId)).isEqualTo("APPROVED");
    assertThat(payments(orderId))
        .filteredOn(p -> p.path("kind").asText().equals("CHARGE"))
        .hasSize(1);
  }

  @Test
  void theSameIdempotencyKeyPostedTwiceIsOneOrderAndOneCharge() throws Exception {
    ObjectNode body = ShopperClient.order("c-5", "en", "KR", "pm_card_visa");
    String key = UUID.randomUUID().toString();

    String first = shopper.place(body, key);
    String second = shopper.place(body, key);
    placed.add(first);

    assertThat(second).isEqualTo(first);
    assertThat(finalStatus(first)).isEqualTo("APPROVED");
    assertThat(payments(first)).hasSize(1);
  }

  @Test
  void cancelledWhilePendingEndsCancelledWithNothingCharged() throws Exception {
    String orderId = place(ShopperClient.order("c-6", "ko", "KR", "pm_card_visa"));

    int status = shopper.cancel(orderId);

    assertThat(status).isEqualTo(202);
    assertThat(finalStatus(orderId)).isEqualTo("CANCELLED");
  }

  @Test
  void aShopperSeesOnlyTheirOwnOrders() throws Exception {
    String orderId = place(ShopperClient.order("c-9", "en", "KR", "pm_card_visa"));

    assertThat(
            new ShopperClient(port("order-service"), "minho", SHOPPER_PASSWORD)
                .orderStatusCode(orderId))
        .isEqualTo(404);
    assertThat(new ShopperClient(port("order-service"), "jiwoo", "wrong").orderStatusCode(orderId))
        .isEqualTo(401);
    assertThat(shopper.orderStatusCode(orderId)).isEqualTo(200);
    assertThat(finalStatus(orderId)).isEqualTo("APPROVED");
  }

  /**
   * The provider refuses the refund of an undeliverable order: the incident is raised at once (no
   * second attempt), the shopper sees REFUND_PENDING and gets one notice that the refund is
   * delayed; an operator's retry gets the refund made (the card's fault is fixed by then), the
   * order is rejected and the customer gets the notice of the outcome with the amount refunded.
   */
  @Test
  void aRefusedRefundIsShownToTheShopperAndSettledByAnOperatorsRetry() throws Exception {
    String orderId = place(ShopperClient.order("c-10", "ko", "AQ", "pm_card_refundFailsOnce"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> saga(orderId).path("state").asText(), "COMPENSATION_FAILED"::equals);
    JsonNode incident = saga(orderId);
    assertThat(incident.path("step").asText()).isEqualTo("REFUND_PAYMENT");
    assertThat(incident.path("attempt").asInt()).as("refused at the first attempt").isEqualTo(1);
    assertThat(incident.path("incident").asText()).isEqualTo("PROVIDER_REJECTED refund_failed");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode order = shopper.order(orderId);
              assertThat(order.path("status").asText()).isEqualTo("REFUND_PENDING");
              assertThat(order.path("reason").asText()).isEqualTo("SHIPMENT_FAILED");
              assertThat(sentNotices(orderId))
                  .singleElement()
                  .satisfies(
                      n -> {
                        assertThat(n.path("outcome").asText()).isEqualTo("REFUND_DELAYED");
                        assertThat(n.path("subject").asText()).contains("환불이 지연");
                      });
            });
    assertThat(charged(orderId)).isPositive();
    assertThat(refunded(orderId)).isZero();

    SystemApi.Answer retry =
        new SystemApi()
            .post(
                "http://localhost:" + port("saga-engine") + "/ops/sagas/" + orderId + "/retry",
                SystemApi.basic("operator", OPERATOR_PASSWORD),
                JSON.createObjectNode().put("reason", "provider fixed the refunds"),
                UUID.randomUUID().toString());
    assertThat(retry.status()).isBetween(200, 202);

    assertThat(finalStatus(orderId)).isEqualTo("REJECTED");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(sentNotices(orderId))
                    .extracting(n -> n.path("outcome").asText())
                    .containsExactlyInAnyOrder("REFUND_DELAYED", "SHIPMENT_FAILED"));
    assertThat(sentNotices(orderId))
        .filteredOn(n -> n.path("outcome").asText().equals("SHIPMENT_FAILED"))
        .singleElement()
        .satisfies(n -> assertThat(n.path("refunded").isObject()).isTrue());
  }

  @Test
  void paymentServiceDownMidSagaIsRetriedUntilItIsBack() throws Exception {
    system.launcher.stop("payment-service");
    String orderId;
    try {
      orderId = place(ShopperClient.order("c-7", "en", "KR", "pm_card_visa"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> saga(orderId).path("attempt").asInt() >= 2);
      assertThat(shopper.order(orderId).path("status").asText()).isEqualTo("PENDING");
    } finally {
      system.launcher.restart("payment-service");
    }

    assertThat(finalStatus(orderId)).isEqualTo("APPROVED");
  }

  @Test
  void sagaEngineDownMidSagaResumesWhereItStood() throws Exception {
    String orderId = place(ShopperClient.order("c-8", "en", "KR", "pm_card_visa"));
    await().atMost(Duration.ofSeconds(20)).until(() -> charged(orderId).signum() > 0);

    system.launcher.stop("saga-engine");
    try {
      assertThat(shopper.order(orderId).path("status").asText()).isEqualTo("PENDING");
    } finally {
      system.launcher.restart("saga-engine");
    }

    assertThat(finalStatus(orderId)).isEqualTo("APPROVED");
    assertThat(payments(orderId)).hasSize(1);
  }

  // ------------------------------------------------------------------ helpers

  private String place(ObjectNode body) throws Exception {
    String orderId = shopper.place(body, null);
    placed.add(orderId);
    return orderId;
  }

  private String finalStatus(String orderId) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> shopper.order(orderId).path("status").asText(), ShopperClient.FINAL::contains);
  }

  private static JsonNode saga(String orderId) throws Exception {
    return shopper.get(
        "http://localhost:" + port("saga-engine") + "/sagas/" + orderId,
        "analyst",
        ANALYST_PASSWORD);
  }

  private static List<JsonNode> payments(String orderId) throws Exception {
    JsonNode list =
        shopper.get(
            "http://localhost:" + port("payment-service") + "/payments?orderId=" + orderId,
            "analyst",
            ANALYST_PASSWORD);
    return StreamSupport.stream(list.spliterator(), false).toList();
  }

  private static BigDecimal charged(String orderId) throws Exception {
    return sum(orderId, "CHARGE", Set.of("AUTHORIZED"));
  }

  private static BigDecimal refunded(String orderId) throws Exception {
    return sum(orderId, "REFUND", Set.of("REFUNDED"));
  }

  private static BigDecimal sum(String orderId, String kind, Set<String> states) throws Exception {
    return payments(orderId).stream()
        .filter(p -> p.path("kind").asText().equals(kind))
        .filter(p -> states.contains(p.path("state").asText()))
        .map(p -> new BigDecimal(p.path("amount").asText()))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static List<JsonNode> sentNotices(String orderId) throws Exception {
    JsonNode list =
        shopper.get(
            "http://localhost:" + port("notifier") + "/notices?orderId=" + orderId,
            "analyst",
            ANALYST_PASSWORD);
    return StreamSupport.stream(list.path("notices").spliterator(), false)
        .filter(n -> n.path("status").asText().equals("SENT"))
        .toList();
  }

  private static int port(String app) {
    return system.port(app);
  }
}
