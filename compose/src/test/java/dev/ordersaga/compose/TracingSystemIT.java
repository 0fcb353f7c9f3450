package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Traces across every hop: all five apps, started by the launcher against the real RabbitMQ, file
 * stores and an SMTP server, each exporting its spans (every trace sampled) to one in-memory
 * exporter. One order's spans, from {@code POST /orders} to the approval, or through its
 * compensation to the customer's notice, are one trace: one root, every other span's parent in the
 * trace, each span recorded by the app that did the work.
 */
class TracingSystemIT {

  private static final String SHOPPER_PASSWORD = "tracing-test-shopper";
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SAGA_ID = AttributeKey.stringKey("saga.id");
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("saga.state");

  @TempDir static Path data;

  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static InProcessSystem system;
  private static ShopperClient shopper;

  @BeforeAll
  static void startSystem() {
    Map<String, String> settings = new HashMap<>();
    settings.put("payment.provider.latency", "0ms");
    settings.put("shipping.carrier.latency", "0ms");
    settings.put("management.tracing.sampling.probability", "1.0");
    settings.putAll(Launcher.shopperAccount(0, "jiwoo", SHOPPER_PASSWORD));
    ApplicationContextInitializer<ConfigurableApplicationContext> exportHere =
        context -> context.getBeanFactory().registerSingleton("testSpanExporter", spans);
    system = InProcessSystem.start(data, settings, List.of(exportHere));
    shopper = new ShopperClient(system.port("order-service"), "jiwoo", SHOPPER_PASSWORD);
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void anApprovedOrderIsOneTraceFromPostToApproval() throws Exception {
    String orderId = shopper.place(ShopperClient.order("t-1", "en", "KR", "pm_card_visa"), null);
    assertThat(shopper.awaitFinal(orderId, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("APPROVED");

    List<SpanData> trace =
        awaitTrace(
            orderId,
            "order-service publish order.OrderPlaced",
            "saga-engine consume order.OrderPlaced",
            "saga-engine saga step order.OrderPlaced",
            "saga-engine publish payment.AuthorizePayment",
            "payment-service consume payment.AuthorizePayment",
            "payment-service payment provider charge",
            "payment-service publish payment.PaymentAuthorized",
            "saga-engine consume payment.PaymentAuthorized",
            "saga-engine publish shipping.ScheduleShipment",
            "shipping-service consume shipping.ScheduleShipment",
            "shipping-service carrier book",
            "saga-engine consume shipping.ShipmentScheduled",
            "saga-engine publish order.ApproveOrder",
            "order-service consume order.ApproveOrder",
            "saga-engine consume order.OrderApproved",
            "saga-engine saga step order.OrderApproved");

    assertThat(trace)
        .filteredOn(span -> span.getKind() == SpanKind.SERVER)
        .extracting(TracingSystemIT::serviceAndName)
        .contains("order-service http post /orders");
    assertOneTree(trace);
    // a consumer span is the child of the producer span of the message it consumed
    SpanData charge = named(trace, "payment-service consume payment.AuthorizePayment");
    assertThat(serviceAndName(parentOf(trace, charge)))
        .isEqualTo("saga-engine publish payment.AuthorizePayment");
    // a step's span names the state the saga was in when the message came
    assertThat(named(trace, "saga-engine saga step order.OrderPlaced").getAttributes().get(STATE))
        .isEqualTo("NEW");
    assertThat(named(trace, "saga-engine saga step order.OrderApproved").getAttributes().get(STATE))
        .isEqualTo("AWAITING_APPROVAL");
  }

  @Test
  void aCompensationAndItsNoticeAreInTheOrdersTrace() throws Exception {
    String orderId = shopper.place(ShopperClient.order("t-2", "en", "AQ", "pm_card_visa"), null);
    assertThat(shopper.awaitFinal(orderId, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("REJECTED");

    List<SpanData> trace =
        awaitTrace(
            orderId,
            "order-service http post /orders",
            "shipping-service carrier book",
            "saga-engine consume shipping.ShipmentFailed",
            "payment-service consume payment.RefundPayment",
            "payment-service payment provider refund",
            "order-service consume order.RejectOrder",
            "notifier consume notification.NotifyCustomer",
            "notifier smtp send");
    assertOneTree(trace);
  }

  /**
   * The spans of the trace that order-service's publish of the order's OrderPlaced belongs to, once
   * those named (service and span name) are among them (spans are exported in batches).
   */
  private static List<SpanData> awaitTrace(String orderId, String... expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(traceOf(orderId))
                    .extracting(TracingSystemIT::serviceAndName)
                    .contains(expected));
    return traceOf(orderId);
  }

  private static List<SpanData> traceOf(String orderId) {
    List<SpanData> finished = spans.getFinishedSpanItems();
    return finished.stream()
        .filter(span -> orderId.equals(span.getAttributes().get(SAGA_ID)))
        .filter(span -> serviceAndName(span).equals("order-service publish order.OrderPlaced"))
        .map(SpanData::getTraceId)
        .findFirst()
        .map(id -> finished.stream().filter(span -> span.getTraceId().equals(id)).toList())
        .orElse(List.of());
  }

  /** One root, the server span of the POST, and every other span's parent in the trace. */
  private static void assertOneTree(List<SpanData> trace) {
    Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    List<SpanData> roots =
        trace.stream().filter(span -> !ids.contains(span.getParentSpanId())).toList();
    assertThat(roots)
        .extracting(TracingSystemIT::serviceAndName)
        .containsExactly("order-service http post /orders");
  }

  private static SpanData named(List<SpanData> trace, String serviceAndName) {
    return trace.stream()
        .filter(span -> serviceAndName(span).equals(serviceAndName))
        .findFirst()
        .orElseThrow();
  }

  private static SpanData parentOf(List<SpanData> trace, SpanData span) {
    return trace.stream()
        .filter(candidate -> candidate.getSpanId().equals(span.getParentSpanId()))
        .findFirst()
        .orElseThrow();
  }

  private static String serviceAndName(SpanData span) {
    return span.getResource().getAttribute(SERVICE) + " " + span.getName();
  }
}
