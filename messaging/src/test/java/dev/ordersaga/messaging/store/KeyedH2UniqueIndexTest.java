package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unique index's short path for plain keys against mongo-java-server's general path (its own
 * {@link MemoryUniqueIndex}, logic and storage alike): the same random sequence of index operations
 * (the collection's insert, replace and delete checks, lookups by document and by query) on both,
 * every outcome compared, errors by class and message.
 */
class KeyedH2UniqueIndexTest {

  private static final long SEED = 20261129L;

  /** Values a key field may hold, of the kinds that normalize differently. */
  private static final List<Object> VALUES =
      List.of(
          "a",
          "b",
          "",
          "주문",
          1,
          1L,
          1.0,
          2,
          0,
          -0.0,
          0.0,
          (1L << 60) + 1,
          (1L << 60),
          Long.MAX_VALUE,
          true,
          false,
          Instant.parse("2026-11-29T00:00:00Z"),
          new ObjectId("5f1d7c2b9a0e4b3c2d1e0f11"),
          UUID.fromString("00000000-0000-0000-0000-000000000001"),
          new Document("x", 1),
          new Document("x", 1.0),
          List.of(1, 2),
          List.of("a"),
          List.of());

  private final MVStore store = MVStore.open(null);
  private final MongoCollection<Object> collection = collectionNamed("db.things");
  private final MongoCollection<Integer> positions = collectionNamed("db.things");

  @AfterEach
  void close() {
    store.close();
  }

  static Stream<List<IndexKey>> indexes() {
    return Stream.of(
        List.of(new IndexKey("_id", true)),
        List.of(new IndexKey("a", true)),
        List.of(new IndexKey("a", true), new IndexKey("b", false)),
        List.of(new IndexKey("a.x", true)));
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void theShortPathDecidesAsTheGeneralOne(List<IndexKey> keys) {
    MVMap<Object, Object> map =
        store.openMap(
            "index" + keys,
            new MVMap.Builder<Object, Object>()
                .keyType(MongoKeyType.INSTANCE)
                .valueType(MongoKeyType.INSTANCE));
    KeyedH2UniqueIndex keyed = new KeyedH2UniqueIndex(map, "i", keys, false);
    MemoryUniqueIndex reference = new MemoryUniqueIndex("i", keys, false);
    Random random = new Random(SEED);
    List<Document> stored = new ArrayList<>();
    int position = 0;
    int duplicates = 0;
    for (int step = 0; step < 3_000; step++) {
      Document document = randomDocument(random, step);
      switch (random.nextInt(6)) {
        case 0, 1 -> {
          int at = position++;
          String added =
              same(
                  () -> {
                    keyed.checkAdd(document, collection);
                    keyed.add(document, at, collection);
                    return "added";
                  },
                  () -> {
                    reference.checkAdd(document, positions);
                    reference.add(document, at, positions);
                    return "added";
                  });
          if (added.equals("added")) {
            stored.add(document);
          } else {
            duplicates++;
          }
        }
        case 2 -> {
          if (!stored.isEmpty()) {
            Document old = stored.get(random.nextInt(stored.size()));
            Integer at = reference.getPosition(old);
            String replaced =
                same(
                    () -> {
                      keyed.checkUpdate(old, document, collection);
                      keyed.updateInPlace(old, document, at, collection);
                      return "replaced";
                    },
                    () -> {
                      reference.checkUpdate(old, document, positions);
                      reference.updateInPlace(old, document, at, positions);
                      return "replaced";
                    });
            if (replaced.equals("replaced")) {
              stored.set(stored.indexOf(old), document);
            }
          }
        }
        case 3 -> {
          if (!stored.isEmpty()) {
            Document gone = stored.remove(random.nextInt(stored.size()));
            same(
                () -> String.valueOf(keyed.remove(gone)),
                () -> String.valueOf(reference.remove(gone)));
          }
        }
        case 4 ->
            same(
                () -> String.valueOf(keyed.getPosition(document)),
                () -> String.valueOf(reference.getPosition(document)));
        default -> {
          Document query = new Document();
          for (IndexKey key : keys) {
            query.append(key.getKey(), document.getOrMissing(key.getKey().split("\\.")[0]));
          }
          query.values().removeIf(value -> value instanceof Missing);
          boolean canHandle = reference.canHandle(query);
          assertThat(keyed.canHandle(query)).as("canHandle %s", query).isEqualTo(canHandle);
          if (canHandle) {
            same(
                () -> positions(keyed.getPositions(query)),
                () -> positions(reference.getPositions(query)));
          }
        }
      }
      assertThat(keyed.getCount()).isEqualTo(reference.getCount());
    }
    // the sequence met both outcomes: keys were added and duplicates refused
    assertThat(stored).isNotEmpty();
    assertThat(duplicates).isPositive();
  }

  private static Document randomDocument(Random random, int step) {
    Document document = new Document("_id", VALUES.get(random.nextInt(VALUES.size())));
    if (random.nextInt(8) > 0) {
      document.append("a", VALUES.get(random.nextInt(VALUES.size())));
    }
    if (random.nextInt(8) > 0) {
      document.append("b", VALUES.get(random.nextInt(VALUES.size())));
    }
    return document.append("step", step);
  }

  private static String positions(Iterable<?> positions) {
    List<String> all = new ArrayList<>();
    positions.forEach(p -> all.add(String.valueOf(p)));
    return all.toString();
  }

  /** Runs both; they must return the same, or fail with the same error. */
  private static String same(Supplier<String> keyed, Supplier<String> reference) {
    String expected = outcome(reference);
    assertThat(outcome(keyed)).isEqualTo(expected);
    return expected;
  }

  private static String outcome(Supplier<String> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @SuppressWarnings("unchecked")
  private static <P> MongoCollection<P> collectionNamed(String fullName) {
    return (MongoCollection<P>)
        Proxy.newProxyInstance(
            KeyedH2UniqueIndexTest.class.getClassLoader(),
            new Class<?>[] {MongoCollection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getFullName")) {
                return fullName;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
