package dev.ordersaga.messaging.store.h2;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.lang.reflect.Field;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A database of the embedded store whose collections and unique indexes are H2 maps with {@link
 * MongoKeyType} keys and BSON values. Map names are H2Database's own, so dropping and listing work
 * as there; the file format is not H2Database's (see {@link KeyedH2Backend}).
 */
final class KeyedH2Database extends H2Database {

  /** Prefixes of H2Database's map names (collections' documents and metadata). */
  private static final String DATA_PREFIX = "databases.";

  private static final String META_PREFIX = "meta.";

  private static final Field STORE;

  static {
    try {
      // H2Database opens its collections from its own constructor, before a subclass could keep
      // the store in a field of its own; its private field is set by then
      STORE = H2Database.class.getDeclaredField("mvStore");
      STORE.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  KeyedH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
    super(databaseName, store, cursorRegistry);
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    MVMap<Object, Object> entries =
        store()
            .openMap(
                getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                new MVMap.Builder<Object, Object>()
                    .keyType(MongoKeyType.INSTANCE)
                    .valueType(MongoKeyType.INSTANCE));
    return new KeyedH2UniqueIndex(entries, indexName, keys, sparse);
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(
      String collectionName, CollectionOptions options) {
    String fullName = getFullCollectionNamespace(collectionName);
    MVMap<Object, Document> documents =
        store()
            .openMap(
                DATA_PREFIX + fullName,
                new MVMap.Builder<Object, Document>()
                    .keyType(MongoKeyType.INSTANCE)
                    .valueType(BsonDocumentType.INSTANCE));
    MVMap<String, Object> meta = store().openMap(META_PREFIX + fullName);
    return new H2Collection(this, collectionName, options, documents, meta, cursorRegistry);
  }

  private MVStore store() {
    try {
      return (MVStore) STORE.get(this);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
