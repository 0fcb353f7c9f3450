package dev.ordersaga.messaging.store;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;

import ch.qos.logback.classic.Level;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process {@link StoreCrashIT} kills: opens an embedded file store and writes from several
 * threads until it is killed, printing a line for every write the store acknowledged, after the
 * acknowledgement:
 *
 * <ul>
 *   <li>{@code acked <id>}: a document {@code <id>} was inserted (insert, upsert by update, upsert
 *       by findOneAndUpdate, in turn);
 *   <li>{@code counter <key> <n>}: the document {@code <key>} was updated to {@code n: <n>}.
 * </ul>
 *
 * Every document also carries {@code rev}, under a unique index, and each counter update changes it
 * (as the saga engine's version-checked writes do): a commit that stored half of a command would
 * leave the index disagreeing with the documents.
 *
 * <p>Arguments: data directory, round (a prefix for ids), writer threads.
 */
public final class CrashingWriter {

  static final String DATABASE = "crash";
  static final String COLLECTION = "writes";
  static final String REVISION = "rev";

  public static void main(String[] args) {
    // stdout carries the acknowledgements; keep the libraries' logging out of it
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    Path dataDirectory = Path.of(args[0]);
    String round = args[1];
    int threads = Integer.parseInt(args[2]);
    PrintStream out = System.out;
    Store store = Store.open(null, DATABASE, Store.Embedded.FILE, dataDirectory);
    MongoCollection<Document> writes = store.database().getCollection(COLLECTION);
    writes.createIndex(Indexes.ascending(REVISION), new IndexOptions().unique(true));
    for (int t = 0; t < threads; t++) {
      String writer = round + "-" + t;
      Thread thread = new Thread(() -> write(writes, writer, out), "writer-" + writer);
      thread.start();
    }
  }

  private static void write(MongoCollection<Document> writes, String writer, PrintStream out) {
    String counter = "counter-" + writer;
    for (long i = 0; ; i++) {
      String id = writer + "-" + i;
      switch ((int) (i % 4)) {
        case 0 -> writes.insertOne(new Document("_id", id).append("n", i).append(REVISION, id));
        case 1 ->
            writes.updateOne(
                eq("_id", id),
                combine(set("n", i), set(REVISION, id)),
                new UpdateOptions().upsert(true));
        case 2 ->
            writes.findOneAndUpdate(
                eq("_id", id),
                combine(set("n", i), set(REVISION, id)),
                new FindOneAndUpdateOptions().upsert(true));
        default -> {
          writes.updateOne(
              eq("_id", counter),
              combine(set("n", i), set(REVISION, counter + "#" + i)),
              new UpdateOptions().upsert(true));
          print(out, "counter " + counter + " " + i);
          continue;
        }
      }
      print(out, "acked " + id);
    }
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
