package dev.ordersaga.messaging.testing;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.ordersaga.messaging.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Records the commands a service sends to its store, each as {@code "<collection> <operation>
 * <filter shape>"}: for example {@code "payments find {_id}"}, {@code "provider_charges update
 * {_id, version}"}, {@code "notice_work find {dueAt: $lte} sorted"}. A filter's shape is its keys,
 * with the operator of each value that is an expression; it shows whether the embedded store can
 * serve it from a unique index (a flat exact match on all of its keys) or must scan.
 *
 * <p>Import {@link Configuration} into a Spring Boot test: the service then talks to its test store
 * through a client that records, while {@link #start() started}.
 */
public final class StoreCommands implements CommandListener, AutoCloseable {

  /** One command sent, and the name of the thread that sent it. */
  private record Sent(String thread, String command) {}

  private final List<Sent> recorded = new CopyOnWriteArrayList<>();
  private volatile boolean recording;
  private MongoClient client;

  /** Records from now on, forgetting what was recorded before. */
  public void start() {
    recorded.clear();
    recording = true;
  }

  /** What was recorded since {@link #start()}, in the order sent. */
  public List<String> recorded() {
    return recorded.stream().map(Sent::command).toList();
  }

  /** What threads whose name starts with {@code prefix} sent since {@link #start()}, in order. */
  public List<String> recordedBy(String prefix) {
    return recorded.stream()
        .filter(sent -> sent.thread().startsWith(prefix))
        .map(Sent::command)
        .toList();
  }

  /** What other threads than those sent since {@link #start()}, in order. */
  public List<String> recordedNotBy(String prefix) {
    return recorded.stream()
        .filter(sent -> !sent.thread().startsWith(prefix))
        .map(Sent::command)
        .toList();
  }

  @Override
  public void commandStarted(CommandStartedEvent event) {
    if (!recording) {
      return;
    }
    BsonDocument command = event.getCommand();
    String name = event.getCommandName();
    switch (name) {
      case "find" ->
          add(command, name, shape(command.getDocument("filter", new BsonDocument()), command));
      case "findAndModify" ->
          add(command, name, shape(command.getDocument("query", new BsonDocument()), command));
      case "count" ->
          add(command, name, shape(command.getDocument("query", new BsonDocument()), command));
      case "update" -> statements(command, "updates", name);
      case "delete" -> statements(command, "deletes", name);
      case "aggregate" -> add(command, name, "pipeline");
      case "insert" -> add(command, name, "");
      default -> record(name);
    }
  }

  private void statements(BsonDocument command, String field, String name) {
    for (BsonValue statement : command.getArray(field, new BsonArray())) {
      add(command, name, shape(statement.asDocument().getDocument("q"), new BsonDocument()));
    }
  }

  private void add(BsonDocument command, String operation, String shape) {
    String collection = command.get(command.getFirstKey()).asString().getValue();
    record((collection + " " + operation + " " + shape).strip());
  }

  private void record(String command) {
    recorded.add(new Sent(Thread.currentThread().getName(), command));
  }

  private static String shape(BsonDocument filter, BsonDocument command) {
    String keys =
        filter.entrySet().stream()
            .map(
                entry ->
                    entry.getValue().isDocument()
                            && entry.getValue().asDocument().keySet().stream()
                                .anyMatch(key -> key.startsWith("$"))
                        ? entry.getKey()
                            + ": "
                            + String.join(",", entry.getValue().asDocument().keySet())
                        : entry.getKey())
            .collect(Collectors.joining(", ", "{", "}"));
    boolean sorted = command.containsKey("sort") && !command.getDocument("sort").isEmpty();
    return sorted ? keys + " sorted" : keys;
  }

  @Override
  public void close() {
    recording = false;
    if (client != null) {
      client.close();
    }
  }

  /** The recorder and a recording client on the test store, as the service's database. */
  @TestConfiguration(proxyBeanMethods = false)
  public static class Configuration {

    @Bean(destroyMethod = "close")
    StoreCommands storeCommands() {
      return new StoreCommands();
    }

    @Bean
    @Primary
    MongoDatabase recordingDatabase(Store store, StoreCommands commands) {
      MongoClientSettings.Builder settings = MongoClientSettings.builder();
      String uri = TestStores.uri();
      if (uri != null) {
        settings.applyConnectionString(new ConnectionString(uri));
      } else {
        List<com.mongodb.ServerAddress> hosts =
            new ArrayList<>(store.client().getClusterDescription().getClusterSettings().getHosts());
        settings.applyToClusterSettings(cluster -> cluster.hosts(hosts));
      }
      commands.client = MongoClients.create(settings.addCommandListener(commands).build());
      return commands.client.getDatabase(store.database().getName());
    }
  }
}
