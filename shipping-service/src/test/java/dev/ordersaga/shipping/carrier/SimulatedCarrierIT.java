package dev.ordersaga.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated carrier against a test store: idempotent by key, across restarts too. */
class SimulatedCarrierIT {

  private static final List<LineItem> ITEMS =
      List.of(new LineItem("sku-1", 2, Money.of("12000", "KRW")));

  private Store store;
  private MongoCollection<Document> bookings;
  private final String key = UUID.randomUUID().toString();

  @BeforeEach
  void openStore() {
    store = TestStores.open();
    bookings = store.database().getCollection(SimulatedCarrier.COLLECTION);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void aRepeatedKeyGetsTheFirstBookingAlsoAfterARestart() {
    Booking first = carrier(0.0, null).book(key, address("KR"), ITEMS);
    Booking again = carrier(0.0, null).book(key, address("KR"), ITEMS);

    assertThat(first).isInstanceOf(Booking.Booked.class);
    assertThat(again).isEqualTo(first);
    Document booking = booking();
    assertThat(booking.getString("state")).isEqualTo("BOOKED");
    assertThat(booking.getString("trackingNumber"))
        .isEqualTo(((Booking.Booked) first).trackingNumber());
    assertThat(booking.getString("country")).isEqualTo("KR");
  }

  @Test
  void refusesAntarcticaAndGivesTheSameAnswerAgain() {
    Booking refused = carrier(0.0, null).book(key, address("AQ"), ITEMS);

    assertThat(refused)
        .isInstanceOfSatisfying(
            Booking.Refused.class,
            r -> {
              assertThat(r.reason()).isEqualTo(ShipmentFailureReason.ADDRESS_UNDELIVERABLE);
              assertThat(r.detail()).contains("test-carrier").contains("AQ");
            });
    assertThat(carrier(0.0, null).book(key, address("AQ"), ITEMS)).isEqualTo(refused);
    assertThat(booking().getString("state")).isEqualTo("REFUSED");
  }

  @Test
  void cancelsABookingOnceAndABookingAfterThatIsRefused() {
    SimulatedCarrier carrier = carrier(0.0, null);
    carrier.book(key, address("KR"), ITEMS);

    carrier.cancel(key);
    carrier.cancel(key);

    assertThat(booking().getString("state")).isEqualTo("CANCELLED");
    assertThat(booking().getDate("cancelledAt")).isNotNull();
    assertThat(carrier.book(key, address("KR"), ITEMS))
        .isInstanceOfSatisfying(
            Booking.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(ShipmentFailureReason.CARRIER_REJECTED));
  }

  @Test
  void cancellingAKeyNeverBookedDoesNothing() {
    carrier(0.0, null).cancel(key);

    assertThat(bookings.countDocuments(Filters.eq("_id", key))).isZero();
  }

  @Test
  void aBookingWhoseAnswerWasLostIsTheOneARetryGets() {
    SimulatedCarrier failing = carrier(1.0, 3L);
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> failing.book(key, address("KR"), ITEMS))
          .isInstanceOf(CarrierUnavailableException.class);
    }
    // with this seed, some of the 20 failures came after the booking was made
    assertThat(booking()).isNotNull();
    String tracking = booking().getString("trackingNumber");

    Booking retried = carrier(0.0, null).book(key, address("KR"), ITEMS);

    assertThat(retried).isEqualTo(new Booking.Booked(tracking));
  }

  private SimulatedCarrier carrier(double transientFailureRate, Long seed) {
    return new SimulatedCarrier(
        new CarrierSettings(
            "test-carrier", List.of(), List.of("AQ"), Duration.ZERO, transientFailureRate, seed),
        store.database(),
        Clock.systemUTC());
  }

  private Document booking() {
    return bookings.find(Filters.eq("_id", key)).first();
  }

  private static Address address(String country) {
    return new Address("Kim Minji", "1 Sejong-daero", null, "Seoul", "04524", country);
  }
}
