package dev.ordersaga.shipping.carrier;

import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import java.util.Objects;

/** A carrier's answer to a booking: booked with a tracking number, or refused for good. */
public sealed interface Booking {

  /** The carrier took the shipment. */
  record Booked(String trackingNumber) implements Booking {

    public Booked {
      Objects.requireNonNull(trackingNumber, "trackingNumber");
    }
  }

  /** The carrier will not take the shipment; asking again gives the same answer. */
  record Refused(ShipmentFailureReason reason, String detail) implements Booking {

    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
