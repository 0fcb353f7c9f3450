package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places a mix of orders (paid and shipped, declined, undeliverable, flaky provider) against the
 * running system and prints how each one ended, so a newcomer sees the whole saga in a minute.
 */
public final class Demo {

  private record Case(String title, String customer, String locale, String country, String token) {}

  private static final List<Case> CASES =
      List.of(
          new Case("paid, shipped, approved", "demo-minji", "ko", "KR", "pm_card_visa"),
          new Case("card declined", "demo-alex", "en", "US", "pm_card_chargeDeclined"),
          new Case("insufficient funds", "demo-jisoo", "ko", "KR", "pm_card_insufficientFunds"),
          new Case("undeliverable (Antarctica)", "demo-sam", "en", "AQ", "pm_card_visa"),
          new Case("flaky payment provider", "demo-hana", "ko", "KR", "pm_card_flaky"));

  private static String sagaState(ShopperClient shopper, String url, String password) {
    try {
      return shopper.get(url, "operator", password).path("state").asText();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private Demo() {}

  /** Saga deadlines short enough for the demo's incident to happen within seconds. */
  public static final Map<String, String> SETTINGS =
      Map.of("saga.step-timeout", "3s", "saga.max-step-timeout", "6s", "saga.max-attempts", "4");

  /**
   * Places the demo orders, prints how each ended, then makes one incident for operators: an order
   * to Antarctica paid with a card whose first refund the provider refuses ends COMPENSATION_FAILED
   * at once (the shopper sees REFUND_PENDING); an operator's retry gets the refund made.
   */
  public static void run(
      Map<String, Integer> ports, String operatorPassword, ShopperClient shopper, PrintStream out)
      throws Exception {
    Map<String, Case> placed = new LinkedHashMap<>();
    out.println("\nDemo: placing " + CASES.size() + " orders");
    for (Case c : CASES) {
      placed.put(
          shopper.place(
              ShopperClient.order(c.customer(), c.locale(), c.country(), c.token()), null),
          c);
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Case> entry : placed.entrySet()) {
      JsonNode order = shopper.awaitFinal(entry.getKey(), Duration.ofMinutes(2));
      lines.add(
          String.format(
              "  %-28s %-9s %-22s %s",
              entry.getValue().title(),
              order.path("status").asText(),
              order.path("reason").asText(""),
              entry.getKey()));
    }
    out.println("  case                         status    reason                 orderId");
    lines.forEach(out::println);
    String incident =
        shopper.place(ShopperClient.order("demo-ops", "en", "AQ", "pm_card_refundFailsOnce"), null);
    out.println(
        "\nAn incident for operators: an undeliverable order whose refund the provider refuses ...");
    String sagaUrl = "http://localhost:" + ports.get("saga-engine") + "/sagas/" + incident;
    String state = "";
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!state.equals("COMPENSATION_FAILED") && System.nanoTime() < deadline) {
      Thread.sleep(500);
      state = sagaState(shopper, sagaUrl, operatorPassword);
    }
    out.printf(
        "  saga %s is %s (the shopper sees REFUND_PENDING and got a notice that the refund is"
            + " delayed). Find it in the console (http://localhost:%d/console/, state"
            + " COMPENSATION_FAILED), read why, and retry it: the provider makes the refund this"
            + " time.%n",
        incident, state, ports.get("saga-engine"));
    String first = placed.keySet().iterator().next();
    out.printf(
        "%nLook closer: http://localhost:%d/orders/%s (as the shopper); as the analyst:"
            + " http://localhost:%d/sagas/%s, http://localhost:%d/payments?orderId=%s,"
            + " http://localhost:%d/notices?orderId=<id>%n",
        ports.get("order-service"),
        first,
        ports.get("saga-engine"),
        first,
        ports.get("payment-service"),
        first,
        ports.get("notifier"));
  }
}
