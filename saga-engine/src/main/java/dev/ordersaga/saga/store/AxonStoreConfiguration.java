package dev.ordersaga.saga.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.saga.repository.MongoSagaStore;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's event, token and saga stores in saga-engine's own database ({@code sagas}), through the
 * store messaging bootstraps: MongoDB, or the embedded server. No transactions: the embedded server
 * has none, and the engine relies on single-document writes and idempotent replays instead.
 */
@Configuration(proxyBeanMethods = false)
public class AxonStoreConfiguration {

  @Bean
  MongoTemplate axonMongoTemplate(MongoClient client, MongoDatabase database) {
    return DefaultMongoTemplate.builder().mongoDatabase(client, database.getName()).build();
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
        // tracking reads look this far back for events appended out of timestamp order by
        // concurrent writers (the journal's two paths, several engine instances)
        .storageStrategy(
            new DocumentPerEventStorageStrategy(
                EventEntryConfiguration.getDefault(), Duration.ofSeconds(5)))
        .build();
  }

  @Bean
  TokenStore tokenStore(MongoTemplate template, Serializer serializer) {
    return MongoTokenStore.builder().mongoTemplate(template).serializer(serializer).build();
  }

  @Bean
  SagaStore<Object> sagaStore(MongoTemplate template, Serializer serializer) {
    return MongoSagaStore.builder().mongoTemplate(template).serializer(serializer).build();
  }
}
