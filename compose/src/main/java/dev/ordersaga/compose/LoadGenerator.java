package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places N orders at a given concurrency with a given mix of outcomes, waits for every saga to end,
 * and prints sagas per second, end-to-end latency (order placed to final status) and the outcome
 * counts. Each worker places an order and follows it to its end before placing the next, so the
 * concurrency is the number of sagas in flight.
 */
public final class LoadGenerator {

  /** What to run. Percentages are of all orders. */
  public record Plan(int orders, int concurrency, int declinedPercent, int undeliverablePercent) {}

  /** What a run measured. */
  public record Result(
      int orders,
      double seconds,
      long[] latenciesMillis,
      Map<String, Integer> outcomes,
      int unfinished) {

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
  }

  /** How many shopper accounts the orders are spread over, each its own customer. */
  public static final int CUSTOMERS = 20;

  private LoadGenerator() {}

  /** The user name (and customer id) of the {@code i}-th load shopper. */
  public static String customer(int i) {
    return "load-" + i;
  }

  /** Runs the plan as {@link #CUSTOMERS} shoppers, {@code load-0} and up, who share a password. */
  public static Result run(Plan plan, int orderServicePort, String password) throws Exception {
    List<ShopperClient> shoppers = new ArrayList<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      shoppers.add(new ShopperClient(orderServicePort, customer(c), password));
    }
    long[] latencies = new long[plan.orders()];
    String[] outcomes = new String[plan.orders()];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency());
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
                  JsonNode order =
                      shopper.awaitFinal(orderId, Duration.ofMinutes(5), Duration.ofMillis(20));
                  latencies[i] = (System.nanoTime() - begin) / 1_000_000;
                  outcomes[i] = order.path("status").asText() + reasonSuffix(order);
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    Map<String, Integer> counts = new TreeMap<>();
    int unfinished = 0;
    for (String outcome : outcomes) {
      counts.merge(outcome, 1, Integer::sum);
      if (outcome.startsWith("PENDING")) {
        unfinished++;
      }
    }
    return new Result(plan.orders(), seconds, latencies, counts, unfinished);
  }

  public static void print(Plan plan, Result result, PrintStream out) {
    Runtime runtime = Runtime.getRuntime();
    out.printf(
        "%nload: %d orders, concurrency %d, %d%% declined, %d%% undeliverable%n",
        plan.orders(), plan.concurrency(), plan.declinedPercent(), plan.undeliverablePercent());
    out.printf("  %.1f sagas/s over %.1f s%n", result.sagasPerSecond(), result.seconds());
    out.printf(
        "  end-to-end latency (placed -> final status): p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        result.percentile(0.50),
        result.percentile(0.95),
        result.percentile(0.99),
        result.percentile(1.0));
    out.println(
        "  outcomes: "
            + result.outcomes()
            + (result.unfinished() > 0 ? "  UNFINISHED: " + result.unfinished() : ""));
    out.printf(
        "  heap of the one JVM running all five apps: %d MiB used, %d MiB committed%n",
        (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.totalMemory() >> 20);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode body(Plan plan, int i) {
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
