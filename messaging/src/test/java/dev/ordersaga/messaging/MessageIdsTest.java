package dev.ordersaga.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

  @Test
  void theSameStepAndAttemptGiveTheSameId() {
    assertThat(MessageIds.forStep("order-1", "payment", 2))
        .isEqualTo(MessageIds.forStep("order-1", "payment", 2));
  }

  @Test
  void anotherAttemptSagaOrStepGivesAnotherId() {
    String id = MessageIds.forStep("order-1", "payment", 1);

    assertThat(MessageIds.forStep("order-1", "payment", 2)).isNotEqualTo(id);
    assertThat(MessageIds.forStep("order-2", "payment", 1)).isNotEqualTo(id);
    assertThat(MessageIds.forStep("order-1", "shipping", 1)).isNotEqualTo(id);
  }

  @Test
  void idempotencyKeyIsStableAcrossAttemptsAndDistinctFromMessageIds() {
    String key = MessageIds.idempotencyKey("order-1", "payment");

    assertThat(MessageIds.idempotencyKey("order-1", "payment")).isEqualTo(key);
    assertThat(key)
        .isNotEqualTo(MessageIds.forStep("order-1", "payment", 1))
        .isNotEqualTo(MessageIds.idempotencyKey("order-1", "shipping"));
  }

  @Test
  void partsDoNotRunTogether() {
    assertThat(MessageIds.deterministic("ab", "c"))
        .isNotEqualTo(MessageIds.deterministic("a", "bc"));
  }
}
