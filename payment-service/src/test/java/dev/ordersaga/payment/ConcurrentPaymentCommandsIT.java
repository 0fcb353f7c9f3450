package dev.ordersaga.payment;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.Concurrently;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.payment.provider.SimulatedPaymentProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The handler run by several threads at once, as the consumer's workers (or several instances) run
 * it: deliveries of one command charge and refund once, and commands of different orders do not
 * wait for each other's provider call.
 */
@SpringBootTest(
    properties = {
      "spring.config.name=" + PaymentServiceApplication.NAME,
      "payment.provider.latency=" + ConcurrentPaymentCommandsIT.LATENCY_MILLIS + "ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class ConcurrentPaymentCommandsIT {

  static final int LATENCY_MILLIS = 400;
  private static final Money AMOUNT = Money.of("25.00", "EUR");
  private static final int DELIVERIES = 6;

  @Autowired private PaymentCommandHandler handler;
  @Autowired private PaymentStore store;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;
  @Autowired private MongoDatabase database;
  @Autowired private MeterRegistry meters;

  private QueueProbe replies;
  private final String orderId = "order-" + UUID.randomUUID();
  private final String key = UUID.randomUUID().toString();

  @BeforeEach
  void probeTheSagaQueue() {
    replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  @Test
  void concurrentDeliveriesOfOneAuthorizationChargeOnceAndRepeatOneReply() {
    double authorizations = meters.counter("payment.authorizations").count();
    AuthorizePayment command =
        new AuthorizePayment(orderId, key, "customer-1", AMOUNT, "pm_card_visa");

    // a retried step (new message ids) delivered to several workers at once
    Concurrently.run(DELIVERIES, i -> handle(TestMessages.envelope(command)));

    List<Envelope<Message>> authorized = awaitReplies(PaymentAuthorized.class, DELIVERIES);
    assertThat(authorized)
        .extracting(Envelope::messageId)
        .containsOnly(authorized.get(0).messageId());
    assertThat(authorized).extracting(Envelope::payload).containsOnly(authorized.get(0).payload());
    assertThat(
            database.getCollection(SimulatedPaymentProvider.CHARGES).countDocuments(eq("_id", key)))
        .isEqualTo(1);
    assertThat(store.forOrder(orderId)).hasSize(1);
    assertThat(meters.counter("payment.authorizations").count()).isEqualTo(authorizations + 1);
  }

  @Test
  void concurrentDeliveriesOfOneRefundRefundOnce() {
    handle(
        TestMessages.envelope(
            new AuthorizePayment(orderId, key, "customer-1", AMOUNT, "pm_card_visa")));
    PaymentAuthorized charge =
        replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));
    double refunds = meters.counter("payment.refunds").count();
    RefundPayment refund = new RefundPayment(orderId, key, charge.paymentId(), AMOUNT);

    Concurrently.run(DELIVERIES, i -> handle(TestMessages.envelope(refund)));

    List<Envelope<Message>> refunded = awaitReplies(PaymentRefunded.class, DELIVERIES);
    assertThat(refunded).extracting(Envelope::messageId).containsOnly(refunded.get(0).messageId());
    Document providerCharge =
        database
            .getCollection(SimulatedPaymentProvider.CHARGES)
            .find(eq("chargeId", charge.paymentId()))
            .first();
    assertThat(SimulatedPaymentProvider.refunds(providerCharge)).hasSize(1);
    assertThat(providerCharge.getString("refunded")).isEqualTo("25.00");
    assertThat(meters.counter("payment.refunds").count()).isEqualTo(refunds + 1);
  }

  @Test
  void commandsOfDifferentOrdersOverlapTheProvidersLatency() {
    List<String> orders =
        IntStream.range(0, DELIVERIES).mapToObj(i -> "order-" + UUID.randomUUID()).toList();

    long started = System.nanoTime();
    Concurrently.run(
        DELIVERIES,
        i ->
            handle(
                TestMessages.envelope(
                    new AuthorizePayment(
                        orders.get(i),
                        UUID.randomUUID().toString(),
                        "c",
                        AMOUNT,
                        "pm_card_visa"))));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    for (String order : orders) {
      replies.await(PaymentAuthorized.class, r -> r.orderId().equals(order));
    }
    // one after the other they would take DELIVERIES x LATENCY (2.4 s)
    assertThat(took).isLessThan(Duration.ofMillis(LATENCY_MILLIS * (DELIVERIES - 2L)));
  }

  private boolean handle(Envelope<? extends Message> envelope) {
    @SuppressWarnings("unchecked")
    Envelope<Message> command = (Envelope<Message>) envelope;
    handler.handle(command);
    return true;
  }

  private List<Envelope<Message>> awaitReplies(Class<? extends Message> type, int count) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                replies.received().stream()
                    .filter(e -> type.isInstance(e.payload()))
                    .filter(e -> e.payload().orderId().equals(orderId))
                    .toList(),
            found -> found.size() >= count);
  }
}
