package dev.ordersaga.saga.runtime;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.MessagingMetrics;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.tracing.MessageTracing;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.store.AxonStoreConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * A saga runtime built by hand on a store and the real broker, as the ITs and benchmarks that drive
 * it straight (without Spring) need it: the journal's event storage, the publisher of the saga's
 * commands, and the runtime on the system clock with a relay delay of 10 s.
 */
public final class TestSagaRuntimes {

  private static final Duration RELAY_DELAY = Duration.ofSeconds(10);

  private TestSagaRuntimes() {}

  /** The Axon event storage on {@code store}, with Jackson for events and snapshots. */
  public static EventStorageEngine eventStorage(Store store) {
    JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    return AxonStoreConfiguration.mongoEventStorage(
        DefaultMongoTemplate.builder()
            .mongoDatabase(store.client(), store.database().getName())
            .build(),
        serializer,
        serializer);
  }

  /** The saga journal on {@code store}. */
  public static SagaJournal journal(Store store) {
    return new SagaJournal(eventStorage(store), store.database());
  }

  /**
   * A publisher of the order saga's messages on {@code connection} that waits at most {@code
   * confirmTimeout} for the broker's confirm; the caller closes it.
   */
  public static ConfirmingPublisher publisher(
      Connection connection, Topology topology, Duration confirmTimeout, String appId) {
    return new ConfirmingPublisher(
        connection,
        topology,
        new WireCodec(MessageTypes.orderSaga()),
        MessagingMetrics.inMemory(),
        confirmTimeout,
        appId);
  }

  /**
   * A runtime of the order saga's v1 alone on {@code store}, as the engine runs without versions
   * configured; the caller closes it.
   */
  public static SagaRuntime runtime(
      SagaRecords records,
      Store store,
      SagaJournal journal,
      ConfirmingPublisher publisher,
      MeterRegistry meters,
      SagaSettings settings) {
    return versioned(
        records,
        store,
        journal,
        publisher,
        meters,
        settings,
        SagaVersions.orderSaga(SagaVersions.V1, SagaEngineConfiguration.sagaJson()));
  }

  /** A runtime of {@code versions} on {@code store}, without tracing; the caller closes it. */
  public static SagaRuntime versioned(
      SagaRecords records,
      Store store,
      SagaJournal journal,
      ConfirmingPublisher publisher,
      MeterRegistry meters,
      SagaSettings settings,
      SagaVersions versions) {
    return new SagaRuntime(
        records,
        new SagaTimers(store.database()),
        journal,
        publisher,
        SagaMessages.codec(),
        Clock.systemUTC(),
        RELAY_DELAY,
        meters,
        List.of(settings, Clock.systemUTC()),
        MessageTracing.NONE,
        versions);
  }
}
