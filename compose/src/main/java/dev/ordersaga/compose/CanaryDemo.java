package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code --demo --canary}: a canary release of saga version v2 (which declines orders above 500.00
 * before charging them). First the replay check of v2 over the histories the demo recorded; then an
 * operator sends a quarter of new orders to v2, large orders come in, and the engine sees v2 fail
 * more often than v1 and stops routing to it by itself; the orders after that run on v1.
 */
final class CanaryDemo {

  /** Small enough a sample and window for the demo to decide within a few rounds of orders. */
  static final Map<String, String> SETTINGS =
      Map.of(
          "saga.canary.min-sample", "3",
          "saga.canary.margin", "0.2",
          "saga.canary.window", "10m");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PERCENT = 25;
  private static final int ROUND = 8;
  private static final int MAX_ORDERS = 96;
  private static final Set<String> ENDED =
      Set.of("COMPLETED", "COMPENSATED", "COMPENSATION_FAILED");

  private final HttpClient http = HttpClient.newHttpClient();
  private final String engine;
  private final String authorization;
  private final ShopperClient shopper;
  private final PrintStream out;

  private CanaryDemo(
      int enginePort, String operatorPassword, ShopperClient shopper, PrintStream out) {
    this.engine = "http://localhost:" + enginePort;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("operator:" + operatorPassword).getBytes(StandardCharsets.UTF_8));
    this.shopper = shopper;
    this.out = out;
  }

  static void run(
      Map<String, Integer> ports, String operatorPassword, ShopperClient shopper, PrintStream out)
      throws IOException, InterruptedException {
    new CanaryDemo(ports.get("saga-engine"), operatorPassword, shopper, out).run();
  }

  private void run() throws IOException, InterruptedException {
    out.println("\nChanging the saga safely: saga version v2 declines orders above 500.00.");
    JsonNode check =
        post("/ops/replay-check", "{\"candidate\": \"v2\", \"sample\": 200, \"reason\": \"demo\"}");
    out.printf(
        "1. Replay check of v2 over the %d sagas recorded so far: %d decided as recorded, %d"
            + " differ (the demo's orders are small: v2's new rule never fires on them).%n",
        check.path("checked").asInt(), check.path("same").asInt(), check.path("sagas").size());
    post(
        "/ops/canary",
        "{\"candidate\": \"v2\", \"percent\": "
            + PERCENT
            + ", \"reason\": \"demo: canary release of v2\"}");
    out.printf(
        "2. Canary: %d%% of new orders go to v2 (by order id); large orders (600.00 EUR) come"
            + " in.%n",
        PERCENT);
    Map<String, int[]> byVersion = new TreeMap<>();
    int placed = 0;
    JsonNode canary = get("/ops/canary");
    while (canary.path("split").path("state").asText().equals("ACTIVE") && placed < MAX_ORDERS) {
      round(byVersion);
      placed += ROUND;
      canary = get("/ops/canary");
    }
    byVersion.forEach(
        (version, counts) ->
            out.printf(
                "   %s: %d orders, %d approved, %d rejected%n",
                version, counts[0], counts[1], counts[0] - counts[1]));
    JsonNode split = canary.path("split");
    if (split.path("state").asText().equals("ROLLED_BACK")) {
      out.printf("3. The engine rolled v2 back by itself: %s%n", split.path("reason").asText());
      Map<String, int[]> after = new TreeMap<>();
      round(after);
      out.printf(
          "   The next %d orders all started on %s; sagas already on v2 finished on v2.%n",
          ROUND, String.join(", ", after.keySet()));
    } else {
      out.printf("3. No rollback yet: %s%n", canary.path("verdict").asText());
    }
    out.printf(
        "See it: ops-cli canary; ops-cli audit --action canary-rollback; ops-cli replay-check"
            + " --candidate v2; %s/console/ (a saga's page shows its version).%n",
        engine);
  }

  /** Places a round of large orders and counts how each ended, by the saga version that ran it. */
  private void round(Map<String, int[]> byVersion) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ROUND; i++) {
      ObjectNode order = ShopperClient.order("demo-canary", "en", "KR", "pm_card_visa");
      ((ObjectNode) order.path("items").get(0)).put("unitPrice", "300.00");
      ids.add(shopper.place(order, null));
    }
    for (String id : ids) {
      JsonNode order = shopper.awaitFinal(id, Duration.ofMinutes(1));
      String version = awaitSagaEnded(id).path("sagaVersion").asText("?");
      int[] counts = byVersion.computeIfAbsent(version, v -> new int[2]);
      counts[0]++;
      if (order.path("status").asText().equals("APPROVED")) {
        counts[1]++;
      }
    }
  }

  /**
   * The saga once it ended: it ends a moment after its order's final status (the order's
   * OrderApproved or OrderRejected is its last step), and the canary counts it only then.
   */
  private JsonNode awaitSagaEnded(String orderId) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode saga = get("/sagas/" + orderId);
    while (!ENDED.contains(saga.path("state").asText()) && System.nanoTime() < deadline) {
      Thread.sleep(50); // a demo's poll of the saga's state, not a wait in a test
      saga = get("/sagas/" + orderId);
    }
    return saga;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(engine + path)).GET(), path);
  }

  private JsonNode post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(engine + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        path);
  }

  private JsonNode send(HttpRequest.Builder request, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request.header("Authorization", authorization).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
