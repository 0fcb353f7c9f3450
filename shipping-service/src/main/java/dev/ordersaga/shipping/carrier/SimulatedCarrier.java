package dev.ordersaga.shipping.carrier;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.shipping.carrier.TransientFaults.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A carrier simulated in-process, standing in for a real carrier's API. It refuses destinations
 * outside its {@link ServiceArea} ({@code ADDRESS_UNDELIVERABLE}), takes {@code latency} per call,
 * and fails a configured share of calls transiently, half of them after the booking is made (the
 * answer is lost). It keeps its bookings, and its refusals, in collection {@value #COLLECTION}, one
 * document per idempotency key, so a repeated key gets the first answer, across restarts too.
 *
 * <p>Every store access is keyed: a booking is read by {@code _id} and written by an insert (a
 * concurrent call with the same key loses on the duplicate key and answers the winner's booking); a
 * cancellation is a compare-and-set on {@code (_id, version)} as read, through the unique index
 * {@value #VERSION_INDEX}, so it turns only a booked booking into a cancelled one. Calls hold no
 * lock: calls with different keys overlap their latency.
 */
public final class SimulatedCarrier implements Carrier {

  /** The carrier's own bookings, apart from the service's shipments. */
  public static final String COLLECTION = "carrier_bookings";

  /** Unique on {@code (_id, version)}: makes the cancellation's compare-and-set a keyed update. */
  static final String VERSION_INDEX = "_id_version";

  /** Compare-and-set rounds a cancellation tries before giving up as a transient failure. */
  private static final int CANCEL_ROUNDS = 10;

  /** State of a document in {@value #COLLECTION}. */
  public enum BookingState {
    BOOKED,
    REFUSED,
    CANCELLED
  }

  private static final Logger log = LoggerFactory.getLogger(SimulatedCarrier.class);

  private final String name;
  private final ServiceArea area;
  private final Duration latency;
  private final TransientFaults faults;
  private final Random random;
  private final MongoCollection<Document> bookings;
  private final Clock clock;

  public SimulatedCarrier(CarrierSettings properties, MongoDatabase database, Clock clock) {
    this.name = properties.name();
    this.area = properties.serviceArea();
    this.latency = properties.latency();
    this.random =
        properties.randomSeed() == null ? new Random() : new Random(properties.randomSeed());
    this.faults = new TransientFaults(properties.transientFailureRate(), random);
    this.bookings = database.getCollection(COLLECTION);
    this.clock = clock;
    bookings.createIndex(
        Indexes.ascending("_id", "version"), new IndexOptions().name(VERSION_INDEX).unique(true));
    if (area.countries().isEmpty()) {
      log.warn("carrier {} serves no country: every shipment will be refused", name);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Booking book(String idempotencyKey, Address address, List<LineItem> items) {
    Fault fault = call("booking", idempotencyKey);
    // insert first: a booking not seen before (the common case) costs one write; a repeat of its
    // key finds the first booking when the insert meets it
    Document booking = insertOrFind(newBooking(idempotencyKey, address, items));
    if (fault == Fault.ANSWER_LOST) {
      throw unavailable("booking", idempotencyKey, "the answer was lost");
    }
    return answer(booking);
  }

  @Override
  public void cancel(String idempotencyKey) {
    Fault fault = call("cancelling", idempotencyKey);
    for (int round = 0; !cancelBooked(idempotencyKey); round++) {
      if (round + 1 == CANCEL_ROUNDS) {
        throw unavailable("cancelling", idempotencyKey, "the booking kept changing");
      }
    }
    if (fault == Fault.ANSWER_LOST) {
      throw unavailable("cancelling", idempotencyKey, "the answer was lost");
    }
  }

  /**
   * Cancels the booking under this key if it is booked, by compare-and-set on the version read.
   *
   * @return {@code false} if the booking changed since it was read (read it again)
   */
  private boolean cancelBooked(String idempotencyKey) {
    Document booking = bookings.find(Filters.eq("_id", idempotencyKey)).first();
    if (booking == null || !BookingState.BOOKED.name().equals(booking.getString("state"))) {
      return true;
    }
    Integer version = booking.getInteger("version");
    Bson sameAsRead = new Document("_id", idempotencyKey).append("version", version);
    return bookings
            .updateOne(
                sameAsRead,
                Updates.combine(
                    Updates.set("state", BookingState.CANCELLED.name()),
                    Updates.set("cancelledAt", Date.from(clock.instant())),
                    Updates.set("version", version == null ? 1 : version + 1)))
            .getModifiedCount()
        == 1;
  }

  /** Waits out the latency and draws this call's fault; a lost request fails here. */
  private Fault call(String operation, String idempotencyKey) {
    Fault fault = faults.next();
    try {
      TimeUnit.NANOSECONDS.sleep(latency.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(operation, idempotencyKey, "interrupted");
    }
    if (fault == Fault.REQUEST_LOST) {
      throw unavailable(operation, idempotencyKey, "no answer");
    }
    return fault;
  }

  private Document newBooking(String idempotencyKey, Address address, List<LineItem> items) {
    String country = ServiceArea.normalize(address.country());
    Document booking =
        new Document("_id", idempotencyKey)
            .append("country", country)
            .append(
                "items",
                items.stream()
                    .map(
                        item -> new Document("sku", item.sku()).append("quantity", item.quantity()))
                    .toList())
            .append("createdAt", Date.from(clock.instant()))
            .append("version", 0);
    area.refusal(address.country())
        .ifPresentOrElse(
            why ->
                booking
                    .append("state", BookingState.REFUSED.name())
                    .append("reason", ShipmentFailureReason.ADDRESS_UNDELIVERABLE.name())
                    .append("detail", name + " " + why),
            () ->
                booking
                    .append("state", BookingState.BOOKED.name())
                    .append("trackingNumber", trackingNumber()));
    return booking;
  }

  private Document insertOrFind(Document booking) {
    try {
      bookings.insertOne(booking);
      return booking;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
      return bookings.find(Filters.eq("_id", booking.get("_id"))).first();
    }
  }

  private Booking answer(Document booking) {
    return switch (BookingState.valueOf(booking.getString("state"))) {
      case BOOKED -> new Booking.Booked(booking.getString("trackingNumber"));
      case REFUSED ->
          new Booking.Refused(
              ShipmentFailureReason.valueOf(booking.getString("reason")),
              booking.getString("detail"));
      case CANCELLED ->
          new Booking.Refused(
              ShipmentFailureReason.CARRIER_REJECTED,
              name + " cancelled the booking made with this key");
    };
  }

  private String trackingNumber() {
    return String.format("SIM%012d", random.nextLong(1_000_000_000_000L));
  }

  private CarrierUnavailableException unavailable(
      String operation, String idempotencyKey, String what) {
    return new CarrierUnavailableException(
        name + " " + operation + " " + idempotencyKey + ": " + what + " (simulated)");
  }
}
