package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketTest {

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @Test
  void hoursCoveringARangeAlignedToUtc() {
    assertThat(Bucket.HOUR.count(at("2026-05-01T00:30:00Z"), at("2026-05-01T02:00:00Z")))
        .isEqualTo(2);
    assertThat(Bucket.HOUR.count(at("2026-05-01T00:00:00Z"), at("2026-05-01T02:00:00.001Z")))
        .isEqualTo(3);
    assertThat(Bucket.HOUR.start(at("2026-05-01T07:59:59.999Z")))
        .isEqualTo(at("2026-05-01T07:00:00Z"));
    assertThat(Bucket.HOUR.count(at("2026-05-01T00:00:00Z"), at("2026-05-01T00:00:00Z"))).isZero();
  }

  @Test
  void daysCoveringARange() {
    assertThat(Bucket.DAY.count(at("2026-05-01T23:00:00Z"), at("2026-05-03T01:00:00Z")))
        .isEqualTo(3);
    assertThat(Bucket.DAY.next(at("2026-05-31T00:00:00Z"))).isEqualTo(at("2026-06-01T00:00:00Z"));
    assertThat(Bucket.named("day")).contains(Bucket.DAY);
    assertThat(Bucket.named("week")).isEmpty();
  }
}
