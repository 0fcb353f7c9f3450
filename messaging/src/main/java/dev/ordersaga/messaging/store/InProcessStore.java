package dev.ordersaga.messaging.store;

import com.mongodb.Function;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.WriteError;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteInsert;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.ClientSession;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoIterable;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.Codec;
import org.bson.codecs.CollectibleCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;
import org.bson.io.BasicOutputBuffer;

/**
 * The embedded store, used in the process that opened it without the wire between: a service's
 * {@code MongoDatabase} whose hot-path operations run the embedded backend's commands on the
 * caller's thread, and whose other operations go through the MongoDB client to the same backend.
 *
 * <p>Over the wire every operation costs the client's work (a pooled connection, the command
 * message, an implicit session), a loopback socket each way, a hand-off to a server thread and the
 * server's decoding and encoding. In process, these run the very command the client would send, to
 * the same backend ({@link EmbeddedBackend#handleCommand}, so the same durability: a write returns
 * once its command is synced; the same scans recorded; the same write-ahead log):
 *
 * <ul>
 *   <li>{@code find} with a filter, projection, sort, skip and limit, ended by {@code first},
 *       {@code iterator}, {@code cursor}, {@code into}, {@code forEach} or {@code map} (the whole
 *       result in one batch, as the embedded server answers too);
 *   <li>{@code insertOne}, {@code insertMany}, {@code replaceOne}, {@code updateOne} (with an
 *       update document) and {@code deleteOne}, with default options or {@code upsert}.
 * </ul>
 *
 * Anything else (a session, a collation, a hint, an aggregation, an index, a count, a find option
 * other than those above) goes over the wire unchanged. Documents cross between the client's and
 * the server's types through BSON bytes, encoded and decoded by each side's own codec, exactly as
 * the wire carries them; results and failures are the client's own types ({@link
 * MongoWriteException} with the server's write error, {@link MongoCommandException} with its error
 * document), as the client would have made them from the server's answer.
 */
final class InProcessStore {

  private static final BsonDocumentCodec BSON_DOCUMENT_CODEC = new BsonDocumentCodec();
  private static final EncoderContext ENCODE = EncoderContext.builder().build();
  private static final EncoderContext ENCODE_STORED =
      EncoderContext.builder().isEncodingCollectibleDocument(true).build();
  private static final DecoderContext DECODE = DecoderContext.builder().build();

  private final EmbeddedBackend backend;
  private final String databaseName;
  private final ServerAddress address;

  /**
   * The server keeps a little state per connection (the last results of {@code getLastError}), in a
   * list that is not safe for concurrent use: each thread is a connection of its own, as each
   * connection of the wire is served by one thread at a time.
   */
  private final ThreadLocal<EmbeddedChannel> connections =
      ThreadLocal.withInitial(EmbeddedChannel::new);

  private InProcessStore(EmbeddedBackend backend, String databaseName, ServerAddress address) {
    this.backend = backend;
    this.databaseName = databaseName;
    this.address = address;
  }

  /**
   * {@code wire}, a client's database on the embedded server {@code backend} serves at {@code
   * address}, with its hot-path operations run in process.
   */
  static MongoDatabase database(
      MongoDatabase wire, EmbeddedBackend backend, ServerAddress address) {
    return new InProcessStore(backend, wire.getName(), address).database(wire);
  }

  private MongoDatabase database(MongoDatabase wire) {
    return proxy(
        MongoDatabase.class,
        wire,
        (method, args) ->
            switch (method.getName()) {
              case "getCollection" -> collection((MongoCollection<?>) call(wire, method, args));
              case "withCodecRegistry",
                  "withReadPreference",
                  "withWriteConcern",
                  "withReadConcern",
                  "withTimeout" ->
                  database((MongoDatabase) call(wire, method, args));
              default -> call(wire, method, args);
            });
  }

  private <T> MongoCollection<T> collection(MongoCollection<T> wire) {
    InProcessCollection<T> collection = new InProcessCollection<>(wire);
    @SuppressWarnings("unchecked")
    MongoCollection<T> proxy = proxy(MongoCollection.class, wire, collection::invoke);
    return proxy;
  }

  /** What a proxy does with a call other than {@code equals} and {@code hashCode}. */
  @FunctionalInterface
  private interface Calls {
    Object invoke(Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object wire, Calls calls) {
    InvocationHandler handler =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "equals" ->
                  method.getParameterCount() == 1 ? proxy == args[0] : calls.invoke(method, args);
              case "hashCode" ->
                  method.getParameterCount() == 0
                      ? System.identityHashCode(proxy)
                      : calls.invoke(method, args);
              case "toString" ->
                  method.getParameterCount() == 0
                      ? "in process: " + wire
                      : calls.invoke(method, args);
              default -> calls.invoke(method, args);
            };
    return type.cast(
        Proxy.newProxyInstance(
            InProcessStore.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** Calls {@code method} on {@code target}, throwing what it throws. */
  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** One collection: the calls it runs in process, and the wire for the rest. */
  private final class InProcessCollection<T> {

    private final MongoCollection<T> wire;
    private final Codec<T> codec;

    InProcessCollection(MongoCollection<T> wire) {
      this.wire = wire;
      this.codec = wire.getCodecRegistry().get(wire.getDocumentClass());
    }

    @SuppressWarnings("unchecked")
    Object invoke(Method method, Object[] args) throws Throwable {
      String name = method.getName();
      Class<?>[] types = method.getParameterTypes();
      if (name.startsWith("with")) {
        Object result = call(wire, method, args);
        return result instanceof MongoCollection<?> other ? collection(other) : result;
      }
      boolean inProcess =
          wire.getWriteConcern().isAcknowledged()
              && (types.length == 0 || types[0] != ClientSession.class);
      if (inProcess) {
        switch (name) {
          case "find" -> {
            if (types.length == 0) {
              return find(null);
            }
            if (types.length == 1 && types[0] == Bson.class) {
              return find((Bson) args[0]);
            }
          }
          case "insertOne" -> {
            if (types.length == 1 || (types.length == 2 && plain((InsertOneOptions) args[1]))) {
              return insertOne((T) args[0]);
            }
          }
          case "insertMany" -> {
            List<T> values = (List<T>) args[0];
            if (!values.isEmpty()
                && (types.length == 1
                    || (types.length == 2 && plain((InsertManyOptions) args[1])))) {
              return insertMany(
                  values, types.length == 1 || ((InsertManyOptions) args[1]).isOrdered());
            }
          }
          case "replaceOne" -> {
            if (types.length == 2) {
              return update((Bson) args[0], stored((T) args[1]), false);
            }
            if (types.length == 3
                && types[2] == ReplaceOptions.class
                && plain((ReplaceOptions) args[2])) {
              return update(
                  (Bson) args[0], stored((T) args[1]), ((ReplaceOptions) args[2]).isUpsert());
            }
          }
          case "updateOne" -> {
            if (types.length >= 2 && types[1] == Bson.class) {
              if (types.length == 2) {
                return update((Bson) args[0], bson((Bson) args[1]), false);
              }
              if (types.length == 3 && plain((UpdateOptions) args[2])) {
                return update(
                    (Bson) args[0], bson((Bson) args[1]), ((UpdateOptions) args[2]).isUpsert());
              }
            }
          }
          case "deleteOne" -> {
            if (types.length == 1 || (types.length == 2 && plain((DeleteOptions) args[1]))) {
              return deleteOne((Bson) args[0]);
            }
          }
          default -> {
            // over the wire
          }
        }
      }
      return call(wire, method, args);
    }

    private FindIterable<T> find(Bson filter) {
      InProcessFind<T> find = new InProcessFind<>(this, wire, filter);
      @SuppressWarnings("unchecked")
      FindIterable<T> proxy = proxy(FindIterable.class, wire, find::invoke);
      find.self = proxy;
      return proxy;
    }

    private InsertOneResult insertOne(T value) {
      BsonValue id = null;
      if (codec instanceof CollectibleCodec<T> collectible) {
        value = collectible.generateIdIfAbsentFromDocument(value);
        id = collectible.getDocumentId(value);
      }
      Document command = new Document("insert", wire.getNamespace().getCollectionName());
      command.put("ordered", Boolean.TRUE);
      command.put("documents", List.of(stored(value)));
      run("insert", command);
      return InsertOneResult.acknowledged(id);
    }

    /**
     * As the client does: ids given to the documents that have none, one insert command, and for
     * write errors a {@link MongoBulkWriteException} with each error and the documents inserted.
     */
    private InsertManyResult insertMany(List<T> values, boolean ordered) {
      Map<Integer, BsonValue> ids = new LinkedHashMap<>();
      List<Document> documents = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        T value = values.get(i);
        if (codec instanceof CollectibleCodec<T> collectible) {
          value = collectible.generateIdIfAbsentFromDocument(value);
          ids.put(i, collectible.getDocumentId(value));
        }
        documents.add(stored(value));
      }
      Document command = new Document("insert", wire.getNamespace().getCollectionName());
      command.put("ordered", ordered);
      command.put("documents", documents);
      Document response = runBatch("insert", command);
      List<Document> errors = writeErrors(response);
      if (errors.isEmpty()) {
        return InsertManyResult.acknowledged(ids);
      }
      // as the client reads the answer: the count is the server's n (the embedded server counts
      // every document it was sent), the inserts every document without an error of its own
      Set<Integer> failed = new HashSet<>();
      List<BulkWriteError> bulkErrors = new ArrayList<>();
      for (Document error : errors) {
        int index = ((Number) error.get("index")).intValue();
        failed.add(index);
        bulkErrors.add(
            new BulkWriteError(
                code(error), String.valueOf(error.get("errmsg")), details(error), index));
      }
      List<BulkWriteInsert> inserts = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        if (!failed.contains(i)) {
          inserts.add(new BulkWriteInsert(i, ids.get(i)));
        }
      }
      int count = ((Number) response.get("n")).intValue();
      throw new MongoBulkWriteException(
          BulkWriteResult.acknowledged(count, 0, 0, 0, List.of(), inserts),
          bulkErrors,
          null,
          address,
          Set.of());
    }

    private UpdateResult update(Bson filter, Document change, boolean upsert) {
      Document statement = new Document("q", bson(filter));
      statement.put("u", change);
      statement.put("upsert", upsert);
      statement.put("multi", Boolean.FALSE);
      Document command = new Document("update", wire.getNamespace().getCollectionName());
      command.put("ordered", Boolean.TRUE);
      command.put("updates", List.of(statement));
      Document response = run("update", command);
      long n = ((Number) response.get("n")).longValue();
      long modified = ((Number) response.getOrDefault("nModified", 0)).longValue();
      BsonValue upsertedId = null;
      if (response.get("upserted") instanceof List<?> upserted && !upserted.isEmpty()) {
        upsertedId = toClient((Document) upserted.get(0)).get("_id");
        n -= upserted.size();
      }
      return UpdateResult.acknowledged(n, modified, upsertedId);
    }

    private DeleteResult deleteOne(Bson filter) {
      Document statement = new Document("q", bson(filter));
      statement.put("limit", 1);
      Document command = new Document("delete", wire.getNamespace().getCollectionName());
      command.put("ordered", Boolean.TRUE);
      command.put("deletes", List.of(statement));
      Document response = run("delete", command);
      return DeleteResult.acknowledged(((Number) response.get("n")).longValue());
    }

    /** Runs a find in process: every document it selects, at most {@code limit} (0: all). */
    List<T> query(Bson filter, Bson projection, Bson sort, int skip, int limit) {
      Document command = new Document("find", wire.getNamespace().getCollectionName());
      command.put("filter", filter == null ? new Document() : bson(filter));
      if (projection != null) {
        command.put("projection", bson(projection));
      }
      if (sort != null) {
        command.put("sort", bson(sort));
      }
      if (skip > 0) {
        command.put("skip", skip);
      }
      if (limit != 0) {
        command.put("limit", Math.abs(limit));
      }
      Document response = run("find", command);
      Document cursor = (Document) response.get("cursor");
      Object cursorId = cursor.get("id");
      if (cursorId instanceof Number id && id.longValue() != 0) {
        // the embedded server answers a find without a batch size in one batch; a cursor left
        // open would be a change in mongo-java-server that this class must learn
        throw new IllegalStateException(
            "the embedded store left a cursor open for a find without a batch size");
      }
      List<?> batch = (List<?>) cursor.get("firstBatch");
      List<T> documents = new ArrayList<>(batch.size());
      for (Object document : batch) {
        documents.add(decode((Document) document));
      }
      return documents;
    }

    private Document stored(T value) {
      return toServer(writer -> codec.encode(writer, value, ENCODE_STORED));
    }

    private Document bson(Bson value) {
      BsonDocument document =
          value.toBsonDocument(wire.getDocumentClass(), wire.getCodecRegistry());
      return toServer(writer -> BSON_DOCUMENT_CODEC.encode(writer, document, ENCODE));
    }

    /**
     * The client's value for one of the server's documents, read from the thread's {@link
     * BsonBytes}: the codec reads them before it returns and keeps none.
     */
    private T decode(Document document) {
      BsonBytes bson = BsonBytes.forThread().document(document);
      try (BsonBinaryReader reader =
          new BsonBinaryReader(ByteBuffer.wrap(bson.array(), 0, bson.length()))) {
        return codec.decode(reader, DECODE);
      }
    }
  }

  /** Options that ask for nothing the in-process path does not do (upsert and order it does). */
  private static boolean plain(InsertOneOptions o) {
    return o.getBypassDocumentValidation() == null && o.getComment() == null;
  }

  private static boolean plain(InsertManyOptions o) {
    return o.getBypassDocumentValidation() == null && o.getComment() == null;
  }

  private static boolean plain(ReplaceOptions o) {
    return o.getBypassDocumentValidation() == null
        && o.getCollation() == null
        && o.getHint() == null
        && o.getHintString() == null
        && o.getComment() == null
        && o.getLet() == null
        && o.getSort() == null;
  }

  private static boolean plain(UpdateOptions o) {
    return o.getBypassDocumentValidation() == null
        && o.getCollation() == null
        && o.getArrayFilters() == null
        && o.getHint() == null
        && o.getHintString() == null
        && o.getComment() == null
        && o.getLet() == null
        && o.getSort() == null;
  }

  private static boolean plain(DeleteOptions o) {
    return o.getCollation() == null
        && o.getHint() == null
        && o.getHintString() == null
        && o.getComment() == null
        && o.getLet() == null;
  }

  /** A find built in process; anything this class does not run in process replays on the wire. */
  private static final class InProcessFind<T> {

    private final InProcessCollection<T> collection;
    private final MongoCollection<T> wire;

    /** Every builder call so far, to replay on the wire's find. */
    private final List<BuilderCall> calls = new ArrayList<>();

    private FindIterable<T> self;
    private Bson filter;
    private Bson projection;
    private Bson sort;
    private int skip;
    private int limit;
    private boolean overWire;

    InProcessFind(InProcessCollection<T> collection, MongoCollection<T> wire, Bson filter) {
      this.collection = collection;
      this.wire = wire;
      this.filter = filter;
    }

    Object invoke(Method method, Object[] args) throws Throwable {
      String name = method.getName();
      int count = method.getParameterCount();
      if (method.getReturnType() == FindIterable.class || name.equals("batchSize")) {
        switch (name) {
          case "filter" -> filter = (Bson) args[0];
          case "projection" -> projection = (Bson) args[0];
          case "sort" -> sort = (Bson) args[0];
          case "skip" -> skip = (Integer) args[0];
          case "limit" -> limit = (Integer) args[0];
          case "batchSize" -> {
            // in process, the whole result is one batch
          }
          default -> overWire = true;
        }
        calls.add(new BuilderCall(method, args));
        return self;
      }
      if (!overWire) {
        switch (name) {
          case "first" -> {
            List<T> found = collection.query(filter, projection, sort, skip, 1);
            return found.isEmpty() ? null : found.get(0);
          }
          case "iterator", "cursor" -> {
            return new ListCursor<>(results());
          }
          case "into" -> {
            @SuppressWarnings("unchecked")
            Collection<Object> target = (Collection<Object>) args[0];
            target.addAll(results());
            return target;
          }
          case "forEach" -> {
            if (count == 1 && args[0] instanceof java.util.function.Consumer<?> action) {
              @SuppressWarnings("unchecked")
              java.util.function.Consumer<Object> each =
                  (java.util.function.Consumer<Object>) action;
              results().forEach(each);
              return null;
            }
          }
          case "spliterator" -> {
            return results().spliterator();
          }
          case "map" -> {
            @SuppressWarnings("unchecked")
            Function<T, Object> mapper = (Function<T, Object>) args[0];
            return new ListIterable<>(
                () -> {
                  List<Object> mapped = new ArrayList<>();
                  for (T document : results()) {
                    mapped.add(mapper.apply(document));
                  }
                  return mapped;
                });
          }
          default -> {
            // over the wire
          }
        }
      }
      return call(onWire(), method, args);
    }

    private List<T> results() {
      return collection.query(filter, projection, sort, skip, limit);
    }

    /** The same find on the wire, with every option given so far. */
    private FindIterable<T> onWire() throws Throwable {
      FindIterable<T> find = filter == null ? wire.find() : wire.find(filter);
      for (BuilderCall builder : calls) {
        @SuppressWarnings("unchecked")
        FindIterable<T> next = (FindIterable<T>) call(find, builder.method(), builder.args());
        find = next;
      }
      return find;
    }
  }

  private record BuilderCall(Method method, Object[] args) {}

  /** A result already read, iterable as often as asked (each time read again). */
  private static final class ListIterable<T> implements MongoIterable<T> {

    private final Supplier<List<T>> results;

    ListIterable(Supplier<List<T>> results) {
      this.results = results;
    }

    @Override
    public MongoCursor<T> iterator() {
      return new ListCursor<>(results.get());
    }

    @Override
    public MongoCursor<T> cursor() {
      return iterator();
    }

    @Override
    public T first() {
      List<T> all = results.get();
      return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public <U> MongoIterable<U> map(Function<T, U> mapper) {
      return new ListIterable<>(
          () -> {
            List<U> mapped = new ArrayList<>();
            for (T value : results.get()) {
              mapped.add(mapper.apply(value));
            }
            return mapped;
          });
    }

    @Override
    public <A extends Collection<? super T>> A into(A target) {
      target.addAll(results.get());
      return target;
    }

    @Override
    public MongoIterable<T> batchSize(int batchSize) {
      return this;
    }
  }

  /** A cursor over a result read in one batch: nothing to close on the server. */
  private static final class ListCursor<T> implements MongoCursor<T> {

    private final Iterator<T> results;
    private int left;

    ListCursor(List<T> results) {
      this.results = results.iterator();
      this.left = results.size();
    }

    @Override
    public void close() {
      left = 0;
    }

    @Override
    public boolean hasNext() {
      return left > 0 && results.hasNext();
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      left--;
      return results.next();
    }

    @Override
    public int available() {
      return left;
    }

    @Override
    public T tryNext() {
      return hasNext() ? next() : null;
    }

    @Override
    public ServerCursor getServerCursor() {
      return null;
    }

    @Override
    public ServerAddress getServerAddress() {
      return null;
    }
  }

  /**
   * Runs one command on the backend, on this thread; a write error or a failed command becomes the
   * exception the client would throw for the server's answer.
   */
  private Document run(String command, Document body) {
    Document response = runBatch(command, body);
    List<Document> errors = writeErrors(response);
    if (!errors.isEmpty()) {
      Document error = errors.get(0);
      throw new MongoWriteException(
          new WriteError(code(error), String.valueOf(error.get("errmsg")), details(error)),
          address,
          Set.of());
    }
    return response;
  }

  /** The write errors in a write command's answer, in the order of its documents. */
  private static List<Document> writeErrors(Document response) {
    List<Document> errors = new ArrayList<>();
    if (response.get("writeErrors") instanceof List<?> list) {
      for (Object error : list) {
        errors.add((Document) error);
      }
    }
    return errors;
  }

  private static int code(Document writeError) {
    return ((Number) writeError.get("code")).intValue();
  }

  private static BsonDocument details(Document writeError) {
    return writeError.get("errInfo") instanceof Document info ? toClient(info) : new BsonDocument();
  }

  /** Runs one command on the backend; a failed command throws, write errors are in the answer. */
  private Document runBatch(String command, Document body) {
    Document response;
    try {
      response = backend.handleCommand(connections.get(), databaseName, command, body);
    } catch (MongoServerException e) {
      BsonDocument error = new BsonDocument();
      error.put("ok", new org.bson.BsonInt32(0));
      error.put("errmsg", new org.bson.BsonString(e.getMessageWithoutErrorCode()));
      if (e instanceof MongoServerError serverError) {
        error.put("code", new org.bson.BsonInt32(serverError.getCode()));
        if (serverError.getCodeName() != null) {
          error.put("codeName", new org.bson.BsonString(serverError.getCodeName()));
        }
      }
      throw new MongoCommandException(error, address);
    }
    return response;
  }

  @FunctionalInterface
  private interface Encoding {
    void write(BsonBinaryWriter writer);
  }

  /** The server's document for what {@code encoding} writes, through BSON bytes. */
  private static Document toServer(Encoding encoding) {
    BasicOutputBuffer out = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
      encoding.write(writer);
    }
    return BsonDecoder.decodeBson(
        Unpooled.wrappedBuffer(out.getInternalBuffer(), 0, out.getPosition()));
  }

  /** The client's BSON document for one of the server's, through BSON bytes. */
  private static BsonDocument toClient(Document document) {
    return new RawBsonDocument(BsonBytes.forThread().document(document).toByteArray());
  }
}
