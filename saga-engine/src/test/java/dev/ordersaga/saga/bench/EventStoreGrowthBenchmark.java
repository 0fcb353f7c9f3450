package dev.ordersaga.saga.bench;

import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.runtime.TestSagaRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * How the event store's reads behave as it grows (DESIGN.md, "Stores"): on the store this machine
 * gives (MONGODB_URI, else the embedded server with an H2 file, as the laptop launcher uses), it
 * appends saga streams of 10 events up to the target size and, at each checkpoint, times one saga's
 * history (the {@code GET /sagas/{id}} read) and an append (one step's entries, as the saga runtime
 * writes them). Prints figures; asserts nothing. Argument: events in all (default 100000).
 */
public final class EventStoreGrowthBenchmark {

  private static final int EVENTS_PER_SAGA = 10;

  public static void main(String[] args) throws Exception {
    int target = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path data = Files.createTempDirectory("event-store-growth");
    try (Store store =
        Store.open(Store.uriFromEnvironment(), "growth", Store.Embedded.FILE, data)) {
      EventStorageEngine engine = TestSagaRuntimes.eventStorage(store);
      System.out.printf("event store growth on %s%n", store.description());
      System.out.println("  events | append batch/saga ms | history of one saga ms");
      int written = 0;
      String lastSaga = null;
      for (int checkpoint : new int[] {1_000, 10_000, 25_000, 50_000, 100_000}) {
        if (checkpoint > target) {
          break;
        }
        long appendNanos = 0;
        int sagas = 0;
        while (written < checkpoint) {
          lastSaga = UUID.randomUUID().toString();
          List<EventMessage<?>> stream = new ArrayList<>();
          for (int seq = 0; seq < EVENTS_PER_SAGA; seq++) {
            stream.add(
                new GenericDomainEventMessage<>(
                    SagaJournal.STREAM_TYPE,
                    lastSaga,
                    seq,
                    new OrderApproved(lastSaga),
                    Map.of(SagaJournal.DIRECTION, "in"),
                    UUID.randomUUID().toString(),
                    Instant.now()));
          }
          long begin = System.nanoTime();
          engine.appendEvents(stream);
          appendNanos += System.nanoTime() - begin;
          sagas++;
          written += EVENTS_PER_SAGA;
        }
        double appendMs = appendNanos / 1e6 / Math.max(sagas, 1);
        final String saga = lastSaga;
        double historyMs = timeMillis(() -> engine.readEvents(saga).asStream().count(), 20);
        System.out.printf("  %6d | %20.2f | %22.2f%n", written, appendMs, historyMs);
      }
    }
  }

  private static double timeMillis(java.util.function.Supplier<Long> read, int repeats) {
    read.get();
    long begin = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      read.get();
    }
    return (System.nanoTime() - begin) / 1e6 / repeats;
  }

  private EventStoreGrowthBenchmark() {}
}
