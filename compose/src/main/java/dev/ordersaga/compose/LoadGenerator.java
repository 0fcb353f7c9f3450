package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.order.orders.Order;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Places N orders at a given concurrency with a given mix of outcomes, waits for every saga to end,
 * and prints sagas per second (over the run, and over its first and last orders to finish, so a
 * long run shows whether it slows down), end-to-end latency (order placed to final status), the
 * outcome counts, the heap the one JVM used and its CPU time per saga. Each worker places an order
 * (POST /orders, as a shopper), learns its end, then places the next: the concurrency is the number
 * of sagas in flight. It learns the end as {@link Follow} says: from order-service in the same JVM
 * at the moment the final status is written (the default: the observer costs the system nothing),
 * or as a shopper would, with long polls ({@code Prefer: wait=30}, one more request per order).
 */
public final class LoadGenerator {

  /** How many shopper accounts the orders are spread over, each its own customer. */
  public static final int CUSTOMERS = 20;

  /** The most orders a throughput window of {@link Result#windowSize} holds. */
  static final int WINDOW = 1_000;

  /** How the workers learn that an order ended. */
  public enum Follow {
    /**
     * Told by order-service in the same JVM as it writes the final status ({@link FinishedOrders}).
     */
    EVENTS,
    /** {@code GET /orders/{id}} with {@code Prefer: wait=30}, as a shopper's client would. */
    LONG_POLL
  }

  /**
   * What to run. Percentages are of all orders.
   *
   * @param providerLatencyMillis how long each call to the simulated payment provider and to the
   *     simulated carrier takes
   * @param warmup orders placed (the same mix, the same concurrency) before the measured ones and
   *     left out of every figure, as the Camunda peer's benchmark leaves out its warm-up (300 by
   *     default, as here): the JIT compiles the hot code meanwhile. Both systems go on getting
   *     faster for thousands of orders more (see compose/README.md); compare them at the same
   *     warm-up
   * @param follow how a worker learns that its order ended
   */
  public record Plan(
      int orders,
      int concurrency,
      int declinedPercent,
      int undeliverablePercent,
      int providerLatencyMillis,
      int warmup,
      Follow follow) {

    /**
     * Today's defaults: 200 orders, 8 in flight, 10% declined, 5% undeliverable, 50 ms, 300 warm-up
     * orders (the Camunda peer's default).
     */
    public static final Plan DEFAULT = new Plan(200, 8, 10, 5, 50, 300);

    /**
     * A plan whose workers are told of each order's end in the same JVM ({@link Follow#EVENTS}).
     */
    public Plan(
        int orders,
        int concurrency,
        int declinedPercent,
        int undeliverablePercent,
        int providerLatencyMillis,
        int warmup) {
      this(
          orders,
          concurrency,
          declinedPercent,
          undeliverablePercent,
          providerLatencyMillis,
          warmup,
          Follow.EVENTS);
    }

    public Plan {
      Objects.requireNonNull(follow, "follow");
      require(orders >= 1, "--orders must be at least 1");
      require(concurrency >= 1 && concurrency <= 1000, "--concurrency must be 1 to 1000");
      require(declinedPercent >= 0 && declinedPercent <= 100, "--declined must be 0 to 100");
      require(
          undeliverablePercent >= 0 && undeliverablePercent <= 100,
          "--undeliverable must be 0 to 100");
      require(
          declinedPercent + undeliverablePercent <= 100,
          "--declined and --undeliverable together must be at most 100");
      require(
          providerLatencyMillis >= 0 && providerLatencyMillis <= 60_000,
          "--provider-latency-ms must be 0 to 60000");
      require(warmup >= 0, "--warmup must be 0 or more");
    }

    /** The warm-up run: this plan's mix and concurrency, {@link #warmup} orders. */
    public Plan warmupRun() {
      return new Plan(
          Math.max(warmup, 1),
          concurrency,
          declinedPercent,
          undeliverablePercent,
          providerLatencyMillis,
          0,
          follow);
    }

    /** The settings that give the simulated provider and carrier this plan's latency. */
    public Map<String, String> latencySettings() {
      String latency = providerLatencyMillis + "ms";
      return Map.of("payment.provider.latency", latency, "shipping.carrier.latency", latency);
    }

    private static void require(boolean condition, String problem) {
      if (!condition) {
        throw new IllegalArgumentException(problem);
      }
    }
  }

  /**
   * What a run measured.
   *
   * @param latenciesMillis per order, placed to final status
   * @param finishedNanos per order, when it was seen final (or given up), from the run's start
   */
  public record Result(
      int orders,
      double seconds,
      long[] latenciesMillis,
      long[] finishedNanos,
      Map<String, Integer> outcomes,
      int unfinished,
      HeapWatch.Peaks heap,
      CpuWatch.Usage cpu) {

    public double sagasPerSecond() {
      return orders / seconds;
    }

    public long percentile(double q) {
      long[] sorted = latenciesMillis.clone();
      Arrays.sort(sorted);
      return sorted.length == 0
          ? 0
          : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** The orders in each throughput window: {@value #WINDOW}, or a tenth of a shorter run. */
    public int windowSize() {
      return Math.max(1, Math.min(WINDOW, orders / 10));
    }

    /** Sagas per second from the run's start until the first {@link #windowSize} had finished. */
    public double firstWindowPerSecond() {
      long[] finished = sortedFinishes();
      return perSecond(windowSize(), finished[windowSize() - 1]);
    }

    /** Sagas per second while the last {@link #windowSize} finished. */
    public double lastWindowPerSecond() {
      long[] finished = sortedFinishes();
      int before = finished.length - windowSize() - 1;
      long from = before >= 0 ? finished[before] : 0;
      return perSecond(windowSize(), finished[finished.length - 1] - from);
    }

    private long[] sortedFinishes() {
      long[] sorted = finishedNanos.clone();
      Arrays.sort(sorted);
      return sorted;
    }

    private static double perSecond(int sagas, long nanos) {
      return nanos <= 0 ? 0 : sagas / (nanos / 1e9);
    }
  }

  private LoadGenerator() {}

  /** The user name (and customer id) of the {@code i}-th load shopper. */
  public static String customer(int i) {
    return "load-" + i;
  }

  /**
   * Runs the plan as {@link #CUSTOMERS} shoppers, {@code load-0} and up, who share a password.
   *
   * @param finishedOrders order-service's news of finished orders, for {@link Follow#EVENTS}
   */
  public static Result run(
      Plan plan, int orderServicePort, String password, FinishedOrders finishedOrders)
      throws Exception {
    List<ShopperClient> shoppers = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      shoppers.add(new ShopperClient(orderServicePort, customer(c), password));
    }
    long[] latencies = new long[plan.orders()];
    long[] finished = new long[plan.orders()];
    String[] outcomes = new String[plan.orders()];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency());
    HeapWatch heap = new HeapWatch();
    CpuWatch cpu = new CpuWatch();
    long started = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < plan.concurrency(); w++) {
      workers.add(
          pool.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < plan.orders()) {
                  long begin = System.nanoTime();
                  ShopperClient shopper = shoppers.get(i % CUSTOMERS);
                  String orderId = shopper.place(body(plan, i), "load-" + i + "-" + started);
                  String outcome =
                      plan.follow() == Follow.EVENTS
                          ? outcome(finishedOrders, shopper, orderId)
                          : outcome(shopper.awaitFinal(orderId, AT_MOST));
                  long end = System.nanoTime();
                  latencies[i] = (end - begin) / 1_000_000;
                  finished[i] = end - started;
                  outcomes[i] = outcome;
                }
                return null;
              }));
    }
    double seconds;
    HeapWatch.Peaks peaks;
    CpuWatch.Usage used;
    try {
      for (Future<?> worker : workers) {
        worker.get();
      }
      seconds = (System.nanoTime() - started) / 1e9;
      peaks = heap.stop();
      used = cpu.stop();
    } finally {
      pool.shutdownNow();
      heap.close();
    }
    Map<String, Integer> counts = new TreeMap<>();
    int unfinished = 0;
    for (String outcome : outcomes) {
      counts.merge(outcome, 1, Integer::sum);
      if (outcome.startsWith("PENDING")) {
        unfinished++;
      }
    }
    return new Result(plan.orders(), seconds, latencies, finished, counts, unfinished, peaks, used);
  }

  /** How long a worker waits for its order to end before it counts it unfinished. */
  private static final Duration AT_MOST = Duration.ofMinutes(5);

  private static String outcome(FinishedOrders finishedOrders, ShopperClient shopper, String id)
      throws Exception {
    Optional<Order> order = finishedOrders.await(id, AT_MOST);
    if (order.isEmpty()) {
      return outcome(shopper.order(id)); // as it stands: PENDING counts as unfinished
    }
    RejectionReason reason = order.get().reason();
    return order.get().status() + (reason == null ? "" : "/" + reason);
  }

  private static String outcome(JsonNode order) {
    return order.path("status").asText() + reasonSuffix(order);
  }

  /** Prints the run in a few lines meant to be pasted as they are. */
  public static void print(Plan plan, Result result, PrintStream out) {
    out.printf(
        "%nload: %d orders, concurrency %d, %d%% declined, %d%% undeliverable,"
            + " provider and carrier latency %d ms, after %d warm-up orders%n",
        plan.orders(),
        plan.concurrency(),
        plan.declinedPercent(),
        plan.undeliverablePercent(),
        plan.providerLatencyMillis(),
        plan.warmup());
    out.printf(
        "  throughput: %.1f sagas/s over %.1f s%n", result.sagasPerSecond(), result.seconds());
    out.printf(
        "  first %d to finish: %.1f sagas/s; last %d: %.1f sagas/s%n",
        result.windowSize(),
        result.firstWindowPerSecond(),
        result.windowSize(),
        result.lastWindowPerSecond());
    out.printf(
        "  latency, placed to final status: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        result.percentile(0.50),
        result.percentile(0.95),
        result.percentile(0.99),
        result.percentile(1.0));
    out.println(
        "  outcomes: "
            + result.outcomes().entrySet().stream()
                .map(outcome -> outcome.getKey() + " " + outcome.getValue())
                .collect(Collectors.joining(", "))
            + (result.unfinished() > 0 ? "; UNFINISHED " + result.unfinished() : ""));
    HeapWatch.Peaks heap = result.heap();
    out.printf(
        "  heap of the one JVM (all five apps), from GC notifications: peak used %d MiB,"
            + " peak after a GC %d MiB, %d GCs, max %d MiB%n",
        heap.usedBytes() >> 20, heap.liveBytes() >> 20, heap.collections(), heap.maxBytes() >> 20);
    CpuWatch.Usage cpu = result.cpu();
    out.printf(
        "  CPU of the one JVM (five apps, this load generator, GC and JIT): %.1f ms per saga,"
            + " %.0f%% of %d cores%n",
        cpu.cpuMillis() / (double) result.orders(),
        100 * cpu.cpuMillis() / (result.seconds() * 1000 * cpu.cores()),
        cpu.cores());
  }

  private static ObjectNode body(Plan plan, int i) {
    int roll = ThreadLocalRandom.current().nextInt(100);
    String token = roll < plan.declinedPercent() ? "pm_card_chargeDeclined" : "pm_card_visa";
    String country =
        roll >= plan.declinedPercent()
                && roll < plan.declinedPercent() + plan.undeliverablePercent()
            ? "AQ"
            : "KR";
    return ShopperClient.order(customer(i % CUSTOMERS), i % 2 == 0 ? "ko" : "en", country, token);
  }

  private static String reasonSuffix(JsonNode order) {
    String reason = order.path("reason").asText("");
    return reason.isEmpty() ? "" : "/" + reason;
  }
}
