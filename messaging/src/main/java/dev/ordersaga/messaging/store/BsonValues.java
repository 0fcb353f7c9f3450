package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

/**
 * Writes the embedded store's values into H2 pages as BSON, the store's own encoding, instead of
 * Java serialization (H2's default for classes it does not know, and several times slower).
 */
final class BsonValues {

  /** Marks a missing value (a field absent from the document), which BSON has no type for. */
  private static final byte MISSING = 0;

  /** A string, the commonest key, written without BSON's framing: length, then UTF-8. */
  private static final byte STRING = -1;

  private BsonValues() {}

  static void write(WriteBuffer out, Object value) {
    if (value instanceof String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.put(STRING).putVarInt(bytes.length).put(bytes);
      return;
    }
    if (value instanceof Missing) {
      out.put(MISSING);
      return;
    }
    BsonBytes bson = BsonBytes.forThread().value(value);
    out.put(bson.array(), 0, bson.length());
  }

  static Object read(ByteBuffer in) {
    if (in.get(in.position()) == STRING) {
      in.get();
      byte[] bytes = new byte[DataUtils.readVarInt(in)];
      in.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
    ByteBuf buffer = Unpooled.wrappedBuffer(in.duplicate());
    byte type = buffer.readByte();
    Object value = type == MISSING ? Missing.getInstance() : BsonDecoder.decodeValue(type, buffer);
    in.position(in.position() + buffer.readerIndex());
    return value;
  }
}
