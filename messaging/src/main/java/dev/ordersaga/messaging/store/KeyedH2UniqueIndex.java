package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.h2.mvstore.MVMap;

/**
 * A unique index of the embedded store: an H2 map from key to the document's position.
 *
 * <p>Plain keys take a short path. mongo-java-server computes a document's key for every index
 * check through a general path (a field path split and walked, a map of values, streams, a set of
 * key values for arrays) and computes it again for each check of one insert or replace: with three
 * unique indexes on the journal and two on the sagas, that was about 8% of all CPU at 32 sagas in
 * flight. For an index that is not sparse and whose fields are all top-level names, a document
 * whose values for them are not arrays has exactly one key, the field values in index order,
 * normalized as mongo-java-server normalizes them ({@link #normalized}); this class computes it
 * directly and checks, adds, removes and looks up that one key with the same outcomes and errors as
 * the general path. Anything else (a dotted field, a sparse index, an array value, a query with an
 * operator) takes mongo-java-server's own path. {@code KeyedH2UniqueIndexTest} compares the two on
 * the same documents.
 */
final class KeyedH2UniqueIndex extends AbstractUniqueIndex<Object> {

  private final MVMap<Object, Object> entries;

  /** The indexed fields, in order, when they are all top-level names and the index not sparse. */
  private final String[] plainFields;

  private final Set<String> fieldSet;

  KeyedH2UniqueIndex(
      MVMap<Object, Object> entries, String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.entries = entries;
    String[] fields = keys.stream().map(IndexKey::getKey).toArray(String[]::new);
    boolean plain = !sparse && fields.length > 0;
    for (String field : fields) {
      plain &= !field.isEmpty() && !field.contains(".") && !field.startsWith("$");
    }
    this.plainFields = plain ? fields : null;
    this.fieldSet = new LinkedHashSet<>(List.of(fields));
  }

  /** The document's values for the index, in order, or null when the general path must decide. */
  private Object[] plainKey(Document document) {
    if (plainFields == null) {
      return null;
    }
    Object[] values = new Object[plainFields.length];
    for (int i = 0; i < values.length; i++) {
      Object value = document.getOrMissing(plainFields[i]);
      if (value instanceof Collection<?>) {
        return null; // one key per element: the general path
      }
      values[i] = value;
    }
    return values;
  }

  /** The key as the index stores it: each value normalized as mongo-java-server does. */
  private static KeyValue normalized(Object[] values) {
    Object[] key = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      key[i] = normalized(values[i]);
    }
    return new KeyValue(key);
  }

  /**
   * mongo-java-server's normalization of a key value: missing is null, a number is a double (minus
   * zero is zero) unless it is a long a double cannot hold; strings and other scalars as they are;
   * anything else (a document) by mongo-java-server itself.
   */
  private static Object normalized(Object value) {
    if (value == null || value instanceof Missing) {
      return null;
    }
    if (value instanceof String
        || value instanceof Boolean
        || value instanceof Instant
        || value instanceof Date
        || value instanceof ObjectId
        || value instanceof UUID) {
      return value;
    }
    if (value instanceof Long number && number != (long) number.doubleValue()) {
      return value;
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.valueOf(d == -0.0 ? 0.0 : d);
    }
    return new KeyValue(value).normalized().get(0);
  }

  @Override
  public synchronized void checkAdd(Document document, MongoCollection<Object> collection) {
    Object[] values = plainKey(document);
    if (values == null) {
      super.checkAdd(document, collection);
      return;
    }
    if (containsKey(normalized(values))) {
      throw new DuplicateKeyError(this, collection, getKeys(), new KeyValue(values));
    }
  }

  @Override
  public synchronized void add(
      Document document, Object position, MongoCollection<Object> collection) {
    Object[] values = plainKey(document);
    if (values == null) {
      super.add(document, position, collection);
      return;
    }
    if (!putKeyPosition(normalized(values), position)) {
      throw new DuplicateKeyError(this, collection, getKeys(), new KeyValue(values));
    }
  }

  @Override
  public synchronized Object remove(Document document) {
    Object[] values = plainKey(document);
    if (values == null) {
      return super.remove(document);
    }
    return removeDocument(normalized(values));
  }

  @Override
  public Object getPosition(Document document) {
    Object[] values = plainKey(document);
    if (values == null) {
      return super.getPosition(document);
    }
    return getPosition(normalized(values));
  }

  @Override
  public synchronized void checkUpdate(
      Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    Object[] oldValues = plainKey(oldDocument);
    Object[] newValues = plainKey(newDocument);
    if (oldValues == null || newValues == null) {
      super.checkUpdate(oldDocument, newDocument, collection);
      return;
    }
    KeyValue oldKey = normalized(oldValues);
    KeyValue newKey = normalized(newValues);
    if (oldKey.equals(newKey)) {
      return;
    }
    // a plain key is a document's only key: another key that is taken is another document's
    if (containsKey(newKey)) {
      throw new DuplicateKeyError(this, collection, getKeys(), new KeyValue(newValues));
    }
  }

  @Override
  public void updateInPlace(
      Document oldDocument,
      Document newDocument,
      Object position,
      MongoCollection<Object> collection) {
    Object[] oldValues = plainKey(oldDocument);
    Object[] newValues = plainKey(newDocument);
    if (oldValues == null || newValues == null) {
      super.updateInPlace(oldDocument, newDocument, position, collection);
      return;
    }
    if (normalized(oldValues).equals(normalized(newValues))) {
      return;
    }
    Object removed = remove(oldDocument);
    if (removed != null && !removed.equals(position)) {
      throw new IllegalStateException(
          "index " + getName() + " had the document at " + removed + ", not at " + position);
    }
    add(newDocument, position, collection);
  }

  /**
   * A query names exactly the index's fields or the index cannot serve it: a quick no first. Then,
   * for an index that is not sparse, a query with no document among its values (no operator) is one
   * the index serves; anything else is for mongo-java-server to decide.
   */
  @Override
  public synchronized boolean canHandle(Document query) {
    if (!query.keySet().equals(fieldSet)) {
      return false;
    }
    if (plainFields != null && query.values().stream().noneMatch(Document.class::isInstance)) {
      return true;
    }
    return super.canHandle(query);
  }

  /** A query of plain values (no operator, list or pattern) is one key's lookup. */
  @Override
  public synchronized Iterable<Object> getPositions(Document query) {
    if (plainFields == null) {
      return super.getPositions(query);
    }
    Object[] values = new Object[plainFields.length];
    for (int i = 0; i < values.length; i++) {
      Object value = query.get(plainFields[i]);
      if (!(value == null
          || value instanceof String
          || value instanceof Number
          || value instanceof Boolean
          || value instanceof Instant
          || value instanceof Date
          || value instanceof ObjectId
          || value instanceof UUID)) {
        return super.getPositions(query);
      }
      values[i] = value;
    }
    Object position = getPosition(normalized(values));
    return position == null ? List.of() : List.of(position);
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
