package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class FaultLogTest {

  private static final Logger log = LoggerFactory.getLogger(FaultLogTest.class);

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-29T06:00:00Z"));
  private final FaultLog faults =
      new FaultLog(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now.get();
            }
          });

  @Test
  void tracesEachDistinctFaultAtMostOnceAMinute() {
    List<Boolean> traced = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      traced.add(faults.fault(log, "GET /x", fault()));
    }
    traced.add(faults.fault(log, "GET /y", otherFault()));
    now.set(now.get().plusSeconds(61));
    traced.add(faults.fault(log, "GET /x", fault()));
    traced.add(faults.fault(log, "GET /x", fault()));

    assertThat(traced).containsExactly(true, false, false, false, false, true, true, false);
  }

  private static RuntimeException fault() {
    return new IllegalStateException("the same place each time");
  }

  private static RuntimeException otherFault() {
    return new UnsupportedOperationException("another fault");
  }
}
