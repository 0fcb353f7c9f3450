package dev.ordersaga.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.StaffServiceContract;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.shipping.ShippingServiceApplication;
import dev.ordersaga.shipping.carrier.SimulatedCarrier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

/** The shipping participant over the real RabbitMQ and a test store. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      StaffServiceContract.ANALYST_PASSWORD_SETTING,
      "spring.config.name=" + ShippingServiceApplication.NAME,
      "shipping.carrier.name=Test Parcel",
      "shipping.carrier.latency=5ms",
      "messaging.rabbit.redelivery-initial=50ms",
      "messaging.rabbit.redelivery-max=200ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class ShippingParticipantIT {

  private static final List<LineItem> ITEMS =
      List.of(new LineItem("sku-kettle", 1, Money.of("39000", "KRW")));

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
  @Autowired private MeterRegistry meters;
  @Autowired private ParkingLot parkingLot;

  private QueueProbe replies;
  private final String orderId = "order-" + UUID.randomUUID();
  private final String key = "key-" + UUID.randomUUID();

  @BeforeEach
  void probeReplies() {
    replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  @Test
  void schedulesAShipmentToKoreaAndListsIt() {
    publisher.publish(TestMessages.envelope(schedule(key, "KR")));

    ShipmentScheduled scheduled = replies.await(ShipmentScheduled.class, this::ofThisOrder);

    assertThat(scheduled.carrier()).isEqualTo("Test Parcel");
    assertThat(scheduled.trackingNumber()).isNotBlank();
    assertThat(carrierBooking(key).getString("trackingNumber"))
        .isEqualTo(scheduled.trackingNumber());
    JsonNode shipments = listShipments();
    assertThat(shipments).hasSize(1);
    JsonNode shipment = shipments.get(0);
    assertThat(shipment.get("shipmentId").asText()).isEqualTo(scheduled.shipmentId());
    assertThat(shipment.get("orderId").asText()).isEqualTo(orderId);
    assertThat(shipment.get("carrier").asText()).isEqualTo("Test Parcel");
    assertThat(shipment.get("trackingNumber").asText()).isEqualTo(scheduled.trackingNumber());
    assertThat(shipment.get("country").asText()).isEqualTo("KR");
    assertThat(shipment.get("state").asText()).isEqualTo("SCHEDULED");
    assertThat(shipment.get("createdAt").asText()).isNotBlank();
    assertThat(shipment.get("bookedAt").asText()).isNotBlank();
    assertThat(shipment.get("cancelledAt").isNull()).isTrue();
  }

  @Test
  void refusesAnAddressInAntarctica() {
    double failedBefore = failed(ShipmentFailureReason.ADDRESS_UNDELIVERABLE);

    publisher.publish(TestMessages.envelope(schedule(key, "AQ")));

    ShipmentFailed failed = replies.await(ShipmentFailed.class, f -> f.orderId().equals(orderId));
    assertThat(failed.reason()).isEqualTo(ShipmentFailureReason.ADDRESS_UNDELIVERABLE);
    assertThat(failed.detail()).contains("AQ");
    assertThat(failed(ShipmentFailureReason.ADDRESS_UNDELIVERABLE)).isEqualTo(failedBefore + 1);
    JsonNode shipment = listShipments().get(0);
    assertThat(shipment.get("state").asText()).isEqualTo("FAILED");
    assertThat(shipment.get("failureReason").asText()).isEqualTo("ADDRESS_UNDELIVERABLE");
    assertThat(shipment.get("country").asText()).isEqualTo("AQ");
    assertThat(shipment.get("shipmentId").isNull()).isTrue();
  }

  @Test
  void aRetriedScheduleBooksOnceAndResendsTheSameReply() {
    double scheduledBefore = counter(ShippingMetrics.SCHEDULED);

    publisher.publish(TestMessages.envelope(schedule(key, "KR")));
    publisher.publish(TestMessages.envelope(schedule(key, "KR")));

    List<Envelope<Message>> both = awaitReplies(2);
    assertThat(both).extracting(Envelope::messageId).containsOnly(both.get(0).messageId());
    assertThat(both).extracting(Envelope::payload).containsOnly(both.get(0).payload());
    assertThat(counter(ShippingMetrics.SCHEDULED)).isEqualTo(scheduledBefore + 1);
    assertThat(listShipments()).hasSize(1);
    assertThat(carrierBooking(key).getString("trackingNumber"))
        .isEqualTo(((ShipmentScheduled) both.get(0).payload()).trackingNumber());
  }

  @Test
  void cancellingAScheduledShipmentCancelsItAtTheCarrier() {
    publisher.publish(TestMessages.envelope(schedule(key, "KR")));
    ShipmentScheduled scheduled = replies.await(ShipmentScheduled.class, this::ofThisOrder);

    publisher.publish(
        TestMessages.envelope(new CancelShipment(orderId, key, scheduled.shipmentId())));

    ShipmentCancelled cancelled = replies.await(ShipmentCancelled.class, this::ofThisOrder);
    assertThat(cancelled.shipmentId()).isEqualTo(scheduled.shipmentId());
    JsonNode shipment = listShipments().get(0);
    assertThat(shipment.get("state").asText()).isEqualTo("CANCELLED");
    assertThat(shipment.get("cancelledAt").asText()).isNotBlank();
    assertThat(carrierBooking(key).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void cancellingTwiceRepliesTheSameCancellation() {
    publisher.publish(TestMessages.envelope(schedule(key, "KR")));
    ShipmentScheduled scheduled = replies.await(ShipmentScheduled.class, this::ofThisOrder);
    double cancelledBefore = counter(ShippingMetrics.CANCELLED);

    CancelShipment cancel = new CancelShipment(orderId, key, scheduled.shipmentId());
    publisher.publish(TestMessages.envelope(cancel));
    publisher.publish(TestMessages.envelope(cancel));

    List<Envelope<Message>> cancellations = awaitReplies(3).subList(1, 3);
    assertThat(cancellations)
        .extracting(Envelope::payload)
        .allMatch(ShipmentCancelled.class::isInstance);
    assertThat(cancellations)
        .extracting(Envelope::messageId)
        .containsOnly(cancellations.get(0).messageId());
    assertThat(counter(ShippingMetrics.CANCELLED)).isEqualTo(cancelledBefore + 1);
    assertThat(listShipments().get(0).get("state").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void cancellingAShipmentNeverBookedRepliesCancelledAndALateScheduleBooksNothing() {
    publisher.publish(TestMessages.envelope(new CancelShipment(orderId, key, "shipment-x")));

    ShipmentCancelled cancelled = replies.await(ShipmentCancelled.class, this::ofThisOrder);
    assertThat(cancelled.shipmentId()).isEqualTo("shipment-x");

    publisher.publish(TestMessages.envelope(schedule(key, "KR")));

    ShipmentFailed late = replies.await(ShipmentFailed.class, f -> f.orderId().equals(orderId));
    assertThat(late.reason()).isEqualTo(ShipmentFailureReason.CARRIER_REJECTED);
    assertThat(carrierBookings(key, "BOOKED")).isZero();
    JsonNode shipment = listShipments().get(0);
    assertThat(shipment.get("state").asText()).isEqualTo("CANCELLED");
    assertThat(shipment.get("bookedAt").isNull()).isTrue();
  }

  @Test
  void cancellingARefusedShipmentRepliesCancelled() {
    publisher.publish(TestMessages.envelope(schedule(key, "AQ")));
    replies.await(ShipmentFailed.class, f -> f.orderId().equals(orderId));

    publisher.publish(TestMessages.envelope(new CancelShipment(orderId, key, "shipment-y")));

    assertThat(replies.await(ShipmentCancelled.class, this::ofThisOrder).shipmentId())
        .isEqualTo("shipment-y");
    assertThat(listShipments().get(0).get("state").asText()).isEqualTo("FAILED");
  }

  @Test
  void parksACommandCarryingAnotherOrdersKey() {
    publisher.publish(TestMessages.envelope(schedule(key, "KR")));
    replies.await(ShipmentScheduled.class, this::ofThisOrder);
    Envelope<ScheduleShipment> stray =
        TestMessages.envelope(
            new ScheduleShipment("another-" + orderId, key, address("KR"), ITEMS));

    publisher.publish(stray);

    ParkingLot.Parked parked =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    parkingLot.peek(ShippingChannels.COMMAND_QUEUE, 50).stream()
                        .filter(p -> stray.messageId().equals(p.messageId()))
                        .findFirst()
                        .orElse(null),
                p -> p != null);
    assertThat(parked.headers().get(ParkingHeaders.REASON)).hasToString("REJECTED");
    assertThat(parked.headers().get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .contains("another-" + orderId);
    assertThat(replies.received()).noneMatch(e -> e.sagaId().equals("another-" + orderId));
  }

  @Test
  void listingWithoutOrderIdIsABadRequestNamingTheParameter() {
    List<ResponseEntity<JsonNode>> responses =
        List.of(
            http.getForEntity("/shipments", JsonNode.class),
            http.getForEntity("/shipments?orderId={orderId}", JsonNode.class, ""),
            http.getForEntity("/shipments?orderId={orderId}", JsonNode.class, "  "));

    for (ResponseEntity<JsonNode> response : responses) {
      assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(response.getHeaders().getContentType())
          .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(response.getBody().get("status").asInt()).isEqualTo(400);
      assertThat(response.getBody().get("errors").get(0).get("field").asText())
          .isEqualTo("orderId");
      assertThat(response.getBody().get("detail").asText()).contains("orderId");
    }
  }

  @Test
  void listsNothingForAnOrderWithoutShipments() {
    assertThat(listShipments()).isEmpty();
  }

  private ScheduleShipment schedule(String idempotencyKey, String country) {
    return new ScheduleShipment(orderId, idempotencyKey, address(country), ITEMS);
  }

  private static Address address(String country) {
    return new Address("Kim Minji", "1 Sejong-daero", "Apt 1203", "Seoul", "04524", country);
  }

  private boolean ofThisOrder(ShipmentScheduled scheduled) {
    return scheduled.orderId().equals(orderId);
  }

  private boolean ofThisOrder(ShipmentCancelled cancelled) {
    return cancelled.orderId().equals(orderId);
  }

  /** Waits until this order has exactly {@code count} replies, and returns them in order. */
  private List<Envelope<Message>> awaitReplies(int count) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> replies.received().stream().filter(e -> e.sagaId().equals(orderId)).toList(),
            received -> received.size() >= count);
  }

  private JsonNode listShipments() {
    ResponseEntity<JsonNode> response =
        http.getForEntity("/shipments?orderId={orderId}", JsonNode.class, orderId);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(response.getBody().isArray()).isTrue();
    return response.getBody();
  }

  private Document carrierBooking(String idempotencyKey) {
    return database
        .getCollection(SimulatedCarrier.COLLECTION)
        .find(Filters.eq("_id", idempotencyKey))
        .first();
  }

  private long carrierBookings(String idempotencyKey, String state) {
    return database
        .getCollection(SimulatedCarrier.COLLECTION)
        .countDocuments(Filters.and(Filters.eq("_id", idempotencyKey), Filters.eq("state", state)));
  }

  private double counter(String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double failed(ShipmentFailureReason reason) {
    return meters.get(ShippingMetrics.FAILED).tag("reason", reason.name()).counter().count();
  }
}
