package dev.ordersaga.saga.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.saga.StepTimedOut;
import org.junit.jupiter.api.Test;

class JournalTypesTest {

  private final JournalTypes types = JournalTypes.orderSaga();

  @Test
  void everyContractAndTheSagasOwnMessagesAreKnown() {
    MessageTypes.orderSaga()
        .all()
        .forEach(
            type ->
                assertThat(types.ofWireType(Envelope.wireTypeOf(type).name()))
                    .hasValueSatisfying(kind -> assertThat(kind.type()).isEqualTo(type)));
    assertThat(types.ofClassName(StepTimedOut.class.getName()))
        .hasValueSatisfying(kind -> assertThat(kind.wireType()).isEqualTo("saga.StepTimedOut"));
  }

  @Test
  void servicesAreTheWireTypePrefixes() {
    assertThat(types.services())
        .containsExactly("notification", "order", "payment", "saga", "shipping");
  }

  @Test
  void commandsGoOutAndEventsComeIn() {
    assertThat(types.ofClassName(AuthorizePayment.class.getName()).orElseThrow().direction())
        .isEqualTo(Direction.OUT);
    assertThat(types.ofClassName(PaymentAuthorized.class.getName()).orElseThrow().direction())
        .isEqualTo(Direction.IN);
    assertThat(types.ofClassName(StepTimedOut.class.getName()).orElseThrow().direction())
        .isEqualTo(Direction.IN);
    assertThat(types.ofClassName("com.example.Gone")).isEmpty();
  }
}
