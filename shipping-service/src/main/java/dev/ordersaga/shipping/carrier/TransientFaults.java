package dev.ordersaga.shipping.carrier;

import java.util.random.RandomGenerator;

/**
 * Draws the simulated carrier's transient failures: a share {@code rate} of calls fail, half of
 * them before the carrier acts (the request was lost) and half after (the answer was lost).
 */
final class TransientFaults {

  /** What goes wrong with one call. */
  enum Fault {
    NONE,
    REQUEST_LOST,
    ANSWER_LOST
  }

  private final double rate;
  private final RandomGenerator random;

  /**
   * @param rate share of calls that fail, from 0 (none) to 1 (all)
   * @param random the source of chance; must be safe for concurrent use
   */
  TransientFaults(double rate, RandomGenerator random) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("transient failure rate must be from 0 to 1, was " + rate);
    }
    this.rate = rate;
    this.random = random;
  }

  Fault next() {
    if (rate == 0 || random.nextDouble() >= rate) {
      return Fault.NONE;
    }
    return random.nextBoolean() ? Fault.REQUEST_LOST : Fault.ANSWER_LOST;
  }
}
