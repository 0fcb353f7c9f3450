package dev.ordersaga.compose;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.compose.SystemApi.Answer;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the running system says of one order, through its own APIs, against what must hold for it:
 * the shopper's {@code GET /orders/{id}}, payment-service's {@code GET /payments?orderId=},
 * shipping-service's {@code GET /shipments?orderId=}, notifier's {@code GET /notices?orderId=} and
 * saga-engine's {@code GET /sagas/{id}} (analyst account), and saga-engine's {@code GET
 * /ops/parked} (operator account). Each problem found is one line starting with its category in
 * capitals, so a report can count them.
 */
final class OrderAudit {

  private final SystemApi api;
  private final String shopperPassword;
  private final String analyst;
  private final String operator;

  OrderAudit(
      SystemApi api, String shopperPassword, String analystPassword, String operatorPassword) {
    this.api = api;
    this.shopperPassword = shopperPassword;
    this.analyst = SystemApi.basic("analyst", analystPassword);
    this.operator = SystemApi.basic("operator", operatorPassword);
  }

  /** The problems of an order answered 201; none when all is well. */
  List<String> check(TrackedOrder order) {
    return check(order.orderId, order.shopper, order);
  }

  /**
   * The problems of an order some shopper's {@code GET /orders} lists though no POST was answered
   * with it: every order the system created must end, and is checked like the others except for its
   * expected outcome.
   */
  List<String> checkOrphan(String orderId, String shopper) {
    List<String> problems = new ArrayList<>();
    problems.add(
        "ORPHAN: listed for "
            + shopper
            + " but no POST /orders was answered with it (a second order for one key?)");
    problems.addAll(check(orderId, shopper, null));
    return problems;
  }

  private List<String> check(String orderId, String shopper, TrackedOrder placed) {
    List<String> problems = new ArrayList<>();
    Answer order =
        answer(
            SystemApi.base("order-service") + "/orders/" + orderId,
            SystemApi.basic(shopper, shopperPassword));
    Answer payments = answer(SystemApi.base("payment-service") + "/payments?orderId=" + q(orderId));
    String money =
        payments.status() != 200
            ? ""
            : ", charged "
                + sum(list(payments.body(), "CHARGE", "AUTHORIZED"))
                + ", refunded "
                + sum(list(payments.body(), "REFUND", "REFUNDED"));
    String status = null;
    String reason = null;
    BigDecimal total = placed == null ? null : placed.total;
    if (order.status() == 404) {
      problems.add(
          "LOST: answered 201 in run "
              + placed.answeredInRun
              + ", now GET /orders/"
              + orderId
              + " is 404"
              + (placed.missingSeenInRun > 0
                  ? " (first seen missing in run " + placed.missingSeenInRun + ")"
                  : "")
              + money);
    } else if (order.status() != 200) {
      problems.add("ORDER: GET /orders/" + orderId + " answered " + order.status());
    } else {
      status = order.body().path("status").asText();
      reason = order.body().path("reason").asText(null);
      BigDecimal shown = new BigDecimal(order.body().at("/total/amount").asText("0"));
      if (total != null && shown.compareTo(total) != 0) {
        problems.add("TOTAL: answered with " + total + ", now " + shown);
      }
      total = shown;
      if (!TrackedOrder.FINAL.contains(status)) {
        problems.add(
            "NOT FINAL: "
                + status
                + (order.body().path("cancellationRequested").asBoolean()
                    ? ", cancellation requested"
                    : "")
                + money);
        status = null;
      } else if (placed != null && !placed.kind.allows(status, reason)) {
        problems.add(
            "OUTCOME: "
                + status
                + "/"
                + reason
                + ", expected "
                + placed.kind.expected()
                + (placed.cancelAnswer != null
                    ? " (cancel answered " + placed.cancelAnswer + ")"
                    : ""));
      }
    }
    payments(payments, status, total, problems);
    shipments(orderId, status, problems);
    notices(orderId, status, problems);
    saga(orderId, status, reason, problems);
    return problems;
  }

  /** At most one authorized charge and one refund; charged minus refunded as the status says. */
  private void payments(Answer answer, String status, BigDecimal total, List<String> problems) {
    if (answer.status() != 200) {
      problems.add("PAYMENTS: GET /payments answered " + answer.status());
      return;
    }
    List<JsonNode> charges = list(answer.body(), "CHARGE", "AUTHORIZED");
    List<JsonNode> refunds = list(answer.body(), "REFUND", "REFUNDED");
    if (charges.size() > 1) {
      problems.add(
          "CHARGED TWICE: "
              + charges.size()
              + " authorized charges "
              + charges.stream().map(c -> c.path("paymentId").asText()).toList());
    }
    if (refunds.size() > 1) {
      problems.add("REFUNDED TWICE: " + refunds.size() + " refunds made");
    }
    if (status == null) {
      return;
    }
    BigDecimal charged = sum(charges);
    BigDecimal refunded = sum(refunds);
    BigDecimal expected = status.equals("APPROVED") ? total : BigDecimal.ZERO;
    if (charged.subtract(refunded).compareTo(expected) != 0) {
      problems.add(
          "MONEY: charged "
              + charged
              + ", refunded "
              + refunded
              + " for an order "
              + status
              + " of "
              + total
              + " (must keep "
              + expected
              + ")");
    }
  }

  /** At most one booking; an approved order has its shipment, any other none left booked. */
  private void shipments(String orderId, String status, List<String> problems) {
    Answer answer = answer(SystemApi.base("shipping-service") + "/shipments?orderId=" + q(orderId));
    if (answer.status() != 200) {
      problems.add("SHIPMENTS: GET /shipments answered " + answer.status());
      return;
    }
    List<JsonNode> shipments = StreamSupport.stream(answer.body().spliterator(), false).toList();
    long booked = shipments.stream().filter(s -> s.hasNonNull("bookedAt")).count();
    long scheduled =
        shipments.stream().filter(s -> s.path("state").asText().equals("SCHEDULED")).count();
    if (booked > 1) {
      problems.add("SHIPPED TWICE: " + booked + " bookings");
    }
    if (status != null && scheduled != (status.equals("APPROVED") ? 1 : 0)) {
      problems.add("SHIPMENT: " + scheduled + " SCHEDULED for an order " + status);
    }
  }

  /** One notice, sent, for a rejected or cancelled order; none for an approved one. */
  private void notices(String orderId, String status, List<String> problems) {
    Answer answer = answer(SystemApi.base("notifier") + "/notices?orderId=" + q(orderId));
    if (answer.status() != 200) {
      problems.add("NOTICES: GET /notices answered " + answer.status());
      return;
    }
    List<JsonNode> notices =
        StreamSupport.stream(answer.body().path("notices").spliterator(), false).toList();
    List<String> states = notices.stream().map(n -> n.path("status").asText()).toList();
    if (notices.size() > 1) {
      problems.add("NOTICE TWICE: " + notices.size() + " notices " + states);
    } else if (status != null && status.equals("APPROVED") && !notices.isEmpty()) {
      problems.add("NOTICE: a notice " + states + " for an order APPROVED");
    } else if (status != null && !status.equals("APPROVED") && !states.equals(List.of("SENT"))) {
      problems.add(
          "NOTICE: " + (notices.isEmpty() ? "none" : states) + " for a " + status + " order");
    }
  }

  /** The saga ended, and as the order did. */
  private void saga(String orderId, String status, String reason, List<String> problems) {
    Answer answer = answer(SystemApi.base("saga-engine") + "/sagas/" + q(orderId));
    if (answer.status() == 404) {
      problems.add("NO SAGA: GET /sagas/" + orderId + " is 404");
      return;
    }
    if (answer.status() != 200) {
      problems.add("SAGA: GET /sagas answered " + answer.status());
      return;
    }
    JsonNode saga = answer.body();
    String state = saga.path("state").asText();
    String where =
        state
            + (saga.hasNonNull("step") ? " at " + saga.path("step").asText() : "")
            + (saga.path("attempt").asInt() > 1 ? ", attempt " + saga.path("attempt").asInt() : "")
            + (saga.hasNonNull("reason") ? ", reason " + saga.path("reason").asText() : "");
    if (!state.equals("COMPLETED") && !state.equals("COMPENSATED")) {
      problems.add("SAGA: not ended, " + where);
    } else if (status != null) {
      String expected = status.equals("APPROVED") ? "COMPLETED" : "COMPENSATED";
      if (!state.equals(expected)) {
        problems.add("SAGA: " + where + " for an order " + status);
      } else if (expected.equals("COMPENSATED") && !saga.path("reason").asText().equals(reason)) {
        problems.add("SAGA: " + where + " but the order's reason is " + reason);
      }
    } else {
      problems.add("SAGA: " + where + " though the order is not final or gone");
    }
  }

  /** Every order id a shopper's {@code GET /orders} lists, page by page. */
  Set<String> listed(String shopper) {
    Set<String> ids = new LinkedHashSet<>();
    String cursor = null;
    do {
      Answer page =
          answer(
              SystemApi.base("order-service")
                  + "/orders?limit=100"
                  + (cursor == null ? "" : "&cursor=" + q(cursor)),
              SystemApi.basic(shopper, shopperPassword));
      if (page.status() != 200) {
        throw new IllegalStateException(
            "GET /orders for " + shopper + " answered " + page.status() + ": " + page.body());
      }
      page.body().path("orders").forEach(o -> ids.add(o.path("orderId").asText()));
      cursor = page.body().path("next").asText(null);
    } while (cursor != null);
    return ids;
  }

  /**
   * One line per queue with parked messages, naming each parked message (type, saga, why); empty
   * when nothing is parked.
   */
  List<String> parked() {
    Answer counts = answer(SystemApi.base("saga-engine") + "/ops/parked", operator);
    if (counts.status() != 200) {
      return List.of("PARKED: GET /ops/parked answered " + counts.status() + ": " + counts.body());
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode queue : counts.body().path("queues")) {
      long parked = queue.path("parked").asLong();
      if (parked == 0) {
        continue;
      }
      String name = queue.path("queue").asText();
      Answer look =
          answer(SystemApi.base("saga-engine") + "/ops/parked/" + name + "?limit=100", operator);
      Map<String, Set<String>> sagasByWhat = new TreeMap<>();
      Map<String, Integer> countByWhat = new TreeMap<>();
      look.body()
          .path("messages")
          .forEach(
              m -> {
                String what =
                    m.path("type").asText()
                        + " ("
                        + m.path("reason").asText()
                        + ": "
                        + m.path("exceptionMessage")
                            .asText()
                            .replace(m.path("sagaId").asText(), "<id>")
                        + ")";
                countByWhat.merge(what, 1, Integer::sum);
                sagasByWhat
                    .computeIfAbsent(what, w -> new TreeSet<>())
                    .add(m.path("sagaId").asText());
              });
      List<String> messages = new ArrayList<>();
      countByWhat.forEach(
          (what, count) ->
              messages.add(count + " x " + what + " of orders " + sagasByWhat.get(what)));
      lines.add(
          "PARKED: "
              + parked
              + " on "
              + name
              + " (the oldest "
              + look.body().path("messages").size()
              + "): "
              + String.join(", ", messages));
    }
    return lines;
  }

  private Answer answer(String url) {
    return answer(url, analyst);
  }

  /**
   * A GET, sent again while no answer comes (a connection the client kept from before a kill fails
   * once); an answer is returned whatever its status.
   */
  private Answer answer(String url, String authorization) {
    AtomicReference<Answer> answer = new AtomicReference<>();
    try {
      await("an answer to GET " + url)
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                answer.set(api.get(url, authorization));
                return true;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("no answer to GET " + url, e);
    }
    return answer.get();
  }

  private static List<JsonNode> list(JsonNode payments, String kind, String state) {
    return StreamSupport.stream(payments.spliterator(), false)
        .filter(p -> p.path("kind").asText().equals(kind))
        .filter(p -> p.path("state").asText().equals(state))
        .toList();
  }

  private static BigDecimal sum(List<JsonNode> payments) {
    return payments.stream()
        .map(p -> new BigDecimal(p.path("amount").asText()))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
