package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonJavaScript;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every byte as mongo-java-server's {@link BsonEncoder} writes it, the encoding it replaces. */
class BsonBytesTest {

  private static final List<String> STRINGS =
      List.of(
          "",
          "ascii only",
          "é café ß", // 2 bytes a character
          "주문 €", // 3 bytes
          "😀 \uD83D\uDE80", // surrogate pairs, 4 bytes
          "lone high \uD83D end", // a surrogate not in a pair
          "lone low \uDE00 end",
          "high at the end \uD83D",
          "\uDE00\uD83D reversed pair",
          "\uD83D\uD83D\uDE00 high before a pair",
          "\u007F\u0080\u07FF\u0800\uFFFF edges",
          "long, by the JDK: é 주문 😀 \uD83D lone, and more ASCII after it",
          "x".repeat(600)); // beyond the first buffer

  @Test
  void everyTypeTheEncoderKnowsIsWrittenAsItWritesIt() {
    Document document =
        new Document("_id", new ObjectId("65f0a1b2c3d4e5f601234567"))
            .append("string", "o-1")
            .append("null", null)
            .append("int", 42)
            .append("negativeInt", Integer.MIN_VALUE)
            .append("long", Long.MAX_VALUE)
            .append("double", 2.5)
            .append("nan", Double.NaN)
            .append("nanWithPayload", Double.longBitsToDouble(0x7ff8_0000_0000_0123L))
            .append("negativeZero", -0.0)
            .append("infinity", Double.NEGATIVE_INFINITY)
            .append("true", true)
            .append("false", false)
            .append("date", Instant.parse("2024-05-01T12:34:56.789Z"))
            .append("beforeEpoch", Instant.parse("1950-01-01T00:00:00.001Z"))
            .append("uuid", UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
            .append("legacyUuid", new LegacyUUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L))
            .append("binary", new BinData(new byte[] {0, 1, 2, (byte) 0xFF}))
            .append("emptyBinary", new BinData(new byte[0]))
            .append("decimal", Decimal128.fromNumber(new BigDecimal("1234.5678")))
            .append("decimalNaN", Decimal128.NaN)
            .append("decimalNegativeZero", Decimal128.NEGATIVE_ZERO)
            .append("timestamp", new BsonTimestamp(Instant.ofEpochSecond(1_700_000_000), 7))
            .append("minKey", MinKey.getInstance())
            .append("maxKey", MaxKey.getInstance())
            .append("regex", new BsonRegularExpression("^o-\\d+$", "im"))
            .append("regexWithoutOptions", new BsonRegularExpression("a.c", ""))
            .append("javascript", new BsonJavaScript("function() { return 'é'; }"))
            .append("emptyDocument", new Document())
            .append("emptyList", List.of())
            .append(
                "nested",
                new Document("items", List.of(new Document("sku", "MUG-01").append("qty", 2)))
                    .append("deeper", new Document("a", new Document("b", List.of(List.of(1))))))
            .append("list", Arrays.asList(1, "two", null, 3.0, List.of(), new Document()))
            .append("longList", longList())
            .append("set", new LinkedHashSet<>(List.of("b", "a", "c")))
            .append("treeMap", new TreeMap<>(Map.of("z", 1, "a", 2)));

    assertSameBytes(document);
  }

  @Test
  void stringsAsValuesAndAsKeysAreWrittenAsTheEncoderWritesThem() {
    for (String text : STRINGS) {
      assertSameBytes(new Document("value", text));
      assertSameBytes(new Document(text, 1));
      assertSameBytes(new Document("regex", new BsonRegularExpression(text, text)));
      assertSameBytes(new Document("code", new BsonJavaScript(text)));
    }
  }

  @Test
  void aKeyWithANulIsWrittenAsItIsAsTheEncoderWritesIt() {
    // malformed for a reader, whose key ends at the NUL: not ours to repair
    assertSameBytes(new Document("a\u0000b", "c\u0000d"));
  }

  @Test
  void aValueIsItsTypeByteAndItsBytesAsBsonValuesStoresKeys() {
    List<Object> values = new ArrayList<>(STRINGS);
    values.addAll(
        Arrays.asList(
            null,
            7,
            7L,
            -0.0,
            true,
            Instant.EPOCH,
            new ObjectId("65f0a1b2c3d4e5f601234567"),
            UUID.randomUUID(),
            new LegacyUUID(UUID.randomUUID()),
            new BinData(new byte[] {9}),
            Decimal128.ONE,
            new BsonTimestamp(42L),
            MinKey.getInstance(),
            MaxKey.getInstance(),
            new Document("a", List.of(1, 2)),
            List.of("x", new Document())));
    for (Object value : values) {
      ByteBuf expected = Unpooled.buffer();
      byte type = BsonEncoder.determineType(value);
      expected.writeByte(type);
      BsonEncoder.encodeValue(type, value, expected);

      BsonBytes actual = BsonBytes.forThread().value(value);

      assertThat(bytesOf(actual)).as("%s", value).isEqualTo(ByteBufUtil.getBytes(expected));
    }
  }

  @Test
  void whatTheEncoderCannotWriteFailsAsItFails() {
    List<Object> values =
        List.of(
            Missing.getInstance(),
            new Date(0),
            (short) 1,
            1.5f,
            'c',
            // options null: the encoder writes them as a C string, and fails
            new BsonRegularExpression("a.c"));
    for (Object value : values) {
      Document document = new Document("v", value);
      Throwable expected = catchThrowable(() -> encoderBytes(document));
      Throwable actual = catchThrowable(() -> BsonBytes.forThread().document(document));

      assertThat(expected).as("%s", value).isNotNull();
      assertThat(actual).as("%s", value).isInstanceOf(expected.getClass());
      if (expected instanceof IllegalArgumentException) {
        assertThat(actual).hasMessage(expected.getMessage());
      }
    }
  }

  @Test
  void randomDocumentsAreWrittenAsTheEncoderWritesThem() {
    long seed = 20_240_501L;
    System.out.println("BsonBytesTest random documents, seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 5_000; i++) {
      Document document = randomDocument(random, 0);
      assertThat(bytesOf(BsonBytes.forThread().document(document)))
          .as("document %d of seed %d: %s", i, seed, document)
          .isEqualTo(encoderBytes(document));
    }
  }

  @Test
  void theBufferGrowsInTheMiddleOfShortStrings() {
    Document document = new Document();
    for (int i = 0; i < 2_000; i++) {
      document.put("주" + i, i % 2 == 0 ? "é😀\uDE00" + i : "ascii " + i);
    }

    assertSameBytes(document);
  }

  @Test
  void theBufferGrowsForALargeDocumentAndIsLetGoAfter() {
    Document large =
        new Document("_id", "o-1")
            .append("ascii", "x".repeat(5 << 20))
            .append("korean", "주".repeat(1 << 20))
            .append("tail", 1);

    BsonBytes bson = BsonBytes.forThread().document(large);

    assertThat(bson.length()).isGreaterThan(8 << 20);
    assertThat(bytesOf(bson)).isEqualTo(encoderBytes(large));
    assertThat(BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson.toByteArray()))).isEqualTo(large);
    // the thread does not keep megabytes for the rare large document
    assertThat(BsonBytes.forThread().array().length).isLessThanOrEqualTo(1 << 20);
    assertSameBytes(new Document("after", "small"));
  }

  private static void assertSameBytes(Document document) {
    BsonBytes bson = BsonBytes.forThread().document(document);
    assertThat(bytesOf(bson)).as("%s", document).isEqualTo(encoderBytes(document));
    assertThat(bson.toByteArray()).isEqualTo(bytesOf(bson));
  }

  private static byte[] bytesOf(BsonBytes bson) {
    return Arrays.copyOf(bson.array(), bson.length());
  }

  private static byte[] encoderBytes(Document document) {
    ByteBuf buffer = Unpooled.buffer();
    BsonEncoder.encodeDocument(document, buffer);
    return ByteBufUtil.getBytes(buffer);
  }

  private static List<Integer> longList() {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < 1_234; i++) {
      values.add(i);
    }
    return values;
  }

  private static Document randomDocument(Random random, int depth) {
    Document document = new Document();
    int fields = random.nextInt(depth == 0 ? 12 : 6);
    for (int i = 0; i < fields; i++) {
      document.put(randomString(random, 1 + random.nextInt(12)), randomValue(random, depth));
    }
    return document;
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth < 4 ? 20 : 18);
    return switch (kind) {
      case 0 -> null;
      case 1 -> random.nextInt();
      case 2 -> random.nextLong();
      case 3 -> Double.longBitsToDouble(random.nextLong());
      case 4 -> random.nextBoolean();
      case 5 -> Instant.ofEpochMilli(random.nextLong() >> 20);
      case 6 -> new UUID(random.nextLong(), random.nextLong());
      case 7 -> new LegacyUUID(random.nextLong(), random.nextLong());
      case 8 -> new BinData(randomBytes(random));
      case 9 -> new ObjectId(randomBytes(random, 12));
      case 10 -> new Decimal128(random.nextLong(), random.nextLong());
      case 11 -> new BsonTimestamp(random.nextLong());
      case 12 -> random.nextBoolean() ? MinKey.getInstance() : MaxKey.getInstance();
      case 13 ->
          new BsonRegularExpression(randomString(random, 8), random.nextBoolean() ? "i" : "");
      case 14 -> new BsonJavaScript(randomString(random, 20));
      case 15, 16, 17 -> randomString(random, random.nextInt(40));
      case 18 -> randomDocument(random, depth + 1);
      default -> {
        List<Object> values = new ArrayList<>();
        int size = random.nextInt(14);
        for (int i = 0; i < size; i++) {
          values.add(randomValue(random, depth + 1));
        }
        yield values;
      }
    };
  }

  /** Mostly ASCII, with characters of every UTF-8 length, pairs and lone surrogates. */
  private static String randomString(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(10)) {
        case 0 -> text.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
        case 1 -> text.append((char) (0x800 + random.nextInt(0x10000 - 0x800)));
        case 2 -> text.appendCodePoint(0x10000 + random.nextInt(0x110000 - 0x10000));
        case 3 -> text.append((char) (0xD800 + random.nextInt(0x800)));
        default -> text.append((char) (0x20 + random.nextInt(0x5F)));
      }
    }
    return text.toString();
  }

  private static byte[] randomBytes(Random random) {
    return randomBytes(random, random.nextInt(20));
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
