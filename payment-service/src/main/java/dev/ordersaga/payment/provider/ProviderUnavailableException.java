package dev.ordersaga.payment.provider;

/**
 * The provider could not answer now: a failed call, or the circuit breaker refusing to call. A
 * retry may succeed, so the command is redelivered later; it is never taken for a decline.
 */
public final class ProviderUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the provider did not answer. */
  public enum Failure {
    /** The call was made and failed. */
    FAILED,
    /** The circuit breaker is open and did not make the call. */
    CIRCUIT_OPEN
  }

  private final Failure failure;

  public ProviderUnavailableException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
