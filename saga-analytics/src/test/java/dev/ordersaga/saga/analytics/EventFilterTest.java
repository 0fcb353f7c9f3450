package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoClientSettings;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.Problems.FieldProblem;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {

  private static final JournalTypes TYPES = JournalTypes.orderSaga();
  private static final Set<String> ALLOWED = EventFilter.PARAMETERS;

  private static EventFilter filter(Map<String, List<String>> query) {
    return EventFilter.from(QueryParameters.of(query, ALLOWED), TYPES);
  }

  private static String rendered(EventFilter filter) {
    return JournalReader.toQuery(filter.toJournalQuery(TYPES))
        .toBsonDocument(org.bson.BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry())
        .toJson();
  }

  @Test
  void everyUnknownParameterIsNamed() {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("sagaId", List.of("o-1"));
    query.put("sagaId[$gt]", List.of(""));
    query.put("limit", List.of("5"));

    assertThatThrownBy(() -> filter(query))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::field)
                    .containsExactly("limit", "sagaId[$gt]"));
  }

  @Test
  void typesAndServicesMayBeRepeatedOrCommaSeparated() {
    EventFilter filter =
        filter(
            Map.of(
                "type",
                List.of("payment.PaymentDeclined,payment.PaymentAuthorized", "order.OrderPlaced"),
                "service",
                List.of("payment", "order")));

    assertThat(filter.types())
        .containsExactlyInAnyOrder(
            "payment.PaymentDeclined", "payment.PaymentAuthorized", "order.OrderPlaced");
    assertThat(filter.services()).containsExactlyInAnyOrder("payment", "order");
  }

  @Test
  void typeServiceAndDirectionBecomeTheMatchingPayloadClasses() {
    String query =
        rendered(
            filter(
                Map.of(
                    "service", List.of("payment"),
                    "direction", List.of("in"))));

    assertThat(query)
        .contains("dev.ordersaga.messaging.contracts.payment.PaymentDeclined")
        .contains("dev.ordersaga.messaging.contracts.payment.PaymentAuthorized")
        .doesNotContain("AuthorizePayment")
        .doesNotContain("RefundPayment")
        .doesNotContain("contracts.order.");
  }

  @Test
  void theTimeRangeIsComparedAsTheStoreWritesTimes() {
    String query =
        rendered(
            filter(
                Map.of(
                    "from", List.of("2026-05-01T09:00:00+09:00"),
                    "to", List.of("2026-05-01T01:00:00.123456Z"))));

    assertThat(query)
        .contains("\"2026-05-01T00:00:00.000Z\"")
        .contains("\"2026-05-01T01:00:00.123Z\"");
  }

  @Test
  void wrongValuesAreRefusedNamingTheirParameter() {
    assertRefused(Map.of("type", List.of("payment.Nothing")), "type");
    assertRefused(Map.of("type", List.of("payment.PaymentDeclined,")), "type");
    assertRefused(Map.of("service", List.of("billing")), "service");
    assertRefused(Map.of("direction", List.of("sideways")), "direction");
    assertRefused(Map.of("direction", List.of("in", "out")), "direction");
    assertRefused(Map.of("from", List.of("yesterday")), "from");
    assertRefused(Map.of("to", List.of("2026-05-01T09:00:00 09:00")), "to");
    assertRefused(
        Map.of("from", List.of("2026-05-02T00:00:00Z"), "to", List.of("2026-05-01T00:00:00Z")),
        "to");
    assertRefused(Map.of("sagaId", List.of("x".repeat(1001))), "sagaId");
  }

  @Test
  void theFingerprintFollowsTheFilterNotTheOrderOfItsValues() {
    EventFilter one = filter(Map.of("type", List.of("order.OrderPlaced,order.OrderApproved")));
    EventFilter same = filter(Map.of("type", List.of("order.OrderApproved", "order.OrderPlaced")));
    EventFilter other =
        filter(
            Map.of(
                "type", List.of("order.OrderApproved"),
                "from", List.of(Instant.EPOCH.toString())));

    assertThat(one.fingerprint()).isEqualTo(same.fingerprint()).isNotEqualTo(other.fingerprint());
  }

  private static void assertRefused(Map<String, List<String>> query, String parameter) {
    assertThatThrownBy(() -> filter(query))
        .as("%s", query)
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::field)
                    .containsExactly(parameter));
  }
}
