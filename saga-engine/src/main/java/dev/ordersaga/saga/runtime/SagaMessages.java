package dev.ordersaga.saga.runtime;

import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.saga.OperatorCompensationRequested;
import dev.ordersaga.saga.OperatorParkRequested;
import dev.ordersaga.saga.OperatorResumeRequested;
import dev.ordersaga.saga.OperatorRetryRequested;
import dev.ordersaga.saga.OperatorUnparkRequested;
import dev.ordersaga.saga.StepTimedOut;
import java.util.ArrayList;
import java.util.List;

/** Every message a saga consumes or sends, and how the engine writes them into its documents. */
public final class SagaMessages {

  /** The messages saga-engine makes itself: deadlines and operator requests, never on the wire. */
  public static final List<Class<? extends Message>> INTERNAL =
      List.of(
          StepTimedOut.class,
          OperatorRetryRequested.class,
          OperatorResumeRequested.class,
          OperatorCompensationRequested.class,
          OperatorParkRequested.class,
          OperatorUnparkRequested.class);

  private SagaMessages() {}

  /** A codec for the order saga's contracts and the internal messages. */
  public static WireCodec codec() {
    List<Class<? extends Message>> types = new ArrayList<>(MessageTypes.orderSaga().all());
    types.addAll(INTERNAL);
    return new WireCodec(MessageTypes.of(types));
  }
}
