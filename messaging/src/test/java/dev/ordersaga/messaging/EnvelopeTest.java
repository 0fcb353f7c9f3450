package dev.ordersaga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private final AuthorizePayment command =
      new AuthorizePayment("order-1", "key-1", "cust-1", Money.of("10.00", "EUR"), "pm_card_visa");

  @Test
  void wrapsAPayloadWithItsWireTypeAndSaga() {
    Envelope<AuthorizePayment> envelope =
        Envelope.of("m-1", null, NOW, Map.of("traceparent", "00-abc-def-01"), command);

    assertThat(envelope.type()).isEqualTo("payment.AuthorizePayment");
    assertThat(envelope.revision()).isEqualTo(1);
    assertThat(envelope.sagaId()).isEqualTo("order-1");
    assertThat(envelope.isCommand()).isTrue();
  }

  @Test
  void replyIsCausedByTheMessageAndKeepsItsTrace() {
    Envelope<AuthorizePayment> envelope =
        Envelope.of("m-1", null, NOW, Map.of("traceparent", "00-abc-def-01"), command);

    Envelope<PaymentAuthorized> reply =
        envelope.reply(
            "m-2", NOW, new PaymentAuthorized("order-1", "pay-1", Money.of("10.00", "EUR")));

    assertThat(reply.causationId()).isEqualTo("m-1");
    assertThat(reply.trace()).isEqualTo(envelope.trace());
    assertThat(reply.isCommand()).isFalse();
  }

  @Test
  void refusesAnEnvelopeWithoutMessageId() {
    assertThatThrownBy(() -> Envelope.of(" ", null, NOW, Map.of(), command))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messageId");
  }

  @Test
  void refusesIdsOfAnotherForm() {
    assertThatThrownBy(() -> Envelope.of("m 1", null, NOW, Map.of(), command))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messageId");
    assertThatThrownBy(() -> Envelope.of("m-1", "cause\n", NOW, Map.of(), command))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("causationId");
    assertThatThrownBy(
            () ->
                Envelope.of(
                    "m-1",
                    null,
                    NOW,
                    Map.of(),
                    new AuthorizePayment(
                        "order:1", "key-1", "cust-1", Money.of("10.00", "EUR"), "pm_card_visa")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sagaId");
  }
}
