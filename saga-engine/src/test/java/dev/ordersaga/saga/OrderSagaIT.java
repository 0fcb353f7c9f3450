package dev.ordersaga.saga;

import static dev.ordersaga.saga.SampleOrders.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * saga-engine over the real broker and store, with this test playing every participant: it reads
 * the commands the saga sends from the participants' queues and answers them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=1s",
      "saga.max-step-timeout=2s",
      "saga.max-attempts=3",
      "saga.deadline-poll-interval=50ms",
      "saga.security.analyst.password=test-analyst"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class OrderSagaIT {

  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired TestRestTemplate http;
  @Autowired MeterRegistry meters;

  private QueueProbe payments;
  private QueueProbe shipping;
  private QueueProbe orders;
  private QueueProbe notices;

  @BeforeEach
  void probes() {
    payments = new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    shipping = new QueueProbe(connection, topology, ShippingChannels.COMMAND_QUEUE, codec);
    orders = new QueueProbe(connection, topology, OrderChannels.COMMAND_QUEUE, codec);
    notices = new QueueProbe(connection, topology, NotificationChannels.COMMAND_QUEUE, codec);
  }

  @Test
  void orderIsPaidShippedApprovedAndTheSagaCompletesWithItsWholeHistoryStored() {
    String orderId = UUID.randomUUID().toString();
    Envelope<OrderPlaced> placed = TestMessages.envelope(placed(orderId));

    publisher.publish(placed);
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    assertThat(authorize.causationId()).isEqualTo(placed.messageId());
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    Envelope<ScheduleShipment> schedule =
        shipping.awaitEnvelope(ScheduleShipment.class, c -> c.orderId().equals(orderId));
    reply(schedule, new ShipmentScheduled(orderId, "shp-1", "CJ", "CJ1"));
    Envelope<ApproveOrder> approve =
        orders.awaitEnvelope(ApproveOrder.class, c -> c.orderId().equals(orderId));
    reply(approve, new OrderApproved(orderId));

    await()
        .untilAsserted(
            () -> assertThat(saga(orderId).path("state").asText()).isEqualTo("COMPLETED"));
    JsonNode history = saga(orderId).path("history");
    assertThat(history.findValuesAsText("type"))
        .containsExactly(
            "order.OrderPlaced",
            "payment.AuthorizePayment",
            "payment.PaymentAuthorized",
            "shipping.ScheduleShipment",
            "shipping.ShipmentScheduled",
            "order.ApproveOrder",
            "order.OrderApproved");
    assertThat(history.findValuesAsText("direction"))
        .containsExactly("in", "out", "in", "out", "in", "out", "in");
  }

  @Test
  void declinedPaymentRejectsTheOrderAndSendsOneNotice() {
    String orderId = UUID.randomUUID().toString();

    publisher.publish(TestMessages.envelope(placed(orderId)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    reply(authorize, new PaymentDeclined(orderId, DeclineReason.INSUFFICIENT_FUNDS, null));
    Envelope<RejectOrder> reject =
        orders.awaitEnvelope(RejectOrder.class, c -> c.orderId().equals(orderId));
    assertThat(reject.payload().reason()).isEqualTo(RejectionReason.PAYMENT_DECLINED);
    reply(reject, new OrderRejected(orderId, RejectionReason.PAYMENT_DECLINED));

    NotifyCustomer notice = notices.await(NotifyCustomer.class, c -> c.orderId().equals(orderId));
    assertThat(notice.customer().locale()).isEqualTo("ko");
    await()
        .untilAsserted(
            () -> assertThat(saga(orderId).path("state").asText()).isEqualTo("COMPENSATED"));
    assertThat(notices.received(NotifyCustomer.class))
        .filteredOn(n -> n.orderId().equals(orderId))
        .hasSize(1);
  }

  @Test
  void unansweredPaymentIsRetriedWithTheSameKeyUnderANewMessageId() {
    String orderId = UUID.randomUUID().toString();

    publisher.publish(TestMessages.envelope(placed(orderId)));

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(payments.received(AuthorizePayment.class))
                    .filteredOn(c -> c.orderId().equals(orderId))
                    .hasSizeGreaterThanOrEqualTo(2));
    List<Envelope<Message>> attempts =
        payments.received().stream().filter(e -> e.sagaId().equals(orderId)).toList();
    AuthorizePayment first = (AuthorizePayment) attempts.get(0).payload();
    AuthorizePayment second = (AuthorizePayment) attempts.get(1).payload();
    assertThat(second.idempotencyKey()).isEqualTo(first.idempotencyKey());
    assertThat(attempts.get(1).messageId()).isNotEqualTo(attempts.get(0).messageId());
    assertThat(saga(orderId).path("attempt").asInt()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRedeliveredEventIsStoredAndHandledOnce() {
    String orderId = UUID.randomUUID().toString();
    Envelope<OrderPlaced> placed = TestMessages.envelope(placed(orderId));

    publisher.publish(placed);
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    Envelope<PaymentAuthorized> authorized =
        authorize.reply(
            UUID.randomUUID().toString(),
            java.time.Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    double duplicatesBefore = duplicatesSeen();
    publisher.publish(authorized);
    publisher.publish(authorized);
    publisher.publish(placed);

    shipping.await(ScheduleShipment.class, c -> c.orderId().equals(orderId));
    // both repeats reached the engine (the second PaymentAuthorized and the OrderPlaced)
    await().untilAsserted(() -> assertThat(duplicatesSeen()).isEqualTo(duplicatesBefore + 2));
    // the history goes on with the shipping step's retries if its deadline passes meanwhile
    List<String> types = saga(orderId).path("history").findValuesAsText("type");
    assertThat(types)
        .startsWith(
            "order.OrderPlaced",
            "payment.AuthorizePayment",
            "payment.PaymentAuthorized",
            "shipping.ScheduleShipment");
    assertThat(types).filteredOn("order.OrderPlaced"::equals).hasSize(1);
    assertThat(types).filteredOn("payment.PaymentAuthorized"::equals).hasSize(1);
    assertThat(shipping.received())
        .filteredOn(e -> e.sagaId().equals(orderId))
        .extracting(Envelope::messageId)
        .doesNotHaveDuplicates();
  }

  /** Messages the engine's consumer recognised as already handled. */
  private double duplicatesSeen() {
    Counter counter = meters.find("saga.duplicates").counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void unknownSagaIsA404Problem() {
    var response =
        http.withBasicAuth("analyst", "test-analyst")
            .getForEntity("/sagas/" + UUID.randomUUID(), String.class);

    assertThat(response.getStatusCode().value()).isEqualTo(404);
    assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
  }

  private <C extends Message, R extends Message> void reply(Envelope<C> command, R reply) {
    publisher.publish(command.reply(UUID.randomUUID().toString(), java.time.Instant.now(), reply));
  }

  private JsonNode saga(String orderId) {
    return http.withBasicAuth("analyst", "test-analyst")
        .getForObject("/sagas/" + orderId, JsonNode.class);
  }
}
