package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
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

  private Demo() {}

  public static void run(Map<String, Integer> ports, PrintStream out) throws Exception {
    ShopperClient shopper = new ShopperClient(ports.get("order-service"));
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
      JsonNode order =
          shopper.awaitFinal(entry.getKey(), Duration.ofMinutes(2), Duration.ofMillis(200));
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
    String first = placed.keySet().iterator().next();
    out.printf(
        "%nLook closer: http://localhost:%d/orders/%s, http://localhost:%d/sagas/%s,"
            + " http://localhost:%d/payments?orderId=%s, http://localhost:%d/notices?orderId=<id>%n",
        ports.get("order-service"),
        first,
        ports.get("saga-engine"),
        first,
        ports.get("payment-service"),
        first,
        ports.get("notifier"));
  }
}
