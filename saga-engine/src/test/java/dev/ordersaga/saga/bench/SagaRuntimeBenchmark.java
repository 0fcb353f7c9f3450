package dev.ordersaga.saga.bench;

import static dev.ordersaga.saga.SampleOrders.placed;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.runtime.SagaRecords;
import dev.ordersaga.saga.runtime.SagaRuntime;
import dev.ordersaga.saga.runtime.TestSagaRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The saga engine alone: happy-path sagas (placed, paid, shipped, approved: four steps each) driven
 * straight into the runtime, as the events queue's workers would, on the store this machine gives
 * (MONGODB_URI, else the embedded server with an H2 file, as the laptop launcher runs it) and the
 * real broker (the commands are published and confirmed into queues nobody reads; the namespace is
 * deleted afterwards). Prints steps per second, step latency percentiles and CPU per step for 1 and
 * 16 sagas at once; asserts nothing. Argument: sagas per run (default 2000).
 */
public final class SagaRuntimeBenchmark {

  public static void main(String[] args) throws Exception {
    int sagas = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Path data = Files.createTempDirectory("saga-runtime-bench");
    try (TestRabbit rabbit = TestRabbit.start(Topology.DEFAULT_MAX_DELIVERIES);
        Store store = Store.open(Store.uriFromEnvironment(), "sagas", Store.Embedded.FILE, data)) {
      SagaJournal journal = TestSagaRuntimes.journal(store);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      ConfirmingPublisher publisher =
          TestSagaRuntimes.publisher(
              rabbit.connection(), rabbit.topology(), Duration.ofSeconds(10), "bench");
      SagaRuntime runtime =
          TestSagaRuntimes.runtime(
              new SagaRecords(store.database()),
              store,
              journal,
              publisher,
              meters,
              new SagaSettings(null, null, 0));
      System.out.printf("saga runtime on %s, %d sagas a run%n", store.description(), sagas);
      run(runtime, Math.min(200, sagas), 4); // warm-up
      System.out.println("  in flight | steps/s | step p50 ms | p99 ms | CPU per step ms");
      for (int concurrency : new int[] {1, 16}) {
        run(runtime, sagas, concurrency);
      }
      publisher.close();
    }
  }

  private static void run(SagaRuntime runtime, int sagas, int concurrency) throws Exception {
    long[] latencies = new long[sagas * 4];
    AtomicInteger next = new AtomicInteger();
    long cpuBefore = processCpuNanos();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        runs.add(
            pool.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < sagas) {
                    String orderId = MessageIds.newSagaId();
                    int at = i * 4;
                    latencies[at] = timed(runtime, envelope(placed(orderId), null));
                    latencies[at + 1] =
                        timed(
                            runtime,
                            envelope(
                                new PaymentAuthorized(orderId, "pay", Money.of("33.00", "EUR")),
                                MessageIds.forStep(orderId, "AUTHORIZE_PAYMENT", 1)));
                    latencies[at + 2] =
                        timed(
                            runtime,
                            envelope(
                                new ShipmentScheduled(orderId, "shp", "CJ", "CJ1"),
                                MessageIds.forStep(orderId, "SCHEDULE_SHIPMENT", 1)));
                    latencies[at + 3] =
                        timed(
                            runtime,
                            envelope(
                                new OrderApproved(orderId),
                                MessageIds.forStep(orderId, "APPROVE_ORDER", 1)));
                  }
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuMillis = (processCpuNanos() - cpuBefore) / 1e6;
    Arrays.sort(latencies);
    System.out.printf(
        "  %9d | %7.0f | %11.2f | %6.2f | %15.3f%n",
        concurrency,
        latencies.length / seconds,
        latencies[latencies.length / 2] / 1e6,
        latencies[(int) (latencies.length * 0.99)] / 1e6,
        cpuMillis / latencies.length);
  }

  private static long timed(SagaRuntime runtime, Envelope<?> message) {
    long begin = System.nanoTime();
    runtime.handle(message);
    return System.nanoTime() - begin;
  }

  private static <T extends dev.ordersaga.messaging.Message> Envelope<T> envelope(
      T payload, String causationId) {
    return Envelope.of(UUID.randomUUID().toString(), causationId, Instant.now(), Map.of(), payload);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
