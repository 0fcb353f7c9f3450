package dev.ordersaga.messaging.config;

import dev.ordersaga.messaging.rabbit.RedeliveryBackoff;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code messaging.*}. Environment fallbacks: {@code RABBITMQ_URI} for {@code
 * messaging.rabbit.uri}, {@code MONGODB_URI} for {@code messaging.store.uri}.
 */
@ConfigurationProperties("messaging")
public class MessagingSettings {

  /** Names this service on the broker, in parked messages and in metrics. */
  private String serviceName;

  private final Rabbit rabbit = new Rabbit();
  private final StoreSettings store = new StoreSettings();

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public Rabbit getRabbit() {
    return rabbit;
  }

  public StoreSettings getStore() {
    return store;
  }

  /** RabbitMQ settings. */
  public static class Rabbit {

    /** amqp URI; when unset, {@code RABBITMQ_URI}, else the local default. */
    private String uri;

    /** Prefix of every exchange and queue name; empty in production, unique per test. */
    private String namespace = "";

    /** Unacked messages a consumer holds at once (at least its workers). */
    private int prefetch = 64;

    /**
     * Threads handling one queue's messages at once (each saga's messages on one of them, in
     * order), unless the queue's listener sets its own.
     */
    private int consumers = 8;

    /** Deliveries of one message before it is parked. */
    private int maxDeliveries = Topology.DEFAULT_MAX_DELIVERIES;

    /** Wait before a failed message's first redelivery; doubles per failure. */
    private Duration redeliveryInitial = RedeliveryBackoff.DEFAULT.initial();

    /** Longest wait before a redelivery. */
    private Duration redeliveryMax = RedeliveryBackoff.DEFAULT.max();

    /** How long a publish waits for the broker's confirm. */
    private Duration confirmTimeout = Duration.ofSeconds(10);

    /** How long the inbox remembers a handled message id. */
    private Duration inboxRetention = Duration.ofDays(7);

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public int getPrefetch() {
      return prefetch;
    }

    public void setPrefetch(int prefetch) {
      this.prefetch = prefetch;
    }

    public int getConsumers() {
      return consumers;
    }

    public void setConsumers(int consumers) {
      this.consumers = consumers;
    }

    public int getMaxDeliveries() {
      return maxDeliveries;
    }

    public void setMaxDeliveries(int maxDeliveries) {
      this.maxDeliveries = maxDeliveries;
    }

    public Duration getRedeliveryInitial() {
      return redeliveryInitial;
    }

    public void setRedeliveryInitial(Duration redeliveryInitial) {
      this.redeliveryInitial = redeliveryInitial;
    }

    public Duration getRedeliveryMax() {
      return redeliveryMax;
    }

    public void setRedeliveryMax(Duration redeliveryMax) {
      this.redeliveryMax = redeliveryMax;
    }

    public Duration getConfirmTimeout() {
      return confirmTimeout;
    }

    public void setConfirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = confirmTimeout;
    }

    public Duration getInboxRetention() {
      return inboxRetention;
    }

    public void setInboxRetention(Duration inboxRetention) {
      this.inboxRetention = inboxRetention;
    }
  }

  /** Store settings. */
  public static class StoreSettings {

    /** MongoDB URI; when unset, {@code MONGODB_URI}, else the embedded server. */
    private String uri;

    /** This service's database, such as {@code payments}. */
    private String database;

    /** How the embedded server keeps data when no URI is set. */
    private Store.Embedded embedded = Store.Embedded.FILE;

    /** Where the embedded server's H2 files go. */
    private Path dataDirectory = Path.of("data");

    /**
     * Connections to the embedded file store, each with a server thread of its own that waits for
     * the disk sync before it answers: up to this many concurrent writers share one sync.
     */
    private int embeddedConnections = Store.DEFAULT_EMBEDDED_CONNECTIONS;

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public String getDatabase() {
      return database;
    }

    public void setDatabase(String database) {
      this.database = database;
    }

    public Store.Embedded getEmbedded() {
      return embedded;
    }

    public void setEmbedded(Store.Embedded embedded) {
      this.embedded = embedded;
    }

    public Path getDataDirectory() {
      return dataDirectory;
    }

    public void setDataDirectory(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
    }

    public int getEmbeddedConnections() {
      return embeddedConnections;
    }

    public void setEmbeddedConnections(int embeddedConnections) {
      this.embeddedConnections = embeddedConnections;
    }
  }
}
