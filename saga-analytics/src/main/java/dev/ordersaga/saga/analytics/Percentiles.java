package dev.ordersaga.saga.analytics;

import java.util.Arrays;

/** Exact percentiles of a growing set of whole numbers, by the nearest-rank method. */
final class Percentiles {

  private long[] values = new long[16];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  /**
   * The smallest value at least {@code percent}% of the values are not above (nearest rank: the
   * value at rank ceil(percent/100 * n) in ascending order); {@code null} when there are none.
   */
  Long percentile(int percent) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percent must be 1 to 100, was " + percent);
    }
    if (size == 0) {
      return null;
    }
    Arrays.sort(values, 0, size);
    int rank = (int) ((percent * (long) size + 99) / 100);
    return values[rank - 1];
  }
}
