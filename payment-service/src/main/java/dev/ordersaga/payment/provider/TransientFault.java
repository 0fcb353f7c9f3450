package dev.ordersaga.payment.provider;

import java.util.Locale;

/**
 * A transient failure the simulated provider injects for {@link TestCard#FLAKY}. Half of the
 * failures come before the provider records anything; the other half after it has recorded the
 * charge or refund, as when a response is lost on the way back, so that a retry must find the
 * recorded effect by its idempotency key rather than apply it again.
 */
enum TransientFault {
  NONE,
  BEFORE_EFFECT,
  AFTER_EFFECT;

  /**
   * The fault for one call.
   *
   * @param draw a uniform random number in [0, 1)
   * @param failureRate the share of calls that fail, in [0, 1]
   */
  static TransientFault of(double draw, double failureRate) {
    if (draw >= failureRate) {
      return NONE;
    }
    return draw < failureRate / 2 ? BEFORE_EFFECT : AFTER_EFFECT;
  }

  void raiseIf(TransientFault when, String operation) {
    if (this == when) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Failure.FAILED,
          "simulated provider: "
              + operation
              + " failed transiently ("
              + name().toLowerCase(Locale.ROOT)
              + ")",
          null);
    }
  }
}
