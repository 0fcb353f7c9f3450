package dev.ordersaga.messaging.rabbit;

/** Headers a parked message carries, so an operator can see why it was parked and re-drive it. */
public final class ParkingHeaders {

  /** {@code UNDECODABLE}, {@code REJECTED} or {@code DELIVERY_LIMIT}. */
  public static final String REASON = "x-parked-reason";

  /**
   * Why, in more detail, as a code: for {@code UNDECODABLE} the codec's reason ({@code
   * MALFORMED_JSON}, {@code MISSING_ENVELOPE_FIELD}, {@code INVALID_ENVELOPE_FIELD}, {@code
   * UNKNOWN_TYPE}, {@code INVALID_PAYLOAD}); for {@code REJECTED} the handler's, when it gave one
   * (saga-engine: {@code UNKNOWN_SAGA}, {@code UNASKED_STEP}). {@link #EXCEPTION_MESSAGE} says it
   * in words, naming the field.
   */
  public static final String DETAIL = "x-parked-detail";

  public static final String EXCEPTION = "x-exception";
  public static final String EXCEPTION_MESSAGE = "x-exception-message";

  /** The service whose consumer parked it. */
  public static final String SERVICE = "x-parked-by";

  /** ISO-8601 instant of parking. */
  public static final String PARKED_AT = "x-parked-at";

  /** The queue the message was taken from; re-drive publishes it back there. */
  public static final String ORIGINAL_QUEUE = "x-original-queue";

  /** How many times it was delivered before it was parked. */
  public static final String DELIVERIES = "x-deliveries";

  private ParkingHeaders() {}
}
