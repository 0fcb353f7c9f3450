package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** The documents of the embedded store's collections, written into H2 pages as BSON. */
final class BsonDocumentType extends BasicDataType<Document> {

  static final BsonDocumentType INSTANCE = new BsonDocumentType();

  private BsonDocumentType() {}

  /**
   * What the document holds on the heap, roughly, for H2's page cache, which keeps pages up to its
   * size by these estimates. Its values count: a saga's or an order's document holds encoded
   * messages of kilobytes, and an estimate by the number of fields alone (as before) let the five
   * stores' caches hold ten times their size, a live heap that grew with every order stored.
   */
  @Override
  public int getMemory(Document document) {
    return (int) Math.min(Integer.MAX_VALUE, heapBytes(document));
  }

  private static long heapBytes(Object value) {
    if (value instanceof Document document) {
      long bytes = DOCUMENT;
      for (Map.Entry<String, Object> field : document.entrySet()) {
        bytes += FIELD + heapBytes(field.getKey()) + heapBytes(field.getValue());
      }
      return bytes;
    }
    if (value instanceof CharSequence text) {
      return STRING + 2L * text.length();
    }
    if (value instanceof Collection<?> values) {
      long bytes = LIST;
      for (Object element : values) {
        bytes += REFERENCE + heapBytes(element);
      }
      return bytes;
    }
    if (value instanceof byte[] bytes) {
      return ARRAY + bytes.length;
    }
    if (value instanceof BinData binary) {
      return ARRAY + binary.getData().length;
    }
    return BOXED;
  }

  // rough sizes of a 64-bit JVM's objects: a LinkedHashMap and its entries, a String with its
  // array (two bytes a character, to be safe), an ArrayList, a boxed value or date
  private static final long DOCUMENT = 80;
  private static final long FIELD = 48;
  private static final long STRING = 56;
  private static final long LIST = 40;
  private static final long REFERENCE = 8;
  private static final long ARRAY = 16;
  private static final long BOXED = 24;

  @Override
  public void write(WriteBuffer out, Document document) {
    BsonBytes bson = BsonBytes.forThread().document(document);
    out.put(bson.array(), 0, bson.length());
  }

  @Override
  public Document read(ByteBuffer in) {
    ByteBuf buffer = Unpooled.wrappedBuffer(in.duplicate());
    Document document = BsonDecoder.decodeBson(buffer);
    in.position(in.position() + buffer.readerIndex());
    return document;
  }

  @Override
  public Document[] createStorage(int size) {
    return new Document[size];
  }
}
