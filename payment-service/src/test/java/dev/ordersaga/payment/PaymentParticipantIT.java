package dev.ordersaga.payment;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.StaffServiceContract;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.payment.provider.SimulatedPaymentProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

/** The payment participant over the real broker and a real store, driven as saga-engine would. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      StaffServiceContract.ANALYST_PASSWORD_SETTING,
      "spring.config.name=" + PaymentServiceApplication.NAME,
      "payment.provider.latency=0ms",
      "messaging.rabbit.redelivery-initial=50ms",
      "messaging.rabbit.redelivery-max=200ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class PaymentParticipantIT {

  private static final Money AMOUNT = Money.of("19.99", "EUR");

  @Autowired private ConfirmingPublisher publisher;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;

  /** Signed in as the analyst, who reads the service's records. */
  private TestRestTemplate http;

  @Autowired
  void signIn(TestRestTemplate client) {
    http = StaffServiceContract.asAnalyst(client);
  }

  @Autowired private MongoDatabase database;
  @Autowired private ParkingLot parkingLot;
  @Autowired private MeterRegistry meters;

  private QueueProbe replies;
  private final String orderId = "order-" + UUID.randomUUID();
  private final String key = UUID.randomUUID().toString();

  @BeforeEach
  void probeTheSagaQueue() {
    replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  @Test
  void visaAuthorizesAndTheChargeIsListed() {
    double authorizations = meters.counter("payment.authorizations").count();
    Envelope<AuthorizePayment> command = send(authorize(orderId, key, "pm_card_visa"));

    Envelope<PaymentAuthorized> reply =
        replies.awaitEnvelope(PaymentAuthorized.class, r -> r.orderId().equals(orderId));

    assertThat(reply.payload().amount()).isEqualTo(AMOUNT);
    assertThat(reply.payload().paymentId()).startsWith("ch_");
    assertThat(reply.causationId()).isEqualTo(command.messageId());
    assertThat(reply.sagaId()).isEqualTo(orderId);
    assertThat(meters.counter("payment.authorizations").count()).isEqualTo(authorizations + 1);
    List<Map<String, Object>> payments = payments(orderId);
    assertThat(payments).hasSize(1);
    assertThat(payments.get(0))
        .containsEntry("kind", "CHARGE")
        .containsEntry("orderId", orderId)
        .containsEntry("paymentId", reply.payload().paymentId())
        .containsEntry("amount", "19.99")
        .containsEntry("currency", "EUR")
        .containsEntry("state", "AUTHORIZED")
        .doesNotContainKey("reason");
    assertThat(Instant.parse((String) payments.get(0).get("createdAt")))
        .isBetween(command.occurredAt().minusSeconds(1), Instant.now());
    assertThat(providerCharges(key, "succeeded")).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "pm_card_chargeDeclined, PROVIDER_REJECTED, card_declined",
    "pm_card_insufficientFunds, INSUFFICIENT_FUNDS, insufficient_funds",
    "pm_card_expired, CARD_EXPIRED, expired_card",
    "pm_card_fraudulent, SUSPECTED_FRAUD, fraudulent",
    "pm_card_limitExceeded, LIMIT_EXCEEDED, card_velocity_exceeded",
    "pm_card_madeUp, PROVIDER_REJECTED, unknown payment method"
  })
  void decliningTokensAreDeclinedWithTheirReasonAndNothingIsCharged(
      String token, DeclineReason reason, String detail) {
    double declines = meters.counter("payment.declines", "reason", reason.name()).count();
    send(authorize(orderId, key, token));

    PaymentDeclined declined =
        replies.await(PaymentDeclined.class, r -> r.orderId().equals(orderId));

    assertThat(declined.reason()).isEqualTo(reason);
    assertThat(declined.detail()).isEqualTo(detail);
    assertThat(meters.counter("payment.declines", "reason", reason.name()).count())
        .isEqualTo(declines + 1);
    assertThat(providerCharges(key, "succeeded")).isZero();
    List<Map<String, Object>> payments = payments(orderId);
    assertThat(payments).hasSize(1);
    assertThat(payments.get(0))
        .containsEntry("state", "DECLINED")
        .containsEntry("reason", reason.name())
        .containsEntry("detail", detail)
        .doesNotContainKey("paymentId");
  }

  @Test
  void theSameKeySentTwiceChargesOnceAndRepeatsTheSameReply() {
    AuthorizePayment command = authorize(orderId, key, "pm_card_visa");
    send(command);
    replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));
    send(command); // a retried step: new message id, same idempotency key

    List<Envelope<Message>> both = awaitReplies(orderId, PaymentAuthorized.class, 2);

    assertThat(both.get(1).messageId()).isEqualTo(both.get(0).messageId());
    assertThat(both.get(1).payload()).isEqualTo(both.get(0).payload());
    assertThat(providerCharges(key, "succeeded")).isEqualTo(1);
    assertThat(payments(orderId)).hasSize(1);
  }

  @Test
  void aRefundAfterAnAuthorizationIsMadeOnceHoweverOftenItIsSent() {
    send(authorize(orderId, key, "pm_card_visa"));
    PaymentAuthorized authorized =
        replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));
    double refunds = meters.counter("payment.refunds").count();

    RefundPayment refund = new RefundPayment(orderId, key, authorized.paymentId(), AMOUNT);
    send(refund);
    PaymentRefunded refunded =
        replies.await(PaymentRefunded.class, r -> r.orderId().equals(orderId));

    assertThat(refunded.paymentId()).isEqualTo(authorized.paymentId());
    assertThat(refunded.amount()).isEqualTo(AMOUNT);
    assertThat(refunded.refundId()).startsWith("re_");
    assertThat(payments(orderId))
        .anySatisfy(
            p ->
                assertThat(p)
                    .containsEntry("kind", "REFUND")
                    .containsEntry("state", "REFUNDED")
                    .containsEntry("paymentId", authorized.paymentId())
                    .containsEntry("refundId", refunded.refundId())
                    .containsEntry("amount", "19.99")
                    .containsEntry("currency", "EUR")
                    .containsKey("createdAt"));

    send(refund); // the compensation retried with a new message id
    List<Envelope<Message>> both = awaitReplies(orderId, PaymentRefunded.class, 2);

    assertThat(both.get(1).messageId()).isEqualTo(both.get(0).messageId());
    assertThat(both.get(1).payload()).isEqualTo(refunded);
    assertThat(payments(orderId)).filteredOn(p -> p.get("kind").equals("REFUND")).hasSize(1);
    assertThat(providerRefunds(authorized.paymentId())).hasSize(1);
    assertThat(meters.counter("payment.refunds").count()).isEqualTo(refunds + 1);
  }

  @Test
  void aRefundOfAnUnknownPaymentFailsAsNotFound() {
    send(new RefundPayment(orderId, key, "ch_unknown", AMOUNT));

    PaymentRefundFailed failed =
        replies.await(PaymentRefundFailed.class, r -> r.orderId().equals(orderId));

    assertThat(failed.reason()).isEqualTo(RefundFailureReason.PAYMENT_NOT_FOUND);
    assertThat(failed.paymentId()).isEqualTo("ch_unknown");
    assertThat(failed.detail()).isNotBlank();
    assertThat(payments(orderId))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .containsEntry("kind", "REFUND")
                    .containsEntry("state", "FAILED")
                    .containsEntry("reason", "PAYMENT_NOT_FOUND"));
  }

  @Test
  void aRefundOfMoreThanWasChargedIsRejectedAndRefundsNothing() {
    send(authorize(orderId, key, "pm_card_visa"));
    PaymentAuthorized authorized =
        replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));

    send(new RefundPayment(orderId, key, authorized.paymentId(), Money.of("20.00", "EUR")));
    PaymentRefundFailed failed =
        replies.await(PaymentRefundFailed.class, r -> r.orderId().equals(orderId));

    assertThat(failed.reason()).isEqualTo(RefundFailureReason.PROVIDER_REJECTED);
    assertThat(failed.detail()).contains("20.00").contains("19.99");
    assertThat(providerRefunds(authorized.paymentId())).isEmpty();
  }

  @Test
  void aRefusedRefundIsJudgedAgainWhenRetried() {
    send(authorize(orderId, key, "pm_card_refundFails"));
    PaymentAuthorized authorized =
        replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));
    RefundPayment refund = new RefundPayment(orderId, key, authorized.paymentId(), AMOUNT);

    send(refund);
    send(refund);
    List<Envelope<Message>> failures = awaitReplies(orderId, PaymentRefundFailed.class, 2);

    assertThat(failures)
        .extracting(e -> ((PaymentRefundFailed) e.payload()).detail())
        .containsOnly("refund_failed");
    assertThat(failures.get(1).messageId()).isNotEqualTo(failures.get(0).messageId());
    assertThat(payments(orderId)).filteredOn(p -> p.get("state").equals("FAILED")).hasSize(2);
  }

  @Test
  void aKeyAlreadyUsedByAnotherOrderIsParked() {
    send(authorize(orderId, key, "pm_card_visa"));
    replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));

    Envelope<AuthorizePayment> stranger =
        send(authorize("order-" + UUID.randomUUID(), key, "pm_card_visa"));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(parkingLot.peek(PaymentChannels.COMMAND_QUEUE, 100))
                    .anySatisfy(
                        parked -> {
                          assertThat(parked.messageId()).isEqualTo(stranger.messageId());
                          assertThat(String.valueOf(parked.headers().get(ParkingHeaders.REASON)))
                              .isEqualTo("REJECTED");
                          assertThat(
                                  String.valueOf(
                                      parked.headers().get(ParkingHeaders.EXCEPTION_MESSAGE)))
                              .contains(orderId);
                        }));
    assertThat(payments(stranger.payload().orderId())).isEmpty();
  }

  @Test
  void listingWithoutAnOrderIdIsABadRequestNamingTheParameter() {
    for (String given : new String[] {null, "", " "}) {
      String uri = given == null ? "/payments" : "/payments?orderId='" + given + "'";
      ResponseEntity<String> response =
          given == null
              ? http.getForEntity("/payments", String.class)
              : http.getForEntity("/payments?orderId={id}", String.class, given);

      assertThat(response.getStatusCode()).as(uri).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(response.getHeaders().getContentType())
          .as(uri)
          .matches(type -> type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
      assertThat(response.getBody()).as(uri).contains("\"field\":\"orderId\"");
    }
  }

  @Test
  void anUnknownOrderHasNoPayments() {
    ResponseEntity<String> response =
        http.getForEntity("/payments?orderId={id}", String.class, "order-unknown");

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(response.getBody()).isEqualTo("[]");
  }

  private static AuthorizePayment authorize(String orderId, String key, String token) {
    return new AuthorizePayment(orderId, key, "customer-1", AMOUNT, token);
  }

  private <T extends Message> Envelope<T> send(T command) {
    Envelope<T> envelope = TestMessages.envelope(command);
    publisher.publish(envelope);
    return envelope;
  }

  private List<Envelope<Message>> awaitReplies(
      String orderId, Class<? extends Message> type, int count) {
    Predicate<Envelope<Message>> matching =
        e -> type.isInstance(e.payload()) && e.payload().orderId().equals(orderId);
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> replies.received().stream().filter(matching).toList(),
            found -> found.size() >= count);
  }

  private List<Map<String, Object>> payments(String orderId) {
    ResponseEntity<List<Map<String, Object>>> response =
        http.exchange(
            "/payments?orderId={id}",
            HttpMethod.GET,
            null,
            new ParameterizedTypeReference<List<Map<String, Object>>>() {},
            orderId);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    return response.getBody();
  }

  private long providerCharges(String key, String status) {
    return database
        .getCollection(SimulatedPaymentProvider.CHARGES)
        .countDocuments(and(eq("_id", key), eq("status", status)));
  }

  private List<Document> providerRefunds(String chargeId) {
    return SimulatedPaymentProvider.refunds(
        database
            .getCollection(SimulatedPaymentProvider.CHARGES)
            .find(eq("chargeId", chargeId))
            .first());
  }
}
