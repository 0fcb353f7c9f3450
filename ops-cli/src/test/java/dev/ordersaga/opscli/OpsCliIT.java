package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.saga.SagaEngineApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The client against the real saga-engine, in-process over the real RabbitMQ and store, with this
 * test playing the participants (as {@code OrderSagaIT} does): it makes a saga whose refund never
 * answers, so the saga ends in COMPENSATION_FAILED, and then works on it as an operator would.
 */
@SpringBootTest(
    classes = SagaEngineApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=1s",
      "saga.max-step-timeout=2s",
      "saga.max-attempts=2",
      "saga.deadline-poll-interval=50ms",
      "saga.security.operator.password=" + OpsCliIT.PASSWORD,
      "saga.security.analyst.password=test-analyst"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class OpsCliIT {

  static final String PASSWORD = "test-operator-password";

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;

  private QueueProbe payments;
  private QueueProbe shipping;

  /** What one run of the client did. */
  record Run(int exit, String out, String err) {

    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("--json printed what is not JSON: " + out, e);
      }
    }
  }

  @BeforeEach
  void probes() {
    payments = new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    shipping = new QueueProbe(connection, topology, ShippingChannels.COMMAND_QUEUE, codec);
  }

  @Test
  void operatorFindsInspectsDryRunsAndRetriesAFailedSaga() {
    String customer = "cust-" + UUID.randomUUID();
    String orderId = failedSaga(customer);

    // list by state finds it, in its row and column
    Run list = cli("list", "--state", "COMPENSATION_FAILED", "--customer-id", customer);
    assertThat(list.exit()).as(list.err()).isZero();
    Map<String, String> row = TableText.rows(list.out(), "ORDER ID", 1).get(0);
    assertThat(row.get("ORDER ID")).isEqualTo(orderId);
    assertThat(row.get("STATE")).isEqualTo("COMPENSATION_FAILED");
    assertThat(row.get("STEP")).isEqualTo("REFUND_PAYMENT");
    assertThat(row.get("REASON")).isEqualTo("SHIPMENT_FAILED");
    assertThat(row.get("CUSTOMER")).isEqualTo(customer);

    // show prints the status and the timeline from the journal
    Run show = cli("show", orderId);
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).startsWith("saga " + orderId + "\n");
    JsonNode before = cli("show", orderId, "--json").json();
    // the saga's version shows in the table as in --json
    String version = before.path("status").path("sagaVersion").asText();
    assertThat(version).isNotBlank();
    assertThat(line(show.out(), "version")).isEqualTo(version);
    List<JsonNode> timeline = list(before.path("timeline"));
    List<Map<String, String>> rows = TableText.rows(show.out(), "#", timeline.size());
    assertThat(rows)
        .extracting(r -> r.get("TYPE"))
        .containsSubsequence(
            "order.OrderPlaced",
            "payment.AuthorizePayment",
            "payment.PaymentAuthorized",
            "shipping.ScheduleShipment",
            "shipping.ShipmentFailed",
            "payment.RefundPayment");
    for (int i = 0; i < timeline.size(); i++) {
      assertThat(rows.get(i).get("MESSAGE ID"))
          .isEqualTo(timeline.get(i).path("messageId").asText());
    }
    JsonNode status = before.path("status");
    int attempts = status.path("attempt").asInt();

    // a dry run lists it with its plan and changes nothing
    Run dryRun =
        cli(
            "bulk",
            "retry",
            "--state",
            "COMPENSATION_FAILED",
            "--customer-id",
            customer,
            "--dry-run",
            "--reason",
            "what would a retry do");
    assertThat(dryRun.exit()).as(dryRun.err()).isZero();
    assertThat(dryRun.out()).contains("dry run: nothing was changed");
    Map<String, String> planned = TableText.rows(dryRun.out(), "ORDER ID", 1).get(0);
    assertThat(planned.get("ORDER ID")).isEqualTo(orderId);
    assertThat(planned.get("PLAN")).isEqualTo("apply");
    assertThat(planned.get("STANDING")).startsWith("COMPENSATION_FAILED at REFUND_PAYMENT");
    assertThat(cli("show", orderId, "--json").json().path("status")).isEqualTo(status);
    JsonNode audited = cli("audit", "--order", orderId, "--json").json().path("items").get(0);
    assertThat(audited.path("action").asText()).isEqualTo("bulk-retry");
    assertThat(audited.path("outcome").asText()).isEqualTo("DRY_RUN");
    assertThat(audited.path("reason").asText()).isEqualTo("what would a retry do");

    // the retry is taken, checked, and shown with the saga's new standing
    Run retry = cli("retry", orderId, "--reason", "payment provider is back");
    assertThat(retry.exit()).as(retry.err()).isZero();
    assertThat(retry.out()).startsWith("retry " + orderId + ": VERIFIED\n");
    assertThat(line(retry.out(), "before"))
        .isEqualTo("COMPENSATION_FAILED at REFUND_PAYMENT, attempt " + attempts);
    assertThat(line(retry.out(), "after"))
        .isEqualTo("COMPENSATING at REFUND_PAYMENT, attempt " + (attempts + 1));
    awaitCommand(
        payments,
        RefundPayment.class,
        orderId,
        MessageIds.forStep(orderId, "REFUND_PAYMENT", attempts + 1));

    // --json output is the server's document and parses
    JsonNode after = cli("show", orderId, "--json").json();
    assertThat(after.path("status").path("state").asText()).isEqualTo("COMPENSATING");
    assertThat(after.path("audit").get(0).path("action").asText()).isEqualTo("retry");
    JsonNode page = cli("list", "--customer-id", customer, "--all", "--json").json();
    assertThat(page.path("items").findValuesAsText("orderId")).containsExactly(orderId);
  }

  @Test
  void aRunRepeatedWithItsIdempotencyKeyActsOnce() {
    String orderId = failedSaga("cust-" + UUID.randomUUID());
    String key = "script-run-" + UUID.randomUUID();

    Run first = cli("retry", orderId, "--reason", "provider back", "--idempotency-key", key);
    // as a script would after a time-out
    Run again = cli("retry", orderId, "--reason", "provider back", "--idempotency-key", key);

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("retry " + orderId + ": VERIFIED\n");
    assertThat(first.err()).isEmpty();
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo(first.out());
    assertThat(again.err()).contains("replayed").contains(key);
    JsonNode audit = cli("audit", "--order", orderId, "--action", "retry", "--json").json();
    assertThat(audit.path("items").size()).isEqualTo(1);
    assertThat(
            list(cli("show", orderId, "--json").json().path("timeline")).stream()
                .filter(e -> e.path("type").asText().equals("saga.OperatorRetryRequested"))
                .count())
        .isEqualTo(1);
  }

  @Test
  void parkedListsTheQueuesCountsAndOneQueuesMessagesAndRedriveTakesTheCountDown()
      throws Exception {
    String queue = PaymentChannels.COMMAND_QUEUE;
    try (Channel channel = connection.createChannel()) {
      for (Topology.QueueSpec spec : topology.queues()) {
        channel.queuePurge(topology.parkingQueue(spec.baseName()));
      }
    }
    List<Envelope<RefundPayment>> refunds = List.of(refund(), refund());
    refunds.forEach(this::park);

    Run queues = cli("parked");
    assertThat(queues.exit()).as(queues.err()).isZero();
    assertThat(queues.out()).startsWith("2 parked messages in 1 queue (");
    List<Map<String, String>> rows =
        TableText.rows(queues.out(), "QUEUE", topology.queues().size());
    assertThat(rows.get(0).get("QUEUE")).isEqualTo(queue);
    assertThat(rows.get(0).get("PARKED")).isEqualTo("2");
    assertThat(rows.get(1).get("PARKED")).isEqualTo("0");
    assertThat(cli("parked", "--json").json().path("total").asInt()).isEqualTo(2);

    Run messages = cli("parked", queue);
    assertThat(messages.exit()).as(messages.err()).isZero();
    assertThat(TableText.rows(messages.out(), "MESSAGE ID", 2))
        .extracting(r -> r.get("MESSAGE ID"))
        .containsExactly(refunds.get(0).messageId(), refunds.get(1).messageId());

    Run redrive = cli("redrive", queue, "--limit", "1", "--reason", "provider fixed");
    assertThat(redrive.exit()).as(redrive.err()).isZero();
    assertThat(redrive.out()).startsWith("redrove 1 parked message ");
    assertThat(TableText.rows(cli("parked").out(), "QUEUE", 1).get(0).get("PARKED")).isEqualTo("1");
  }

  private static Envelope<RefundPayment> refund() {
    return TestMessages.envelope(
        new RefundPayment(
            UUID.randomUUID().toString(), "refund-key", "pay-1", Money.of("33.00", "EUR")));
  }

  /** Straight into the parking queue, as payment-service's consumer parks a refused command. */
  private void park(Envelope<RefundPayment> refund) {
    publisher.publish(
        "",
        topology.parkingQueue(PaymentChannels.COMMAND_QUEUE),
        MessageProperties.PERSISTENT_BASIC
            .builder()
            .messageId(refund.messageId())
            .type(refund.type())
            .headers(
                Map.of(
                    ParkingHeaders.REASON, "REJECTED", ParkingHeaders.SERVICE, "payment-service"))
            .build(),
        codec.encode(refund),
        refund.type());
  }

  @Test
  void aRefusalExitsTwoWithTheServersProblem() {
    String unknown = "no-such-order-" + UUID.randomUUID();

    Run park = cli("park", unknown, "--reason", "test");
    Run badState = cli("list", "--state", "NOT_A_STATE");

    assertThat(park.exit()).isEqualTo(OpsCli.REFUSED);
    assertThat(park.err()).contains("404 Not found: no saga for order " + unknown);
    assertThat(badState.exit()).isEqualTo(OpsCli.REFUSED);
    assertThat(badState.err())
        .contains("400 Invalid request: state must be")
        .contains("    - state: must be");
    assertThat(park.out()).isEmpty();
  }

  @Test
  void aWrongPasswordExitsTwoSayingTheServerRefusedTheUser() {
    Run run = cli(env("not-the-password"), "list");

    assertThat(run.exit()).isEqualTo(OpsCli.REFUSED);
    assertThat(run.err()).contains("401").contains("did not accept user operator");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnreachableServerExitsThree() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    Run run = cli("list", "--url", "http://127.0.0.1:" + closed);

    assertThat(run.exit()).isEqualTo(OpsCli.UNREACHABLE);
    assertThat(run.err()).contains("cannot reach http://127.0.0.1:" + closed);
  }

  /** The packaged jar runs on its own: no Spring, its dependencies inside. */
  @Test
  void theExecutableJarTalksToTheEngine() throws IOException, InterruptedException {
    Path jar = Path.of("target", "ops-cli.jar");
    assertThat(jar).exists();
    Path output = Files.createTempFile("ops-cli", ".out");
    ProcessBuilder process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "audit",
                "--limit",
                "1",
                "--json")
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    process.environment().putAll(env(PASSWORD));

    Process started = process.start();
    assertThat(started.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(started.exitValue()).isZero();
    JsonNode page = JSON.readTree(Files.readString(output));
    assertThat(page.has("items")).isTrue();
    Files.delete(output);
  }

  /**
   * The {@code ops-cli} script runs the packaged jar, called by its path and through a symbolic
   * link from another directory (as from {@code ~/bin}).
   */
  @Test
  void theOpsCliScriptRunsTheJarByItsPathAndThroughALink()
      throws IOException, InterruptedException {
    Path script = Path.of("ops-cli").toAbsolutePath();
    assertThat(Files.isExecutable(script)).as("ops-cli/ops-cli is executable").isTrue();
    Path bin = Files.createTempDirectory("ops-cli-bin");
    Path link = Files.createSymbolicLink(bin.resolve("ops-cli"), script);
    try {
      for (Path command : List.of(script, link)) {
        Path output = Files.createTempFile("ops-cli", ".out");
        ProcessBuilder process =
            new ProcessBuilder(command.toString(), "audit", "--limit", "1", "--json")
                .directory(bin.toFile())
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        process.environment().putAll(env(PASSWORD));
        process.environment().put("JAVA_HOME", System.getProperty("java.home"));

        Process started = process.start();
        assertThat(started.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(started.exitValue()).as(command.toString()).isZero();
        assertThat(JSON.readTree(Files.readString(output)).has("items")).isTrue();
        Files.delete(output);
      }
    } finally {
      Files.delete(link);
      Files.delete(bin);
    }
  }

  // ---------------------------------------------------------------- the saga

  /** A saga whose shipment failed and whose refund is never answered: COMPENSATION_FAILED. */
  private String failedSaga(String customer) {
    String orderId = UUID.randomUUID().toString();
    publisher.publish(
        TestMessages.envelope(
            new OrderPlaced(
                orderId,
                new Customer(customer, customer + "@example.com", "en"),
                List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR"))),
                Money.of("33.00", "EUR"),
                new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
                "pm_card_visa")));
    Envelope<AuthorizePayment> authorize =
        awaitCommand(payments, AuthorizePayment.class, orderId, null);
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    Envelope<ScheduleShipment> schedule =
        awaitCommand(shipping, ScheduleShipment.class, orderId, null);
    reply(
        schedule,
        new ShipmentFailed(orderId, ShipmentFailureReason.CARRIER_REJECTED, "no capacity"));
    await()
        .atMost(LONG)
        .until(
            () -> quietly(env(PASSWORD), "show", orderId, "--json"),
            run ->
                run.exit() == 0
                    && run.json()
                        .path("status")
                        .path("state")
                        .asText()
                        .equals("COMPENSATION_FAILED"));
    return orderId;
  }

  /** The command of that type for the order (with that message id, unless {@code null}). */
  @SuppressWarnings("unchecked")
  private static <T extends dev.ordersaga.messaging.Message> Envelope<T> awaitCommand(
      QueueProbe probe, Class<T> type, String orderId, String messageId) {
    return (Envelope<T>)
        await()
            .atMost(LONG)
            .until(
                () ->
                    probe.received().stream()
                        .filter(e -> type.isInstance(e.payload()))
                        .filter(e -> e.sagaId().equals(orderId))
                        .filter(e -> messageId == null || e.messageId().equals(messageId))
                        .findFirst()
                        .orElse(null),
                found -> found != null);
  }

  private <C extends dev.ordersaga.messaging.Message, R extends dev.ordersaga.messaging.Message>
      void reply(Envelope<C> command, R reply) {
    publisher.publish(command.reply(UUID.randomUUID().toString(), Instant.now(), reply));
  }

  // ---------------------------------------------------------------- the client

  private Map<String, String> env(String password) {
    return Map.of("SAGA_OPS_URL", "http://127.0.0.1:" + port, "SAGA_OPS_PASSWORD", password);
  }

  private Run cli(String... args) {
    return cli(env(PASSWORD), args);
  }

  private static Run cli(Map<String, String> env, String... args) {
    Run run = quietly(env, args);
    // in the test's output, to see what an operator would have seen when a test fails
    System.out.printf(
        "$ ops-cli %s%n%s%s[exit %d]%n", String.join(" ", args), run.out(), run.err(), run.exit());
    return run;
  }

  /** A run that is not echoed, for polling. */
  private static Run quietly(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new OpsCli(
                env,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The value of the line named {@code name} in a summary's name-value block. */
  private static String line(String text, String name) {
    return text.lines()
        .filter(l -> l.startsWith("  " + name + "  "))
        .map(l -> l.substring(name.length() + 2).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + name + " in\n" + text));
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }
}
