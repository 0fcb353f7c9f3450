package dev.ordersaga.messaging.bench;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Uris;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.inbox.Inbox;
import dev.ordersaga.messaging.inbox.MongoInbox;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.MessageConsumer;
import dev.ordersaga.messaging.rabbit.MessagingMetrics;
import dev.ordersaga.messaging.rabbit.RedeliveryBackoff;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prints what the messaging path costs on this machine, against the real broker and the test store:
 * confirmed publishes per second (1 and 4 publishing threads), and publish-to-handled latency
 * percentiles and throughput through the consumer with its inbox. Not a test: it asserts nothing
 * and is run by hand, see messaging/README.md.
 *
 * <p>Arguments: messages per run (default 5000).
 */
public final class MessagingBenchmark {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    WireCodec codec = new WireCodec(MessageTypes.orderSaga());
    try (TestRabbit rabbit = TestRabbit.start(5);
        Store store = TestStores.open()) {
      System.out.printf(
          "messaging benchmark: %d messages a run, broker %s, store %s%n",
          messages, Uris.withoutCredentials(rabbit.uri()), store.description());
      MessagingMetrics metrics = MessagingMetrics.inMemory();
      try (ConfirmingPublisher publisher =
          new ConfirmingPublisher(
              rabbit.connection(),
              rabbit.topology(),
              codec,
              metrics,
              Duration.ofSeconds(30),
              "bench")) {
        publishRun(rabbit, publisher, messages / 5, 1); // warm-up
        publishRun(rabbit, publisher, messages, 1);
        publishRun(rabbit, publisher, messages, 4);
        consumeRun(rabbit, publisher, codec, metrics, store, messages);
      }
    }
  }

  private static void publishRun(
      TestRabbit rabbit, ConfirmingPublisher publisher, int messages, int threads)
      throws Exception {
    String queue = rabbit.topology().name(OrderChannels.COMMAND_QUEUE);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long[] latencies = new long[messages];
    long started = System.nanoTime();
    List<Future<?>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      results.add(
          pool.submit(
              () -> {
                for (int i = first; i < messages; i += threads) {
                  long begin = System.nanoTime();
                  publisher.publish(TestMessages.approveOrder());
                  latencies[i] = System.nanoTime() - begin;
                }
              }));
    }
    for (Future<?> result : results) {
      result.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    System.out.printf(
        "publish with confirm, %d thread(s): %,.0f msg/s; confirm wait %s%n",
        threads, messages / seconds, percentiles(latencies));
    rabbit.drain(queue);
  }

  private static void consumeRun(
      TestRabbit rabbit,
      ConfirmingPublisher publisher,
      WireCodec codec,
      MessagingMetrics metrics,
      Store store,
      int messages)
      throws Exception {
    Inbox inbox = new MongoInbox(store.database(), Duration.ofDays(1), Clock.systemUTC());
    long[] latencies = new long[messages];
    CountDownLatch handled = new CountDownLatch(messages);
    int[] next = {0};
    try (MessageConsumer consumer =
        new MessageConsumer(
            rabbit.connection(),
            rabbit.topology(),
            codec,
            publisher,
            inbox,
            metrics,
            "bench",
            50,
            1,
            RedeliveryBackoff.DEFAULT,
            Clock.systemUTC())) {
      consumer.subscribe(
          OrderChannels.COMMAND_QUEUE,
          envelope -> {
            latencies[next[0]++] = Duration.between(envelope.occurredAt(), Instant.now()).toNanos();
            handled.countDown();
          });
      long started = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        publisher.publish(
            Envelope.of(
                java.util.UUID.randomUUID().toString(),
                null,
                Instant.now(),
                Map.of(),
                new ApproveOrder("order-" + i)));
      }
      if (!handled.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not all messages were handled");
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      Runtime runtime = Runtime.getRuntime();
      System.out.printf(
          "publish -> handle (inbox on the store, 1 publisher, prefetch 50): %,.0f msg/s;"
              + " end-to-end %s%n",
          messages / seconds, percentiles(latencies));
      System.out.printf(
          "heap used after the runs: %,d MiB of %,d MiB max%n",
          (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);
    }
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
        at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
  }

  private static double at(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }
}
