package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.saga.SagaEngineApplication;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.journal.SagaJournal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

/**
 * The analyst API over the real broker and store. Before the tests, eight orders run end to end
 * with this test answering as every participant (three completed, one of them after a retried
 * payment; three declined; one refunded after a failed shipment; one whose refund is never answered
 * and ends COMPENSATION_FAILED), then 1,234 more commands are journaled directly for volume. Every
 * expected figure is computed from those inputs or from the journal's own history.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=2s",
      "saga.max-step-timeout=2s",
      "saga.max-attempts=2",
      "saga.deadline-poll-interval=50ms",
      "saga.security.analyst.password=" + AnalyticsIT.PASSWORD,
      "saga.analytics.max-page-size=500"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsIT {

  static final String PASSWORD = "analytics-it-analyst";
  private static final int BULK_SAGAS = 103;
  private static final int BULK_PER_SAGA = 12;
  private static final int BULK_EVENTS = 1_234;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired TestRestTemplate http;
  @Autowired SagaJournal journal;

  /** The journal as Axon reads it back: the expected figures do not go through JournalReader. */
  @Autowired EventStorageEngine storage;

  private QueueProbe payments;
  private QueueProbe shipping;
  private QueueProbe orders;
  private QueueProbe notices;

  /** How each order is answered, and how its saga must end. */
  enum Kind {
    COMPLETED(SagaState.COMPLETED, null),
    COMPLETED_AFTER_RETRY(SagaState.COMPLETED, null),
    DECLINED(SagaState.COMPENSATED, "PAYMENT_DECLINED"),
    SHIPMENT_FAILED(SagaState.COMPENSATED, "SHIPMENT_FAILED"),
    REFUND_UNANSWERED(SagaState.COMPENSATION_FAILED, "SHIPMENT_FAILED");

    final SagaState state;
    final String reason;

    Kind(SagaState state, String reason) {
      this.state = state;
      this.reason = reason;
    }
  }

  record Scenario(String orderId, Kind kind) {}

  private final List<Scenario> scenarios = new ArrayList<>();
  private final List<String> bulkIds = new ArrayList<>();
  private Instant started;
  private Instant scenariosEnded;
  private Instant bulkStarted;

  @BeforeAll
  void runOrdersThenJournalBulkCommands() throws Exception {
    payments = new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    shipping = new QueueProbe(connection, topology, ShippingChannels.COMMAND_QUEUE, codec);
    orders = new QueueProbe(connection, topology, OrderChannels.COMMAND_QUEUE, codec);
    notices = new QueueProbe(connection, topology, NotificationChannels.COMMAND_QUEUE, codec);
    for (Kind kind :
        List.of(
            Kind.COMPLETED,
            Kind.COMPLETED,
            Kind.COMPLETED_AFTER_RETRY,
            Kind.DECLINED,
            Kind.DECLINED,
            Kind.DECLINED,
            Kind.SHIPMENT_FAILED,
            Kind.REFUND_UNANSWERED)) {
      scenarios.add(new Scenario(UUID.randomUUID().toString(), kind));
    }
    started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    ExecutorService pool = Executors.newFixedThreadPool(scenarios.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Scenario scenario : scenarios) {
        running.add(pool.submit(() -> drive(scenario)));
      }
      for (Future<?> run : running) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    scenariosEnded = Instant.now().plusMillis(1).truncatedTo(ChronoUnit.MILLIS);
    await().until(() -> Instant.now().isAfter(scenariosEnded));
    bulkStarted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (int i = 0; i < BULK_EVENTS; i++) {
      String sagaId = "bulk-" + started.toEpochMilli() + "-" + (i % BULK_SAGAS);
      String messageId = UUID.randomUUID().toString();
      bulkIds.add(messageId);
      journal.append(
          new SagaJournal.Step(
              sagaId,
              i / BULK_SAGAS,
              Instant.now(),
              List.of(
                  new SagaJournal.Entry(
                      Envelope.of(
                          messageId, null, Instant.now(), Map.of(), new ApproveOrder(sagaId)),
                      false))));
    }
  }

  // ---------------------------------------------------------------- events and paging

  @Test
  void pagingReturnsEveryEventOfTheOrdersExactlyOnceInRecordedOrder() {
    List<JsonNode> paged = allPages(scenarioFilter(), 7);

    List<String> ids = paged.stream().map(e -> e.path("eventId").asText()).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).containsExactlyInAnyOrderElementsOf(historyIds(h -> true));
    assertThat(paged).isSortedAccordingTo(RECORDED_ORDER);
    assertThat(pages(scenarioFilter(), 7)).isEqualTo((ids.size() + 6) / 7);
  }

  @Test
  void pagingAcrossManyPagesOfBulkCommands() {
    for (int pageSize : new int[] {100, 500}) {
      List<JsonNode> paged =
          allPages(List.of("type", "order.ApproveOrder", "from", bulkStarted.toString()), pageSize);

      assertThat(paged).extracting(e -> e.path("eventId").asText()).doesNotHaveDuplicates();
      assertThat(paged)
          .extracting(e -> e.path("eventId").asText())
          .containsExactlyInAnyOrderElementsOf(bulkIds);
      assertThat(paged).isSortedAccordingTo(RECORDED_ORDER);
    }
  }

  @Test
  void anEventCarriesItsEnvelopeAndPayload() {
    Scenario declined = first(Kind.DECLINED);
    List<JsonNode> events = allPages(List.of("sagaId", declined.orderId()), 100);
    List<? extends DomainEventMessage<?>> history = history(declined.orderId());

    assertThat(events)
        .extracting(e -> e.path("eventId").asText())
        .containsExactlyElementsOf(
            history.stream().map(DomainEventMessage::getIdentifier).toList());
    JsonNode placed = events.get(0);
    assertThat(placed.path("type").asText()).isEqualTo("order.OrderPlaced");
    assertThat(placed.path("direction").asText()).isEqualTo("in");
    assertThat(placed.path("revision").asInt()).isEqualTo(1);
    assertThat(placed.path("sequence").asLong()).isZero();
    assertThat(placed.path("payload").path("orderId").asText()).isEqualTo(declined.orderId());
    assertThat(placed.path("payload").path("customer").path("locale").asText()).isEqualTo("ko");
    JsonNode authorize = events.get(1);
    assertThat(authorize.path("type").asText()).isEqualTo("payment.AuthorizePayment");
    assertThat(authorize.path("direction").asText()).isEqualTo("out");
    assertThat(authorize.path("causationId").asText()).isEqualTo(placed.path("eventId").asText());
    assertThat(Instant.parse(authorize.path("occurredAt").asText())).isAfterOrEqualTo(started);
    assertThat(Instant.parse(authorize.path("recordedAt").asText())).isAfterOrEqualTo(started);
  }

  @Test
  void filterByType() {
    Set<String> types = Set.of("payment.PaymentDeclined", "order.OrderRejected");
    List<JsonNode> events =
        allPages(
            with(
                scenarioFilter(), "type", "payment.PaymentDeclined", "type", "order.OrderRejected"),
            100);

    assertThat(events).extracting(e -> e.path("type").asText()).allMatch(types::contains);
    assertThat(ids(events))
        .containsExactlyInAnyOrderElementsOf(historyIds(e -> types.contains(typeOf(e))));
    // PaymentDeclined for each declined order; OrderRejected for each order undone to the end
    assertThat(events)
        .hasSize(count(Kind.DECLINED) + count(Kind.DECLINED) + count(Kind.SHIPMENT_FAILED));
  }

  @Test
  void filterByService() {
    List<JsonNode> shippingEvents = allPages(with(scenarioFilter(), "service", "shipping"), 100);
    List<JsonNode> sagaEvents = allPages(with(scenarioFilter(), "service", "saga"), 100);

    assertThat(shippingEvents)
        .isNotEmpty()
        .extracting(e -> e.path("type").asText())
        .allMatch(t -> t.startsWith("shipping."));
    assertThat(ids(shippingEvents))
        .containsExactlyInAnyOrderElementsOf(historyIds(e -> typeOf(e).startsWith("shipping.")));
    // the retried payment and the unanswered refund passed deadlines
    assertThat(sagaEvents)
        .isNotEmpty()
        .extracting(e -> e.path("type").asText())
        .containsOnly("saga.StepTimedOut");
    assertThat(ids(sagaEvents))
        .containsExactlyInAnyOrderElementsOf(historyIds(e -> typeOf(e).startsWith("saga.")));
  }

  @Test
  void filterByDirection() {
    for (String direction : List.of("in", "out")) {
      List<JsonNode> events = allPages(with(scenarioFilter(), "direction", direction), 100);

      assertThat(events).extracting(e -> e.path("direction").asText()).containsOnly(direction);
      assertThat(ids(events))
          .containsExactlyInAnyOrderElementsOf(
              historyIds(e -> direction.equals(e.getMetaData().get(SagaJournal.DIRECTION))));
    }
  }

  @Test
  void filterByTimeRangeOnTheRecordedTime() {
    List<JsonNode> all = allPages(scenarioFilter(), 500);
    Instant from = Instant.parse(all.get(all.size() / 4).path("recordedAt").asText());
    Instant to = Instant.parse(all.get(all.size() * 3 / 4).path("recordedAt").asText());
    List<String> expected =
        all.stream()
            .filter(e -> !recordedAt(e).isBefore(from) && recordedAt(e).isBefore(to))
            .map(e -> e.path("eventId").asText())
            .toList();

    List<JsonNode> ranged =
        allPages(with(scenarioFilter(), "from", from.toString(), "to", to.toString()), 100);

    assertThat(expected).isNotEmpty();
    assertThat(ids(ranged)).containsExactlyElementsOf(expected);
  }

  @Test
  void anOperatorInjectionIsJustAnUnknownSagaId() {
    ResponseEntity<String> response =
        get("/analytics/events", List.of("sagaId", "{\"$gt\": \"\"}"));

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    assertThat(json(response.getBody()).path("events")).isEmpty();
  }

  // ---------------------------------------------------------------- exports

  @Test
  void ndjsonExportEqualsThePagedEvents() throws Exception {
    List<String> filter = List.of("from", started.toString());
    List<JsonNode> paged = allPages(filter, 500);

    ResponseEntity<String> response = get("/analytics/export", with(filter, "format", "ndjson"));

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    assertThat(response.getHeaders().getContentType()).hasToString("application/x-ndjson");
    assertThat(response.getHeaders().getContentDisposition().getFilename())
        .matches("events-\\d{8}T\\d{6}Z\\.ndjson");
    String body = response.getBody();
    assertThat(body).endsWith("\n");
    List<JsonNode> exported = new ArrayList<>();
    for (String line : body.split("\n")) {
      exported.add(JSON.readTree(line));
    }
    assertThat(paged).hasSize(historyIds(e -> true).size() + BULK_EVENTS);
    assertThat(exported).isEqualTo(paged);
  }

  @Test
  void csvExportEqualsThePagedEventsAndParsesBack() throws Exception {
    List<String> filter = with(scenarioFilter(), "service", "payment,order");
    List<JsonNode> paged = allPages(filter, 500);

    ResponseEntity<String> response = get("/analytics/export", with(filter, "format", "csv"));

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    assertThat(response.getHeaders().getContentType()).hasToString("text/csv;charset=UTF-8");
    assertThat(response.getHeaders().getContentDisposition().getFilename()).endsWith(".csv");
    List<List<String>> rows = Csv.parse(response.getBody());
    assertThat(rows.get(0)).isEqualTo(CsvRows.COLUMNS);
    List<List<String>> data = rows.subList(1, rows.size());
    assertThat(data).hasSameSizeAs(paged).isNotEmpty();
    for (int i = 0; i < data.size(); i++) {
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < CsvRows.COLUMNS.size(); c++) {
        row.put(CsvRows.COLUMNS.get(c), data.get(i).get(c));
      }
      JsonNode event = paged.get(i);
      assertThat(row.get("eventId")).isEqualTo(event.path("eventId").asText());
      assertThat(row.get("sagaId")).isEqualTo(event.path("sagaId").asText());
      assertThat(row.get("sequence")).isEqualTo(event.path("sequence").asText());
      assertThat(row.get("type")).isEqualTo(event.path("type").asText());
      assertThat(row.get("direction")).isEqualTo(event.path("direction").asText());
      assertThat(row.get("causationId")).isEqualTo(event.path("causationId").asText(""));
      assertThat(Instant.parse(row.get("recordedAt"))).isEqualTo(recordedAt(event));
      assertThat(JSON.readTree(row.get("payload"))).isEqualTo(event.path("payload"));
    }
  }

  // ---------------------------------------------------------------- aggregates

  @Test
  void outcomesPerHourAndPerDayCountEverySagaOnce() {
    for (String bucket : List.of("hour", "day")) {
      JsonNode outcomes =
          getJson(
              "/analytics/aggregates/outcomes",
              List.of(
                  "bucket", bucket, "from", started.toString(), "to", scenariosEnded.toString()));

      JsonNode totals = outcomes.path("totals");
      // every scenario's saga started in the range, whatever became of it
      assertThat(totals.path("started").asLong()).isEqualTo(scenarios.size());
      assertThat(totals.path("completed").asLong()).isEqualTo(countIn(SagaState.COMPLETED));
      assertThat(totals.path("compensated").asLong()).isEqualTo(countIn(SagaState.COMPENSATED));
      assertThat(totals.path("compensationFailed").asLong())
          .isEqualTo(countIn(SagaState.COMPENSATION_FAILED));
      Map<String, Integer> byReason = new TreeMap<>();
      totals
          .path("compensatedByReason")
          .properties()
          .forEach(f -> byReason.put(f.getKey(), f.getValue().asInt()));
      assertThat(byReason).isEqualTo(reasons(SagaState.COMPENSATED));
      // every scenario ran on the stable version v1: its totals are all of them
      List<String> versions = new ArrayList<>();
      outcomes.path("byVersion").fieldNames().forEachRemaining(versions::add);
      assertThat(versions).containsExactly("v1");
      assertThat(outcomes.path("byVersion").path("v1")).isEqualTo(totals);
      long inBuckets = 0;
      long startedInBuckets = 0;
      for (JsonNode b : outcomes.path("buckets")) {
        startedInBuckets += b.path("counts").path("started").asLong();
        inBuckets +=
            b.path("counts").path("completed").asLong()
                + b.path("counts").path("compensated").asLong()
                + b.path("counts").path("compensationFailed").asLong();
        Instant start = Instant.parse(b.path("start").asText());
        assertThat(start)
            .isEqualTo(
                start.truncatedTo(bucket.equals("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS));
      }
      assertThat(inBuckets).isEqualTo(scenarios.size());
      assertThat(startedInBuckets).isEqualTo(scenarios.size());
    }
  }

  @Test
  void failureReasonsAreRankedWithTheirShares() {
    JsonNode failures =
        getJson(
            "/analytics/aggregates/failure-reasons",
            List.of("from", started.toString(), "to", scenariosEnded.toString()));

    Map<String, Long> expected =
        scenarios.stream()
            .filter(s -> s.kind().reason != null)
            .collect(
                Collectors.groupingBy(s -> s.kind().reason, TreeMap::new, Collectors.counting()));
    long failed = expected.values().stream().mapToLong(Long::longValue).sum();
    List<String> ranked =
        expected.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(failures.path("finished").asLong()).isEqualTo(scenarios.size());
    assertThat(failures.path("failed").asLong()).isEqualTo(failed);
    assertThat(failures.path("failureRate").asDouble())
        .isCloseTo((double) failed / scenarios.size(), offset(1e-4));
    assertThat(failures.path("reasons").findValuesAsText("reason"))
        .containsExactlyElementsOf(ranked);
    for (JsonNode reason : failures.path("reasons")) {
      long count = expected.get(reason.path("reason").asText());
      assertThat(reason.path("count").asLong()).isEqualTo(count);
      assertThat(reason.path("share").asDouble()).isCloseTo((double) count / failed, offset(1e-4));
    }
  }

  @Test
  void stepRetriesAndCompensationsMatchTheCommandsTheParticipantsReceived() {
    JsonNode report =
        getJson(
            "/analytics/aggregates/step-retries",
            List.of("from", started.toString(), "to", scenariosEnded.toString()));

    Map<Step, long[]> expected = observedRunsAndCommands();
    assertThat(report.path("steps")).hasSize(Step.values().length);
    for (JsonNode step : report.path("steps")) {
      long[] runsAndCommands =
          expected.getOrDefault(Step.valueOf(step.path("step").asText()), new long[2]);
      assertThat(step.path("runs").asLong()).as(step.toString()).isEqualTo(runsAndCommands[0]);
      assertThat(step.path("commands").asLong()).as(step.toString()).isEqualTo(runsAndCommands[1]);
      assertThat(step.path("retries").asLong())
          .as(step.toString())
          .isEqualTo(runsAndCommands[1] - runsAndCommands[0]);
      assertThat(step.path("compensation").asBoolean())
          .isEqualTo(Step.valueOf(step.path("step").asText()).isCompensation());
    }
    // the payment retry and the refund retried once before COMPENSATION_FAILED
    assertThat(expected.get(Step.AUTHORIZE_PAYMENT)[1] - expected.get(Step.AUTHORIZE_PAYMENT)[0])
        .isGreaterThanOrEqualTo(1);
    assertThat(expected.get(Step.REFUND_PAYMENT)[1] - expected.get(Step.REFUND_PAYMENT)[0])
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void stepFiguresOfOneVersionAreThoseOfItsSagasOnly() {
    List<String> range = List.of("from", started.toString(), "to", scenariosEnded.toString());
    List<String> onV1 = new ArrayList<>(range);
    onV1.addAll(List.of("version", "v1"));
    List<String> onV2 = new ArrayList<>(range);
    onV2.addAll(List.of("version", "v2"));

    for (String path :
        List.of("/analytics/aggregates/step-latency", "/analytics/aggregates/step-retries")) {
      JsonNode all = getJson(path, range);
      JsonNode v1 = getJson(path, onV1);
      JsonNode v2 = getJson(path, onV2);

      // every scenario ran on v1, the stable version: its figures are all of them, v2 has none
      assertThat(v1.path("version").asText()).isEqualTo("v1");
      assertThat(v1.path("steps")).as(path).isEqualTo(all.path("steps"));
      assertThat(all.path("steps").findValues("runs"))
          .as(path)
          .anySatisfy(runs -> assertThat(runs.asLong()).isPositive());
      assertThat(v2.path("steps").findValues("runs"))
          .as(path)
          .allSatisfy(runs -> assertThat(runs.asLong()).isZero());
    }
  }

  @Test
  void stepLatencyPercentilesCoverEveryAnsweredRun() {
    JsonNode report =
        getJson(
            "/analytics/aggregates/step-latency",
            List.of("from", started.toString(), "to", scenariosEnded.toString()));

    Map<Step, long[]> observed = observedRunsAndCommands();
    long testMillis = Duration.between(started, scenariosEnded).toMillis();
    for (JsonNode step : report.path("steps")) {
      Step name = Step.valueOf(step.path("step").asText());
      long runs = observed.getOrDefault(name, new long[2])[0];
      // every run was answered except the refund left unanswered on purpose, and
      // MARK_REFUND_PENDING, which has no reply
      long unanswered =
          switch (name) {
            case REFUND_PAYMENT -> count(Kind.REFUND_UNANSWERED);
            case MARK_REFUND_PENDING -> runs;
            default -> 0;
          };
      assertThat(step.path("runs").asLong()).as(name.name()).isEqualTo(runs);
      assertThat(step.path("unanswered").asLong()).as(name.name()).isEqualTo(unanswered);
      assertThat(step.path("answered").asLong()).as(name.name()).isEqualTo(runs - unanswered);
      if (runs - unanswered == 0) {
        assertThat(step.path("p50Ms").isNull()).isTrue();
        continue;
      }
      long p50 = step.path("p50Ms").asLong();
      long p95 = step.path("p95Ms").asLong();
      long p99 = step.path("p99Ms").asLong();
      long max = step.path("maxMs").asLong();
      assertThat(p50).isBetween(0L, p95);
      assertThat(p95).isLessThanOrEqualTo(p99);
      assertThat(p99).isLessThanOrEqualTo(max);
      assertThat(max).isLessThanOrEqualTo(testMillis);
    }
    // the retried payment was answered only after its first deadline (2 s, less up to a quarter)
    JsonNode payment = report.path("steps").get(Step.AUTHORIZE_PAYMENT.ordinal());
    assertThat(payment.path("maxMs").asLong()).isGreaterThanOrEqualTo(1_500);
  }

  // ---------------------------------------------------------------- validation

  private static Arguments invalid(String path, List<String> query, String parameter) {
    return Arguments.of(path, query, parameter);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        invalid("/analytics/events", List.of("foo", "1"), "foo"),
        invalid("/analytics/events", List.of("sagaId[$gt]", ""), "sagaId[$gt]"),
        invalid("/analytics/events", List.of("from", "yesterday"), "from"),
        invalid("/analytics/events", List.of("to", "2026-05-01T09:00:00+09:00x"), "to"),
        invalid("/analytics/events", List.of("pageSize", "501"), "pageSize"),
        invalid("/analytics/events", List.of("pageSize", "0"), "pageSize"),
        invalid("/analytics/events", List.of("pageSize", "ten"), "pageSize"),
        invalid("/analytics/events", List.of("pageSize", "10", "pageSize", "20"), "pageSize"),
        invalid("/analytics/events", List.of("cursor", "not-a-cursor"), "cursor"),
        invalid("/analytics/events", List.of("type", "payment.Refund"), "type"),
        invalid("/analytics/events", List.of("service", "billing"), "service"),
        invalid("/analytics/events", List.of("direction", "both"), "direction"),
        invalid("/analytics/export", List.of("format", "xml"), "format"),
        invalid("/analytics/export", List.of(), "format"),
        invalid("/analytics/export", List.of("format", "csv", "cursor", "x"), "cursor"),
        invalid("/analytics/aggregates/outcomes", List.of("bucket", "week"), "bucket"),
        invalid(
            "/analytics/aggregates/outcomes",
            List.of("bucket", "hour", "from", "2020-01-01T00:00:00Z"),
            "from"),
        invalid(
            "/analytics/aggregates/failure-reasons",
            List.of("from", "2026-05-02T00:00:00Z", "to", "2026-05-01T00:00:00Z"),
            "to"),
        invalid("/analytics/aggregates/step-latency", List.of("bucket", "hour"), "bucket"),
        invalid("/analytics/aggregates/step-latency", List.of("version", "v 2"), "version"),
        invalid("/analytics/aggregates/step-retries", List.of("to", "now"), "to"));
  }

  @ParameterizedTest(name = "{0} {1} -> 400 naming {2}")
  @MethodSource("badRequests")
  void badParametersAre400ProblemsNamingThem(String path, List<String> query, String parameter) {
    assertBadRequest(get(path, query), parameter);
  }

  @Test
  void aTamperedCursorOrOneOfAnotherFilterIs400() {
    List<String> filter = with(scenarioFilter(), "pageSize", "5");
    String cursor = json(get("/analytics/events", filter).getBody()).path("nextCursor").asText();
    int middle = cursor.indexOf('.') / 2;
    String tampered =
        cursor.substring(0, middle)
            + (cursor.charAt(middle) == 'x' ? 'y' : 'x')
            + cursor.substring(middle + 1);

    assertThat(get("/analytics/events", with(filter, "cursor", cursor)).getStatusCode().value())
        .isEqualTo(200);
    assertBadRequest(get("/analytics/events", with(filter, "cursor", tampered)), "cursor");
    assertBadRequest(
        get("/analytics/events", with(filter, "direction", "in", "cursor", cursor)), "cursor");
  }

  // ---------------------------------------------------------------- helpers

  private static final Comparator<JsonNode> RECORDED_ORDER =
      Comparator.comparing(AnalyticsIT::recordedAt).thenComparing(e -> e.path("eventId").asText());

  private void drive(Scenario scenario) {
    String id = scenario.orderId();
    publisher.publish(TestMessages.envelope(placed(id)));
    Envelope<AuthorizePayment> authorize = command(payments, AuthorizePayment.class, id, 1);
    switch (scenario.kind()) {
      case COMPLETED, COMPLETED_AFTER_RETRY -> {
        if (scenario.kind() == Kind.COMPLETED_AFTER_RETRY) {
          authorize = command(payments, AuthorizePayment.class, id, 2);
        }
        reply(authorize, new PaymentAuthorized(id, "pay-" + id, authorize.payload().amount()));
        Envelope<ScheduleShipment> schedule = command(shipping, ScheduleShipment.class, id, 1);
        reply(schedule, new ShipmentScheduled(id, "shp-" + id, "CJ", "CJ-" + id));
        reply(command(orders, ApproveOrder.class, id, 1), new OrderApproved(id));
      }
      case DECLINED -> {
        reply(
            authorize, new PaymentDeclined(id, DeclineReason.INSUFFICIENT_FUNDS, "no, \"sorry\""));
        rejectAndNotify(id);
      }
      case SHIPMENT_FAILED, REFUND_UNANSWERED -> {
        reply(authorize, new PaymentAuthorized(id, "pay-" + id, authorize.payload().amount()));
        Envelope<ScheduleShipment> schedule = command(shipping, ScheduleShipment.class, id, 1);
        reply(
            schedule,
            new ShipmentFailed(id, ShipmentFailureReason.ADDRESS_UNDELIVERABLE, "no such street"));
        Envelope<RefundPayment> refund = command(payments, RefundPayment.class, id, 1);
        if (scenario.kind() == Kind.SHIPMENT_FAILED) {
          reply(
              refund, new PaymentRefunded(id, "pay-" + id, "ref-" + id, refund.payload().amount()));
          rejectAndNotify(id);
        }
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(saga(id).path("state").asText())
                    .isEqualTo(scenario.kind().state.name()));
    if (scenario.kind() == Kind.REFUND_UNANSWERED) {
      // the refund given up: the customer is told it is delayed, and the notifier answers
      Envelope<NotifyCustomer> delayed = command(notices, NotifyCustomer.class, id, 1);
      reply(delayed, new CustomerNotified(id, "notice-" + id));
    }
    if (scenario.kind().state == SagaState.COMPENSATED
        || scenario.kind() == Kind.REFUND_UNANSWERED) {
      await()
          .untilAsserted(
              () ->
                  assertThat(history(id))
                      .anyMatch(e -> e.getPayload() instanceof CustomerNotified));
    }
  }

  private void rejectAndNotify(String id) {
    Envelope<RejectOrder> reject = command(orders, RejectOrder.class, id, 1);
    reply(reject, new OrderRejected(id, reject.payload().reason()));
    Envelope<NotifyCustomer> notice = command(notices, NotifyCustomer.class, id, 1);
    reply(notice, new CustomerNotified(id, "notice-" + id));
  }

  /** The {@code nth} command of a type the probe received for an order. */
  @SuppressWarnings("unchecked")
  private <T extends Message> Envelope<T> command(
      QueueProbe probe, Class<T> type, String orderId, int nth) {
    return (Envelope<T>)
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    probe.received().stream()
                        .filter(e -> type.isInstance(e.payload()) && e.sagaId().equals(orderId))
                        .skip(nth - 1L)
                        .findFirst()
                        .orElse(null),
                found -> found != null);
  }

  private <C extends Message, R extends Message> void reply(Envelope<C> command, R reply) {
    publisher.publish(command.reply(UUID.randomUUID().toString(), Instant.now(), reply));
  }

  /** Per step: how many orders got its command, and how many of its commands they got. */
  private Map<Step, long[]> observedRunsAndCommands() {
    Set<String> ids = Set.copyOf(sagaIds());
    Map<Step, long[]> found = new LinkedHashMap<>();
    Map<Step, Set<String>> sagasPerStep = new HashMap<>();
    for (QueueProbe probe : List.of(payments, shipping, orders, notices)) {
      for (Envelope<Message> command : probe.received()) {
        if (!ids.contains(command.sagaId())) {
          continue;
        }
        Step step = StepMessages.stepOfCommand(command.type()).orElseThrow();
        found.computeIfAbsent(step, s -> new long[2])[1]++;
        if (sagasPerStep.computeIfAbsent(step, s -> new HashSet<>()).add(command.sagaId())) {
          found.get(step)[0]++;
        }
      }
    }
    return found;
  }

  private List<String> historyIds(Predicate<DomainEventMessage<?>> matching) {
    return sagaIds().stream()
        .flatMap(id -> history(id).stream())
        .filter(matching)
        .map(DomainEventMessage::getIdentifier)
        .toList();
  }

  private List<? extends DomainEventMessage<?>> history(String sagaId) {
    return storage.readEvents(sagaId).asStream().toList();
  }

  private static String typeOf(DomainEventMessage<?> event) {
    return String.valueOf(event.getMetaData().get(SagaJournal.MESSAGE_TYPE));
  }

  private List<String> sagaIds() {
    return scenarios.stream().map(Scenario::orderId).toList();
  }

  private Scenario first(Kind kind) {
    return scenarios.stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
  }

  private int count(Kind kind) {
    return (int) scenarios.stream().filter(s -> s.kind() == kind).count();
  }

  private long countIn(SagaState state) {
    return scenarios.stream().filter(s -> s.kind().state == state).count();
  }

  private Map<String, Integer> reasons(SagaState state) {
    Map<String, Integer> reasons = new TreeMap<>();
    scenarios.stream()
        .filter(s -> s.kind().state == state)
        .forEach(s -> reasons.merge(s.kind().reason, 1, Integer::sum));
    return reasons;
  }

  /** The scenario orders, as repeated sagaId parameters. */
  private List<String> scenarioFilter() {
    List<String> query = new ArrayList<>();
    for (String id : sagaIds()) {
      query.add("sagaId");
      query.add(id);
    }
    return query;
  }

  private static List<String> with(List<String> query, String... more) {
    List<String> all = new ArrayList<>(query);
    all.addAll(List.of(more));
    return all;
  }

  private List<JsonNode> allPages(List<String> filter, int pageSize) {
    List<JsonNode> events = new ArrayList<>();
    String cursor = null;
    do {
      List<String> query = with(filter, "pageSize", Integer.toString(pageSize));
      if (cursor != null) {
        query = with(query, "cursor", cursor);
      }
      ResponseEntity<String> response = get("/analytics/events", query);
      assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
      JsonNode page = json(response.getBody());
      assertThat(page.path("events").size()).isLessThanOrEqualTo(pageSize);
      page.path("events").forEach(events::add);
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
    } while (cursor != null);
    return events;
  }

  private int pages(List<String> filter, int pageSize) {
    int pages = 0;
    String cursor = null;
    do {
      List<String> query = with(filter, "pageSize", Integer.toString(pageSize));
      if (cursor != null) {
        query = with(query, "cursor", cursor);
      }
      JsonNode page = json(get("/analytics/events", query).getBody());
      pages++;
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
    } while (cursor != null);
    return pages;
  }

  private static List<String> ids(List<JsonNode> events) {
    return events.stream().map(e -> e.path("eventId").asText()).toList();
  }

  private static Instant recordedAt(JsonNode event) {
    return Instant.parse(event.path("recordedAt").asText());
  }

  private JsonNode saga(String orderId) {
    return http.withBasicAuth("analyst", PASSWORD)
        .getForObject("/sagas/" + orderId, JsonNode.class);
  }

  private ResponseEntity<String> get(String path, List<String> query) {
    StringBuilder uri = new StringBuilder(path);
    for (int i = 0; i < query.size(); i += 2) {
      uri.append(i == 0 ? '?' : '&')
          .append(URLEncoder.encode(query.get(i), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(query.get(i + 1), StandardCharsets.UTF_8));
    }
    return http.withBasicAuth("analyst", PASSWORD)
        .getForEntity(URI.create(uri.toString()), String.class);
  }

  private JsonNode getJson(String path, List<String> query) {
    ResponseEntity<String> response = get(path, query);
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    return json(response.getBody());
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  private static void assertBadRequest(ResponseEntity<String> response, String parameter) {
    assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
    assertThat(response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE))
        .isEqualTo("application/problem+json");
    JsonNode problem = json(response.getBody());
    assertThat(problem.path("errors").findValuesAsText("field")).contains(parameter);
    assertThat(problem.path("detail").asText()).contains(parameter);
    assertThat(response.getBody()).doesNotContain("Exception").doesNotContain("at dev.");
  }

  private static OrderPlaced placed(String orderId) {
    return new OrderPlaced(
        orderId,
        new Customer("cust-" + orderId, "minji@example.com", "ko"),
        List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR"))),
        Money.of("33.00", "EUR"),
        new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
        "pm_card_visa");
  }
}
