package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;

/**
 * Writes the embedded store's values into H2 pages as BSON, the store's own encoding, instead of
 * Java serialization (H2's default for classes it does not know, and several times slower).
 */
final class BsonValues {

  /** Marks a missing value (a field absent from the document), which BSON has no type for. */
  private static final byte MISSING = 0;

  private BsonValues() {}

  static void write(WriteBuffer out, Object value) {
    ByteBuf buffer = Unpooled.buffer(64);
    try {
      if (value instanceof Missing) {
        buffer.writeByte(MISSING);
      } else {
        byte type = BsonEncoder.determineType(value);
        buffer.writeByte(type);
        BsonEncoder.encodeValue(type, value, buffer);
      }
      byte[] bytes = new byte[buffer.readableBytes()];
      buffer.readBytes(bytes);
      out.put(bytes);
    } finally {
      buffer.release();
    }
  }

  static Object read(ByteBuffer in) {
    ByteBuf buffer = Unpooled.wrappedBuffer(in.duplicate());
    byte type = buffer.readByte();
    Object value = type == MISSING ? Missing.getInstance() : BsonDecoder.decodeValue(type, buffer);
    in.position(in.position() + buffer.readerIndex());
    return value;
  }
}
