package dev.ordersaga.saga.bench;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.saga.OperatorAction;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import dev.ordersaga.saga.view.SagaQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * How the operator API's reads of the status board behave as it grows: on the store this machine
 * gives (MONGODB_URI, else the embedded server with an H2 file, as the laptop launcher uses; it
 * ignores non-unique indexes, so every filter scans), it writes saga statuses up to the target and,
 * at each checkpoint, times a first page of 50 with no filter, a page by customer, by state, the
 * stuck listing, a page deep in the listing (by cursor), and one run of the stuck scan. Prints
 * figures; asserts nothing. Argument: sagas in all (default 50000).
 */
public final class OpsQueryBenchmark {

  private static final SagaState[] STATES = {
    SagaState.COMPLETED,
    SagaState.COMPLETED,
    SagaState.COMPLETED,
    SagaState.COMPENSATED,
    SagaState.AWAITING_PAYMENT,
    SagaState.AWAITING_SHIPMENT,
    SagaState.COMPENSATION_FAILED,
    SagaState.PARKED
  };

  public static void main(String[] args) throws Exception {
    int target = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    Path data = Files.createTempDirectory("ops-query");
    try (Store store =
        Store.open(Store.uriFromEnvironment(), "opsquery", Store.Embedded.FILE, data)) {
      MongoSagaStatusBoard board = new MongoSagaStatusBoard(store.database());
      MongoCollection<Document> sagas =
          store.database().getCollection(MongoSagaStatusBoard.COLLECTION);
      System.out.printf("status board reads on %s%n", store.description());
      System.out.println(
          "   sagas | page ms | by customer ms | by state ms | stuck ms | deep page ms | stuck scan ms");
      Instant start = Instant.parse("2026-11-01T00:00:00Z");
      Instant now = start.plusSeconds(target + 3600L);
      int written = 0;
      for (int checkpoint : new int[] {1_000, 10_000, 25_000, 50_000, 100_000}) {
        if (checkpoint > target) {
          break;
        }
        for (; written < checkpoint; written++) {
          SagaStatus status = status(written, start.plusSeconds(written));
          Document saga = new Document("_id", status.orderId());
          saga.putAll(MongoSagaStatusBoard.fields(status));
          sagas.replaceOne(
              Filters.eq("_id", status.orderId()), saga, new ReplaceOptions().upsert(true));
        }
        Instant dueBefore = now.minusSeconds(30);
        String customer = "cust-" + (written / 3 % 1000);
        MongoSagaStatusBoard.Position middle =
            new MongoSagaStatusBoard.Position(start.plusSeconds(written / 2), "");
        System.out.printf(
            "  %6d | %7.1f | %14.1f | %11.1f | %8.1f | %12.1f | %13.1f%n",
            written,
            time(() -> board.search(query(null, null, null, null), null, 50)),
            time(() -> board.search(query(null, customer, null, null), null, 50)),
            time(
                () ->
                    board.search(
                        query(Set.of(SagaState.COMPENSATION_FAILED), null, null, null), null, 50)),
            time(() -> board.search(query(null, null, true, dueBefore), null, 50)),
            time(() -> board.search(query(null, null, null, null), middle, 50)),
            time(
                () -> {
                  board.flagStuck(dueBefore, now);
                  return board.countStuck(dueBefore);
                }));
      }
    }
  }

  private static SagaQuery query(
      Set<SagaState> states, String customerId, Boolean stuck, Instant dueBefore) {
    return new SagaQuery(states, null, null, customerId, null, null, null, stuck, dueBefore);
  }

  private static SagaStatus status(int i, Instant startedAt) {
    SagaState state = STATES[i % STATES.length];
    boolean waiting = state == SagaState.AWAITING_PAYMENT || state == SagaState.AWAITING_SHIPMENT;
    return new SagaStatus(
        "order-" + i,
        state,
        waiting ? Step.AUTHORIZE_PAYMENT : null,
        1,
        state == SagaState.COMPENSATED ? "PAYMENT_DECLINED" : null,
        null,
        false,
        startedAt,
        startedAt.plusSeconds(1),
        "cust-" + (i % 1000),
        "cust-" + (i % 1000) + "@example.com",
        state == SagaState.PARKED ? SagaState.AWAITING_PAYMENT : null,
        waiting ? startedAt.plusSeconds(10) : null,
        null,
        state == SagaState.PARKED
            ? new SagaStatus.LastAction("a-" + i, OperatorAction.PARK, true, null)
            : null);
  }

  /** Mean of 5 runs after one warm-up, in ms. */
  private static double time(Supplier<Object> read) {
    read.get();
    long begin = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      read.get();
    }
    return (System.nanoTime() - begin) / 1e6 / 5;
  }

  private OpsQueryBenchmark() {}
}
