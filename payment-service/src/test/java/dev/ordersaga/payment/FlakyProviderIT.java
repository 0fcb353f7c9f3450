package dev.ordersaga.payment;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.payment.provider.SimulatedPaymentProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A provider that fails most calls: commands are redelivered until it answers, and still charge and
 * refund exactly once. The seed makes the run repeatable: at a failure rate of 0.8 it fails the
 * first three calls of the charge (once after recording it) and the first call of the refund (after
 * recording it).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + PaymentServiceApplication.NAME,
      "payment.provider.latency=0ms",
      "payment.provider.flaky-failure-rate=0.8",
      "payment.provider.random-seed=21",
      "payment.provider.circuit-breaker.wait-in-open-state=100ms",
      "messaging.rabbit.max-deliveries=10",
      "messaging.rabbit.redelivery-initial=50ms",
      "messaging.rabbit.redelivery-max=200ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class FlakyProviderIT {

  private static final Money AMOUNT = Money.of("64.00", "EUR");

  @Autowired private ConfirmingPublisher publisher;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;
  @Autowired private MongoDatabase database;
  @Autowired private MeterRegistry meters;

  @Test
  void aFlakyCardEndsAuthorizedAndRefundedWithOneChargeAndOneRefund() {
    QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
    String orderId = "order-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();

    publisher.publish(
        TestMessages.envelope(
            new AuthorizePayment(orderId, key, "customer-1", AMOUNT, "pm_card_flaky")));
    PaymentAuthorized authorized = awaitOnly(replies, PaymentAuthorized.class, orderId);

    assertThat(failures("charge")).isGreaterThanOrEqualTo(1);
    assertThat(
            database.getCollection(SimulatedPaymentProvider.CHARGES).countDocuments(eq("_id", key)))
        .isEqualTo(1);

    publisher.publish(
        TestMessages.envelope(new RefundPayment(orderId, key, authorized.paymentId(), AMOUNT)));
    PaymentRefunded refunded = awaitOnly(replies, PaymentRefunded.class, orderId);

    assertThat(refunded.amount()).isEqualTo(AMOUNT);
    assertThat(failures("refund")).isGreaterThanOrEqualTo(1);
    assertThat(providerRefunds(authorized.paymentId())).hasSize(1);
  }

  /** Waits for the order's reply of that type, and checks no second one came with it. */
  private static <T extends Message> T awaitOnly(
      QueueProbe replies, Class<T> type, String orderId) {
    List<T> found =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    replies.received(type).stream()
                        .filter(r -> r.orderId().equals(orderId))
                        .toList(),
                list -> !list.isEmpty());
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private double failures(String operation) {
    return meters.find("payment.provider.failures").tag("operation", operation).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private List<Document> providerRefunds(String chargeId) {
    return SimulatedPaymentProvider.refunds(
        database
            .getCollection(SimulatedPaymentProvider.CHARGES)
            .find(eq("chargeId", chargeId))
            .first());
  }
}
