package dev.ordersaga.saga;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.outbound.RabbitCommandSender;
import dev.ordersaga.saga.timers.MongoStepTimers;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Wires the saga to the outside: inbound events into the journal (which feeds the saga's tracking
 * processor), outbound commands over RabbitMQ, durable step deadlines, the status board.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaSettings.class)
@EnableScheduling
public class SagaEngineConfiguration {

  @Bean
  SagaJournal sagaJournal(
      EventStore eventStore, EventStorageEngine storage, MongoDatabase database, Clock clock) {
    return new SagaJournal(eventStore, storage, database, clock);
  }

  /** Every event for the saga is appended to the journal, then acked. */
  @Bean
  QueueListener sagaEvents(SagaJournal journal) {
    return new QueueListener(SagaChannels.EVENT_QUEUE, journal::received);
  }

  @Bean
  CommandSender commandSender(ConfirmingPublisher publisher, SagaJournal journal, Clock clock) {
    return new RabbitCommandSender(publisher, journal, clock);
  }

  @Bean
  MongoStepTimers stepTimers(
      MongoDatabase database, SagaJournal journal, Clock clock, MeterRegistry meters) {
    MongoStepTimers timers = new MongoStepTimers(database, journal, clock);
    Gauge.builder("saga.deadlines.pending", timers, MongoStepTimers::pending).register(meters);
    return timers;
  }

  @Bean
  MongoSagaStatusBoard sagaStatusBoard(MongoDatabase database, MeterRegistry meters) {
    MongoSagaStatusBoard board = new MongoSagaStatusBoard(database);
    Gauge.builder(
            "saga.compensation.failed.open", board, b -> b.count(SagaState.COMPENSATION_FAILED))
        .register(meters);
    return board;
  }

  @Bean
  DeadlinePoller deadlinePoller(MongoStepTimers timers) {
    return new DeadlinePoller(timers);
  }

  /**
   * A saga handler that fails (say the broker refused a command) must not be skipped: the error
   * propagates, the tracking processor backs off and handles the same event again.
   */
  @Bean
  ConfigurerModule propagateHandlerErrors() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
  }

  /** Fires due deadlines. */
  public static class DeadlinePoller {
    private final MongoStepTimers timers;

    DeadlinePoller(MongoStepTimers timers) {
      this.timers = timers;
    }

    @Scheduled(fixedDelayString = "${saga.deadline-poll-interval:250ms}")
    public void fireDue() {
      timers.fireDue();
    }
  }
}
