package dev.ordersaga.messaging.config;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.inbox.Inbox;
import dev.ordersaga.messaging.inbox.MongoInbox;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.MessageConsumer;
import dev.ordersaga.messaging.rabbit.MessagingMetrics;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.rabbit.RedeliveryBackoff;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.tracing.MessageTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import java.util.List;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryCustomizer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The one place every service gets its messaging and store from: connection, topology, publisher,
 * consumer with inbox and parking, store, health indicators and the common metric tags.
 */
@AutoConfiguration
@EnableConfigurationProperties(MessagingSettings.class)
public class MessagingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock messagingClock() {
    return Clock.systemUTC();
  }

  @Bean
  MeterRegistryCustomizer<MeterRegistry> commonTags(MessagingSettings properties, Environment env) {
    return registry -> registry.config().commonTags("application", serviceName(properties, env));
  }

  @Bean
  MessagingMetrics messagingMetrics(MeterRegistry registry) {
    return new MessagingMetrics(registry);
  }

  @Bean
  WireCodec wireCodec() {
    return new WireCodec(MessageTypes.orderSaga());
  }

  @Bean
  Topology topology(MessagingSettings properties) {
    return Topology.orderSaga(
        properties.getRabbit().getNamespace(), properties.getRabbit().getMaxDeliveries());
  }

  @Bean(destroyMethod = "close")
  Connection rabbitConnection(MessagingSettings properties, Topology topology, Environment env) {
    String uri = properties.getRabbit().getUri();
    return RabbitConnections.connect(
        uri == null || uri.isBlank() ? RabbitConnections.uriFromEnvironment() : uri,
        serviceName(properties, env),
        topology);
  }

  /** Spans for publishes and consumes, when the app has a tracer (Micrometer Tracing). */
  @Bean
  MessageTracing messageTracing(
      ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    Tracer found = tracer.getIfAvailable();
    Propagator foundPropagator = propagator.getIfAvailable();
    return found == null || foundPropagator == null
        ? MessageTracing.NONE
        : new MessageTracing(found, foundPropagator);
  }

  @Bean(destroyMethod = "close")
  ConfirmingPublisher confirmingPublisher(
      Connection connection,
      Topology topology,
      WireCodec codec,
      MessagingMetrics metrics,
      MessagingSettings properties,
      MessageTracing tracing,
      Environment env) {
    return new ConfirmingPublisher(
        connection,
        topology,
        codec,
        metrics,
        properties.getRabbit().getConfirmTimeout(),
        serviceName(properties, env),
        tracing);
  }

  @Bean
  ParkingLot parkingLot(Connection connection, Topology topology, ConfirmingPublisher publisher) {
    return new ParkingLot(connection, topology, publisher);
  }

  @Bean(destroyMethod = "close")
  Store store(MessagingSettings properties, Environment env) {
    MessagingSettings.StoreSettings settings = properties.getStore();
    String uri = settings.getUri() == null ? Store.uriFromEnvironment() : settings.getUri();
    String database =
        settings.getDatabase() == null ? serviceName(properties, env) : settings.getDatabase();
    return Store.open(
        uri,
        database,
        settings.getEmbedded(),
        settings.getDataDirectory(),
        settings.getEmbeddedConnections());
  }

  /** Exposed so Spring Boot's own Mongo auto-configuration backs off; the store closes it. */
  @Bean(destroyMethod = "")
  MongoClient mongoClient(Store store) {
    return store.client();
  }

  @Bean
  MongoDatabase mongoDatabase(Store store) {
    return store.database();
  }

  /** Leases on this service's periodic jobs, shared by its instances through its store. */
  @Bean
  Leases leases(MongoDatabase database, Clock clock) {
    return new Leases(database, clock, Leases.instanceName());
  }

  @Bean
  @ConditionalOnMissingBean
  Inbox inbox(MongoDatabase database, MessagingSettings properties, Clock clock) {
    return new MongoInbox(database, properties.getRabbit().getInboxRetention(), clock);
  }

  @Bean(destroyMethod = "close")
  MessageConsumer messageConsumer(
      Connection connection,
      Topology topology,
      WireCodec codec,
      ConfirmingPublisher publisher,
      Inbox inbox,
      MessagingMetrics metrics,
      MessagingSettings properties,
      Clock clock,
      MessageTracing tracing,
      Environment env) {
    return new MessageConsumer(
        connection,
        topology,
        codec,
        publisher,
        inbox,
        metrics,
        serviceName(properties, env),
        properties.getRabbit().getPrefetch(),
        properties.getRabbit().getConsumers(),
        new RedeliveryBackoff(
            properties.getRabbit().getRedeliveryInitial(),
            properties.getRabbit().getRedeliveryMax()),
        clock,
        tracing);
  }

  @Bean
  SmartLifecycle queueListeners(MessageConsumer consumer, ObjectProvider<QueueListener> listeners) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        List<QueueListener> all = listeners.orderedStream().toList();
        all.forEach(
            listener ->
                consumer.subscribe(
                    listener.queue(), listener.handler(), listener.workers(), listener.inbox()));
        running = true;
      }

      @Override
      public void stop() {
        consumer.close();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }

  @Bean
  HealthIndicator rabbitHealthIndicator(Connection connection) {
    return () ->
        connection.isOpen()
            ? Health.up().withDetail("connection", connection.getClientProvidedName()).build()
            : Health.down().withDetail("connection", "closed or recovering").build();
  }

  @Bean
  HealthIndicator storeHealthIndicator(Store store) {
    return () -> {
      try {
        store.database().runCommand(new Document("ping", 1));
        return Health.up()
            .withDetail("database", store.database().getName())
            .withDetail("store", store.description())
            .build();
      } catch (RuntimeException e) {
        return Health.down(e).withDetail("database", store.database().getName()).build();
      }
    };
  }

  static String serviceName(MessagingSettings properties, Environment env) {
    if (properties.getServiceName() != null && !properties.getServiceName().isBlank()) {
      return properties.getServiceName();
    }
    return env.getProperty("spring.application.name", "order-saga");
  }
}
