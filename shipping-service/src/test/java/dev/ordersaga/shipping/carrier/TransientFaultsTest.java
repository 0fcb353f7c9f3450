package dev.ordersaga.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.shipping.carrier.TransientFaults.Fault;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransientFaultsTest {

  private static final int DRAWS = 20_000;

  @Test
  void rateZeroNeverFails() {
    assertThat(draw(0.0)).containsOnlyKeys(Fault.NONE);
  }

  @Test
  void rateOneAlwaysFailsBeforeAndAfterTheCarrierActs() {
    Map<Fault, Integer> faults = draw(1.0);

    assertThat(faults).doesNotContainKey(Fault.NONE);
    assertThat(faults.get(Fault.REQUEST_LOST)).isBetween(DRAWS * 45 / 100, DRAWS * 55 / 100);
    assertThat(faults.get(Fault.ANSWER_LOST)).isBetween(DRAWS * 45 / 100, DRAWS * 55 / 100);
  }

  @Test
  void failsAboutTheConfiguredShare() {
    Map<Fault, Integer> faults = draw(0.3);

    int failed = DRAWS - faults.get(Fault.NONE);
    assertThat(failed).isBetween(DRAWS * 27 / 100, DRAWS * 33 / 100);
  }

  @Test
  void rejectsARateOutsideZeroToOne() {
    assertThatThrownBy(() -> new TransientFaults(1.5, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransientFaults(-0.1, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransientFaults(Double.NaN, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<Fault, Integer> draw(double rate) {
    TransientFaults faults = new TransientFaults(rate, new Random(7));
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    for (int i = 0; i < DRAWS; i++) {
      counts.merge(faults.next(), 1, Integer::sum);
    }
    return counts;
  }
}
