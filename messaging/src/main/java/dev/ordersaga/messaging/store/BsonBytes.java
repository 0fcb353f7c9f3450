package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonJavaScript;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The embedded server's documents as BSON in a plain byte array: the very bytes of
 * mongo-java-server's {@link BsonEncoder}, without its netty buffer, whose access and bounds checks
 * on every byte written were ~8% of all CPU (the command log, H2's pages and keys, and the
 * in-process store's documents each encoded with it).
 *
 * <p>Every type {@link BsonEncoder#determineType} knows is written here, as it writes it (also
 * where that is odd: a UUID's longs big-endian, a legacy UUID's little-endian; a key with a NUL
 * written as it is, which ends the key early for a reader; a lone surrogate in a string written as
 * {@code ?}, as {@link String#getBytes} writes it; a regular expression without options fails, a
 * {@link NullPointerException} as there). A value of any other type goes to {@link BsonEncoder},
 * which throws for all it does not know either ({@code Missing}, {@code Date}, {@code Short}).
 *
 * <p>Each thread has one, reused ({@link #forThread}): what it holds is valid until the thread's
 * next call of {@link #forThread}.
 */
final class BsonBytes {

  private static final int INITIAL_CAPACITY = 512;

  /** A buffer grown beyond this for a large document is let go at its thread's next use. */
  private static final int KEPT_CAPACITY = 1 << 20;

  /** Strings up to this many characters are encoded here, longer ones by the JDK. */
  private static final int SHORT_STRING = 32;

  private static final ThreadLocal<BsonBytes> THREAD = ThreadLocal.withInitial(BsonBytes::new);

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Stands for a type this class does not write: no BSON type is 0, the end of a document. */
  private static final byte OTHER = BsonConstants.TERMINATING_BYTE;

  private byte[] bytes = new byte[INITIAL_CAPACITY];
  private int length;

  private BsonBytes() {}

  /** This thread's buffer, empty. */
  static BsonBytes forThread() {
    BsonBytes buffer = THREAD.get();
    buffer.length = 0;
    if (buffer.bytes.length > KEPT_CAPACITY) {
      buffer.bytes = new byte[INITIAL_CAPACITY];
    }
    return buffer;
  }

  /** The bytes written, from 0 to {@link #length}; the array is this buffer's own. */
  byte[] array() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** A copy of the bytes written, exactly as long. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** Appends {@code document}, as {@link BsonEncoder#encodeDocument} does. */
  BsonBytes document(Map<String, ?> document) {
    int start = begin();
    for (Map.Entry<String, ?> field : document.entrySet()) {
      Object value = field.getValue();
      int typeAt = length;
      byte type = typeOf(value);
      put(type);
      cstring(field.getKey());
      value(type, value, typeAt);
    }
    end(start);
    return this;
  }

  /**
   * Appends {@code value}'s type byte and then the value, as {@link BsonEncoder#determineType} and
   * {@link BsonEncoder#encodeValue} do.
   */
  BsonBytes value(Object value) {
    int typeAt = length;
    byte type = typeOf(value);
    put(type);
    value(type, value, typeAt);
    return this;
  }

  /** A list (any collection) is a document with keys "0", "1", ... in the collection's order. */
  private void array(Collection<?> values) {
    int start = begin();
    int index = 0;
    for (Object value : values) {
      int typeAt = length;
      byte type = typeOf(value);
      put(type);
      index(index++);
      value(type, value, typeAt);
    }
    end(start);
  }

  /** Room for the document's length, written by {@link #end}. */
  private int begin() {
    int start = length;
    ensure(4);
    length += 4;
    return start;
  }

  private void end(int start) {
    put(BsonConstants.TERMINATING_BYTE);
    INT_LE.set(bytes, start, length - start);
  }

  /**
   * The BSON type of {@code value}, as {@link BsonEncoder#determineType} tells them apart and in
   * its order (a map that is also a collection is a document), but a string first: a final class,
   * nothing else, and the commonest value.
   */
  private static byte typeOf(Object value) {
    if (value instanceof String) {
      return BsonConstants.TYPE_UTF8_STRING;
    } else if (value == null) {
      return BsonConstants.TYPE_NULL;
    } else if (value instanceof Map) {
      return BsonConstants.TYPE_EMBEDDED_DOCUMENT;
    } else if (value instanceof ObjectId) {
      return BsonConstants.TYPE_OBJECT_ID;
    } else if (value instanceof Integer) {
      return BsonConstants.TYPE_INT32;
    } else if (value instanceof Long) {
      return BsonConstants.TYPE_INT64;
    } else if (value instanceof Decimal128) {
      return BsonConstants.TYPE_DECIMAL128;
    } else if (value instanceof Double) {
      return BsonConstants.TYPE_DOUBLE;
    } else if (value instanceof Boolean) {
      return BsonConstants.TYPE_BOOLEAN;
    } else if (value instanceof BinData || value instanceof UUID || value instanceof LegacyUUID) {
      return BsonConstants.TYPE_DATA;
    } else if (value instanceof Collection) {
      return BsonConstants.TYPE_ARRAY;
    } else if (value instanceof Instant) {
      return BsonConstants.TYPE_UTC_DATETIME;
    } else if (value instanceof BsonTimestamp) {
      return BsonConstants.TYPE_TIMESTAMP;
    } else if (value instanceof BsonRegularExpression) {
      return BsonConstants.TYPE_REGEX;
    } else if (value instanceof MaxKey) {
      return BsonConstants.TYPE_MAX_KEY;
    } else if (value instanceof MinKey) {
      return BsonConstants.TYPE_MIN_KEY;
    } else if (value instanceof BsonJavaScript) {
      return BsonConstants.TYPE_JAVASCRIPT_CODE;
    }
    return OTHER;
  }

  /** Writes the value after its type byte (at {@code typeAt}) and key. */
  @SuppressWarnings("unchecked")
  private void value(byte type, Object value, int typeAt) {
    switch (type) {
      case BsonConstants.TYPE_UTF8_STRING -> string((String) value);
      case BsonConstants.TYPE_EMBEDDED_DOCUMENT -> document((Map<String, ?>) value);
      case BsonConstants.TYPE_ARRAY -> array((Collection<?>) value);
      case BsonConstants.TYPE_INT32 -> putIntLe((Integer) value);
      case BsonConstants.TYPE_INT64 -> putLongLe((Long) value);
      case BsonConstants.TYPE_DOUBLE -> putLongLe(Double.doubleToRawLongBits((Double) value));
      case BsonConstants.TYPE_BOOLEAN ->
          put(
              (Boolean) value
                  ? BsonConstants.BOOLEAN_VALUE_TRUE
                  : BsonConstants.BOOLEAN_VALUE_FALSE);
      case BsonConstants.TYPE_UTC_DATETIME -> putLongLe(((Instant) value).toEpochMilli());
      case BsonConstants.TYPE_OBJECT_ID -> objectId((ObjectId) value);
      case BsonConstants.TYPE_DATA -> binary(value);
      case BsonConstants.TYPE_DECIMAL128 -> {
        Decimal128 decimal = (Decimal128) value;
        putLongLe(decimal.getLow());
        putLongLe(decimal.getHigh());
      }
      case BsonConstants.TYPE_TIMESTAMP -> putLongLe(((BsonTimestamp) value).getValue());
      case BsonConstants.TYPE_REGEX -> {
        BsonRegularExpression regex = (BsonRegularExpression) value;
        cstring(regex.getPattern());
        cstring(regex.getOptions());
      }
      case BsonConstants.TYPE_JAVASCRIPT_CODE -> string(((BsonJavaScript) value).getCode());
      case BsonConstants.TYPE_NULL, BsonConstants.TYPE_MIN_KEY, BsonConstants.TYPE_MAX_KEY -> {}
      default -> byEncoder(value, typeAt);
    }
  }

  /**
   * A value of a type this class does not know, written by {@link BsonEncoder}, which throws for
   * any type it does not know either (a {@code Missing}, a {@code Date}, a {@code Short}).
   */
  private void byEncoder(Object value, int typeAt) {
    byte type = BsonEncoder.determineType(value);
    bytes[typeAt] = type;
    ByteBuf buffer = Unpooled.buffer();
    BsonEncoder.encodeValue(type, value, buffer);
    int size = buffer.readableBytes();
    ensure(size);
    buffer.readBytes(bytes, length, size);
    length += size;
  }

  private void objectId(ObjectId id) {
    byte[] data = id.toByteArray();
    if (data.length != BsonConstants.LENGTH_OBJECTID) {
      throw new IllegalArgumentException("Illegal ObjectId: " + id);
    }
    put(data);
  }

  /** Generic binary data, or a UUID: subtype 4 with its longs big-endian, 3 little-endian. */
  private void binary(Object value) {
    if (value instanceof BinData binary) {
      byte[] data = binary.getData();
      putIntLe(data.length);
      put(BsonConstants.BINARY_SUBTYPE_GENERIC);
      put(data);
    } else if (value instanceof LegacyUUID legacy) {
      putIntLe(BsonConstants.LENGTH_UUID);
      put(BsonConstants.BINARY_SUBTYPE_OLD_UUID);
      putLongLe(legacy.getUuid().getMostSignificantBits());
      putLongLe(legacy.getUuid().getLeastSignificantBits());
    } else {
      UUID uuid = (UUID) value;
      putIntLe(BsonConstants.LENGTH_UUID);
      put(BsonConstants.BINARY_SUBTYPE_UUID);
      ensure(16);
      LONG_BE.set(bytes, length, uuid.getMostSignificantBits());
      LONG_BE.set(bytes, length + 8, uuid.getLeastSignificantBits());
      length += 16;
    }
  }

  /** A string: its length in UTF-8 with the terminating NUL, the UTF-8, a NUL. */
  private void string(String text) {
    int start = length;
    ensure(4);
    length += 4;
    utf8(text);
    put(BsonConstants.STRING_TERMINATION);
    INT_LE.set(bytes, start, length - start - 4);
  }

  /** A key or a regular expression: the UTF-8, a NUL (one inside is written as it is). */
  private void cstring(String text) {
    utf8(text);
    put(BsonConstants.STRING_TERMINATION);
  }

  /** An array's index as a key, its decimal digits without a string between. */
  private void index(int index) {
    if (index < 10) {
      ensure(2);
      bytes[length++] = (byte) ('0' + index);
      bytes[length++] = BsonConstants.STRING_TERMINATION;
    } else {
      cstring(Integer.toString(index));
    }
  }

  /**
   * As {@code text.getBytes(UTF_8)}: a short string here, ASCII a byte per character until the
   * first that is not; a long one by the JDK, whose vectorized copy pays for the array it makes (a
   * document with a message of 1.6 kB took 1.5 times as long with the loop below as with it).
   */
  private void utf8(String text) {
    int chars = text.length();
    if (chars > SHORT_STRING) {
      put(text.getBytes(StandardCharsets.UTF_8));
      return;
    }
    ensure(chars);
    byte[] out = bytes;
    int at = length;
    int i = 0;
    for (; i < chars; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        break;
      }
      out[at++] = (byte) c;
    }
    length = at;
    if (i < chars) {
      utf8From(text, i);
    }
  }

  /**
   * The rest of {@code text} from {@code from}: 2 or 3 bytes a character, 4 a surrogate pair, and
   * {@code ?} for a surrogate not in a pair, as the JDK's UTF-8 encoder replaces it.
   */
  private void utf8From(String text, int from) {
    int chars = text.length();
    ensure(3L * (chars - from));
    byte[] out = bytes;
    int at = length;
    for (int i = from; i < chars; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[at++] = (byte) c;
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3F);
      } else if (!Character.isSurrogate(c)) {
        out[at++] = (byte) (0xE0 | c >> 12);
        out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < chars
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int code = Character.toCodePoint(c, text.charAt(++i));
        out[at++] = (byte) (0xF0 | code >> 18);
        out[at++] = (byte) (0x80 | code >> 12 & 0x3F);
        out[at++] = (byte) (0x80 | code >> 6 & 0x3F);
        out[at++] = (byte) (0x80 | code & 0x3F);
      } else {
        out[at++] = '?';
      }
    }
    length = at;
  }

  private void put(byte b) {
    ensure(1);
    bytes[length++] = b;
  }

  private void put(byte[] data) {
    ensure(data.length);
    System.arraycopy(data, 0, bytes, length, data.length);
    length += data.length;
  }

  private void putIntLe(int value) {
    ensure(4);
    INT_LE.set(bytes, length, value);
    length += 4;
  }

  private void putLongLe(long value) {
    ensure(8);
    LONG_LE.set(bytes, length, value);
    length += 8;
  }

  /** Room for {@code more} bytes after those written, at least doubling the array. */
  private void ensure(long more) {
    long needed = length + more;
    if (needed > bytes.length) {
      long capacity = Math.max(needed, 2L * bytes.length);
      if (needed > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a BSON document of more than 2 GB");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(capacity, Integer.MAX_VALUE - 8));
    }
  }
}
