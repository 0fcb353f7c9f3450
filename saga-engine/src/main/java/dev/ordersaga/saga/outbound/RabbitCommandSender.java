package dev.ordersaga.saga.outbound;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.saga.CommandSender;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.journal.SagaJournal;
import java.time.Clock;
import java.util.Map;

/**
 * Sends the saga's commands over RabbitMQ and records them in the journal. The publish waits for
 * the broker's confirm; a failure propagates, so the saga's handler fails and its event is handled
 * again (same ids) instead of being marked done.
 */
public class RabbitCommandSender implements CommandSender {

  private final ConfirmingPublisher publisher;
  private final SagaJournal journal;
  private final Clock clock;

  public RabbitCommandSender(ConfirmingPublisher publisher, SagaJournal journal, Clock clock) {
    this.publisher = publisher;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public void send(String orderId, Step step, int attempt, Command command, String causationId) {
    Envelope<Command> envelope =
        Envelope.of(
            MessageIds.forStep(orderId, step.name(), attempt),
            causationId,
            clock.instant(),
            Map.of(),
            command);
    publisher.publish(envelope);
    journal.sent(envelope);
  }
}
