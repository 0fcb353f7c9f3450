package dev.ordersaga.messaging.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void handsOverEachDueEntryInOrderWithTheRoundsTime() {
    List<String> delivered = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    Relay<String> relay =
        new Relay<>(
            clock,
            10,
            (now, limit) -> List.of("a", "b", "c"),
            (entry, now) -> {
              delivered.add(entry);
              times.add(now);
              return true;
            });

    assertThat(relay.round()).isEqualTo(3);
    assertThat(delivered).containsExactly("a", "b", "c");
    assertThat(times).containsOnly(clock.instant());
  }

  @Test
  void readsAtMostABatchDueAtTheRoundsTime() {
    List<Object> asked = new ArrayList<>();
    Relay<String> relay =
        new Relay<>(
            clock,
            7,
            (now, limit) -> {
              asked.add(now);
              asked.add(limit);
              return List.of();
            },
            (entry, now) -> true);

    assertThat(relay.round()).isZero();
    assertThat(asked).containsExactly(clock.instant(), 7);
  }

  @Test
  void endsTheRoundAtTheFirstEntryNotTaken() {
    List<String> tried = new ArrayList<>();
    Relay<String> relay =
        new Relay<>(
            clock,
            10,
            (now, limit) -> List.of("a", "b", "c"),
            (entry, now) -> {
              tried.add(entry);
              return !Set.of("b").contains(entry);
            });

    assertThat(relay.round()).isEqualTo(1);
    assertThat(tried).as("c is left to the next round").containsExactly("a", "b");
  }

  @Test
  void refusesABatchBelowOne() {
    assertThatThrownBy(() -> new Relay<String>(clock, 0, (now, limit) -> List.of(), (e, n) -> true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
