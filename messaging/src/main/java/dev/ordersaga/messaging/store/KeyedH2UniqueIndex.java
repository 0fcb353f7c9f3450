package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;

/** A unique index of the embedded store: an H2 map from key to the document's position. */
final class KeyedH2UniqueIndex extends AbstractUniqueIndex<Object> {

  private final MVMap<Object, Object> entries;

  KeyedH2UniqueIndex(
      MVMap<Object, Object> entries, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.entries = entries;
  }

  @Override
  protected Object removeDocument(KeyValue key) {
    return entries.remove(key);
  }

  @Override
  protected boolean putKeyPosition(KeyValue key, Object position) {
    return entries.putIfAbsent(key, Missing.ofNullable(position)) == null;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
    return (Iterable) entries.entrySet();
  }

  @Override
  protected Object getPosition(KeyValue key) {
    return entries.get(key);
  }

  @Override
  public long getCount() {
    return entries.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }
}
