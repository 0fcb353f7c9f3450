package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Sorts;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalTypes;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.store.AxonStoreConfiguration;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;

/**
 * Export throughput and page times of the analyst API (DESIGN.md, "Stores": measure on the store a
 * laptop has). On the store this machine gives (MONGODB_URI, else the embedded server with an H2
 * file, as the launcher uses; argument {@code memory} for the in-memory one), appends completed
 * order sagas (7 journal entries each, with the journal's metadata and real payloads) through the
 * Axon storage engine up to the target, then streams every event through {@link EventExporter} as
 * NDJSON and as CSV to a byte counter, and reads the same cursor alone for comparison; then times
 * pages of 100. Prints rows/s, bytes and the heap in use (sampled every 10 ms; with the embedded
 * store the heap holds the store too). Asserts nothing. Arguments: events in all (default 100000),
 * then {@code file} or {@code memory}.
 */
public final class EventExportBenchmark {

  public static void main(String[] args) throws Exception {
    int target = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Store.Embedded embedded =
        args.length > 1 && args[1].equals("memory") ? Store.Embedded.MEMORY : Store.Embedded.FILE;
    Path data = Files.createTempDirectory("event-export");
    try {
      run(target, embedded, data);
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static void run(int target, Store.Embedded embedded, Path data) throws Exception {
    try (Store store = Store.open(Store.uriFromEnvironment(), "export", embedded, data)) {
      JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
      EventStorageEngine engine =
          AxonStoreConfiguration.mongoEventStorage(
              DefaultMongoTemplate.builder()
                  .mongoDatabase(store.client(), store.database().getName())
                  .build(),
              serializer,
              serializer);
      System.out.printf("event export on %s, %d events%n", store.description(), target);

      long begin = System.nanoTime();
      int written = append(engine, target);
      System.out.printf(
          "  appended %d events in %.1f s%n", written, (System.nanoTime() - begin) / 1e9);

      ObjectMapper json =
          new ObjectMapper()
              .registerModule(new JavaTimeModule())
              .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
      JournalReader reader = new JournalReader(store.database(), JournalTypes.orderSaga(), json);
      EventExporter exporter = new EventExporter(reader, json, 1000);
      EventFilter everything = new EventFilter(Set.of(), Set.of(), Set.of(), null, null, null);
      System.out.println(
          "  run                       | rows    | rows/s  | MB out | heap before MB | peak heap MB");
      measure("store cursor only", () -> readOnly(store));
      measure("ndjson (first, cold JIT)", () -> export(exporter, everything, ExportFormat.NDJSON));
      measure("ndjson", () -> export(exporter, everything, ExportFormat.NDJSON));
      measure("csv", () -> export(exporter, everything, ExportFormat.CSV));
      EventFilter payments =
          new EventFilter(Set.of(), Set.of(), Set.of("payment"), null, null, null);
      measure("ndjson service=payment", () -> export(exporter, payments, ExportFormat.NDJSON));

      Document middle =
          store
              .database()
              .getCollection(SagaJournal.EVENTS_COLLECTION)
              .find()
              .sort(JournalReader.RECORDED_ORDER)
              .skip(written / 2)
              .first();
      JournalReader.Position half =
          new JournalReader.Position(
              middle.getString("timestamp"), middle.getString("eventIdentifier"));
      EventFilter oneSaga =
          new EventFilter(
              Set.of(middle.getString("aggregateIdentifier")),
              Set.of(),
              Set.of(),
              null,
              null,
              null);
      EventFilter approvals =
          new EventFilter(Set.of(), Set.of("order.OrderApproved"), Set.of(), null, null, null);
      System.out.println("  page of 100                        | ms (mean of 5)");
      timePage(
          "first page, no filter",
          () -> reader.page(everything.toJournalQuery(reader.types()), null, 100));
      timePage(
          "page after the middle event",
          () -> reader.page(everything.toJournalQuery(reader.types()), half, 100));
      timePage(
          "one saga's events",
          () -> reader.page(oneSaga.toJournalQuery(reader.types()), null, 100));
      timePage(
          "first page of one wire type",
          () -> reader.page(approvals.toJournalQuery(reader.types()), null, 100));
    }
  }

  private static void timePage(String name, Supplier<JournalReader.Page> page) {
    page.get();
    long begin = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      page.get();
    }
    System.out.printf("  %-34s | %8.1f%n", name, (System.nanoTime() - begin) / 1e6 / 5);
  }

  /** Rows and bytes of one run. */
  private record Result(long rows, long bytes) {}

  private interface Run {
    Result run() throws Exception;
  }

  private static void measure(String name, Run run) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    long begin = System.nanoTime();
    Result result = run.run();
    double seconds = (System.nanoTime() - begin) / 1e9;
    running.set(false);
    sampler.join();
    System.out.printf(
        "  %-25s | %7d | %7.0f | %6.1f | %14.0f | %12.0f%n",
        name,
        result.rows(),
        result.rows() / seconds,
        result.bytes() / 1e6,
        before / 1e6,
        peak.get() / 1e6);
  }

  private static Result export(EventExporter exporter, EventFilter filter, ExportFormat format)
      throws Exception {
    CountingStream out = new CountingStream();
    long rows = exporter.export(filter, format, out);
    return new Result(rows, out.bytes);
  }

  private static Result readOnly(Store store) {
    long rows = 0;
    try (MongoCursor<Document> cursor =
        store
            .database()
            .getCollection(SagaJournal.EVENTS_COLLECTION)
            .find()
            .sort(Sorts.ascending("timestamp", "eventIdentifier"))
            .batchSize(1000)
            .iterator()) {
      while (cursor.hasNext()) {
        cursor.next();
        rows++;
      }
    }
    return new Result(rows, 0);
  }

  /** Appends completed sagas, seven entries each, as the journal writes them. */
  private static int append(EventStorageEngine engine, int target) {
    int written = 0;
    while (written < target) {
      String orderId = UUID.randomUUID().toString();
      Money total = Money.of("33.00", "EUR");
      List<Message> messages =
          List.of(
              new OrderPlaced(
                  orderId,
                  new Customer("cust-" + orderId.substring(0, 8), "minji@example.com", "ko"),
                  List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR"))),
                  total,
                  new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
                  "pm_card_visa"),
              new AuthorizePayment(orderId, "key-pay-" + orderId, "cust-1", total, "pm_card_visa"),
              new PaymentAuthorized(orderId, "pay-" + orderId, total),
              new ScheduleShipment(
                  orderId,
                  "key-ship-" + orderId,
                  new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
                  List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR")))),
              new ShipmentScheduled(orderId, "shp-" + orderId, "CJ", "CJ123456789"),
              new ApproveOrder(orderId),
              new OrderApproved(orderId));
      List<EventMessage<?>> stream = new ArrayList<>();
      String cause = null;
      for (int seq = 0; seq < messages.size() && written < target; seq++, written++) {
        Message message = messages.get(seq);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(SagaJournal.DIRECTION, seq % 2 == 1 ? "out" : "in");
        metadata.put(SagaJournal.MESSAGE_TYPE, Envelope.wireTypeOf(message.getClass()).name());
        metadata.put(SagaJournal.REVISION, 1);
        metadata.put(SagaJournal.OCCURRED_AT, now.toString());
        if (cause != null) {
          metadata.put(SagaJournal.CAUSATION_ID, cause);
        }
        stream.add(
            new GenericDomainEventMessage<>(
                SagaJournal.STREAM_TYPE, orderId, seq, message, metadata, id, now));
        cause = id;
      }
      engine.appendEvents(stream);
    }
    return written;
  }

  /** Counts what an export writes, and drops it. */
  private static final class CountingStream extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  private EventExportBenchmark() {}
}
