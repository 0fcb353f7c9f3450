package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The keys of the embedded store's H2 maps: documents' {@code _id} values and unique-index keys
 * ({@link KeyValue}). They are ordered as MongoDB orders values, compared as they are; H2's default
 * type for objects it does not know compares them by serializing both with Java serialization, at
 * every step of every B-tree search, which made each keyed read and write cost as much as a scan of
 * a small collection.
 */
final class MongoKeyType extends BasicDataType<Object> {

  static final MongoKeyType INSTANCE = new MongoKeyType();

  private static final ValueComparator VALUES = ValueComparator.ascWithoutListHandling();
  private static final byte SINGLE = 1;
  private static final byte COMPOUND = 2;

  private MongoKeyType() {}

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof KeyValue left && b instanceof KeyValue right) {
      int length = Math.min(left.size(), right.size());
      for (int i = 0; i < length; i++) {
        int order = VALUES.compare(left.get(i), right.get(i));
        if (order != 0) {
          return order;
        }
      }
      return Integer.compare(left.size(), right.size());
    }
    return VALUES.compare(a, b);
  }

  @Override
  public int getMemory(Object key) {
    return key instanceof KeyValue compound ? 24 + 48 * compound.size() : 48;
  }

  @Override
  public void write(WriteBuffer out, Object key) {
    if (key instanceof KeyValue compound) {
      out.put(COMPOUND);
      out.putVarInt(compound.size());
      for (Object value : compound) {
        BsonValues.write(out, value);
      }
    } else {
      out.put(SINGLE);
      BsonValues.write(out, key);
    }
  }

  @Override
  public Object read(ByteBuffer in) {
    byte kind = in.get();
    if (kind == SINGLE) {
      return BsonValues.read(in);
    }
    int size = DataUtils.readVarInt(in);
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(BsonValues.read(in));
    }
    return new KeyValue(values);
  }

  @Override
  public Object[] createStorage(int size) {
    return new Object[size];
  }
}
