package dev.ordersaga.saga.store;

import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's event storage in saga-engine's own database ({@code sagas}), through the store messaging
 * bootstraps (MongoDB, or the embedded server): it holds the journal. The sagas themselves are not
 * in an Axon saga store: {@code runtime.SagaRuntime} keeps each in one document by order id. No
 * transactions: the embedded server has none, and the engine relies on single-document writes and
 * idempotent replays instead.
 */
@Configuration(proxyBeanMethods = false)
public class AxonStoreConfiguration {

  @Bean
  MongoTemplate axonMongoTemplate(MongoDatabase database) {
    // the store's database, not one of its client's: on the embedded store it runs in process
    return DefaultMongoTemplate.builder().mongoDatabase(database).build();
  }

  @Bean
  TransactionManager axonTransactionManager() {
    return NoTransactionManager.INSTANCE;
  }

  @Bean
  EventStorageEngine eventStorageEngine(
      MongoTemplate template,
      Serializer serializer,
      @Qualifier("eventSerializer") Serializer eventSerializer) {
    return mongoEventStorage(template, serializer, eventSerializer);
  }

  /**
   * The engine's event storage as saga-engine runs it; benchmarks build theirs here too, so they
   * measure the same storage strategy.
   */
  public static EventStorageEngine mongoEventStorage(
      MongoTemplate template, Serializer snapshotSerializer, Serializer eventSerializer) {
    return MongoEventStorageEngine.builder()
        .mongoTemplate(template)
        .snapshotSerializer(snapshotSerializer)
        .eventSerializer(eventSerializer)
        // a tracking read would look this far back for events appended out of timestamp order by
        // concurrent writers (several engine instances); the engine itself tracks nothing
        .storageStrategy(
            new DocumentPerEventStorageStrategy(
                EventEntryConfiguration.getDefault(), Duration.ofSeconds(5)))
        .build();
  }
}
