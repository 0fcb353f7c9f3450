package dev.ordersaga.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
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
    assertThat(MessageIds.scoped("order-1", "ab", "c"))
        .isNotEqualTo(MessageIds.scoped("order-1", "a", "bc"));
  }

  @Test
  void aSagasIdsBeginWithItsId() {
    String saga = MessageIds.newSagaId();

    assertThat(MessageIds.forStep(saga, "AUTHORIZE_PAYMENT", 1)).startsWith(saga + ":");
    assertThat(MessageIds.idempotencyKey(saga, "AUTHORIZE_PAYMENT")).startsWith(saga + ":");
  }

  @Test
  void sagaIdsAreVersion7UuidsInTheOrderTheyWereMade() {
    String first = MessageIds.newSagaId();
    String second;
    do { // one of a later millisecond: ids of the same millisecond are in no order
      second = MessageIds.newSagaId();
    } while (millis(second) == millis(first));

    UUID parsed = UUID.fromString(first);
    assertThat(parsed.version()).isEqualTo(7);
    assertThat(parsed.variant()).isEqualTo(2);
    assertThat(millis(first))
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    assertThat(first).isLessThan(second);
    assertThat(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> MessageIds.newSagaId()))
        .doesNotHaveDuplicates();
  }

  private static long millis(String sagaId) {
    return UUID.fromString(sagaId).getMostSignificantBits() >>> 16;
  }

  @Test
  void aSagaIdIsOneToSixtyFourLettersDigitsDotsUnderscoresAndDashes() {
    assertThat(MessageIds.isSagaId(MessageIds.newSagaId())).isTrue();
    assertThat(MessageIds.isSagaId("a")).isTrue();
    assertThat(MessageIds.isSagaId("Az09._-")).isTrue();
    assertThat(MessageIds.isSagaId("x".repeat(64))).isTrue();
    assertThat(MessageIds.isSagaId("x".repeat(65))).isFalse();
    assertThat(MessageIds.isSagaId("")).isFalse();
    assertThat(MessageIds.isSagaId(null)).isFalse();
    assertThat(MessageIds.isSagaId("order:1")).isFalse();
    assertThat(MessageIds.isSagaId("order 1")).isFalse();
    assertThat(MessageIds.isSagaId("주문-1")).isFalse();
    assertThat(MessageIds.isSagaId("order/1")).isFalse();
  }

  @Test
  void aMessageIdMayHoldColonsAndUpToTwoHundredFiftySixCharacters() {
    assertThat(MessageIds.isMessageId(MessageIds.forStep("order-1", "payment", 2))).isTrue();
    assertThat(MessageIds.isMessageId(MessageIds.idempotencyKey("order-1", "payment"))).isTrue();
    assertThat(MessageIds.isMessageId(UUID.randomUUID().toString())).isTrue();
    assertThat(MessageIds.isMessageId("x".repeat(256))).isTrue();
    assertThat(MessageIds.isMessageId("x".repeat(257))).isFalse();
    assertThat(MessageIds.isMessageId("")).isFalse();
    assertThat(MessageIds.isMessageId(null)).isFalse();
    assertThat(MessageIds.isMessageId("a:b c")).isFalse();
    assertThat(MessageIds.isMessageId("a\nb")).isFalse();
    assertThat(MessageIds.isMessageId("a{b}")).isFalse();
  }
}
