package dev.ordersaga.messaging.store.h2;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend with keys that H2 compares as MongoDB values and documents kept as
 * BSON. With H2's defaults every key comparison in a B-tree search ran Java serialization of both
 * keys, so a lookup by {@code _id} or by a unique index cost hundreds of microseconds and grew with
 * the collection; here it is a plain comparison. The file format differs from H2Backend's: a file
 * written by one cannot be read by the other.
 */
public final class KeyedH2Backend extends H2Backend {

  /** Over an open MVStore (a file, or {@code MVStore.open(null)} for memory). */
  public KeyedH2Backend(MVStore store) {
    super(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new KeyedH2Database(databaseName, getMvStore(), getCursorRegistry());
  }
}
