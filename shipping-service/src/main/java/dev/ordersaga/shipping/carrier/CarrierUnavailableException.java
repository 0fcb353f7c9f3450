package dev.ordersaga.shipping.carrier;

/**
 * The carrier did not answer (a transient failure). The call may or may not have taken effect;
 * repeating it with the same idempotency key is safe.
 */
public class CarrierUnavailableException extends RuntimeException {

  public CarrierUnavailableException(String message) {
    super(message);
  }
}
