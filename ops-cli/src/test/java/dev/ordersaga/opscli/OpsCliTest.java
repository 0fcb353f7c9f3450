package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client end to end against a stand-in HTTP server on loopback that records each request and
 * answers what the test tells it to: which request each command sends (path, query, JSON body,
 * credentials), what it prints, and its exit code for every kind of failure. {@code OpsCliIT} runs
 * the same client against the real saga-engine.
 */
class OpsCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "s3cret:with colon";

  /** A request the stand-in received; the path as sent (percent-encoded). */
  record Received(
      String method,
      String path,
      Map<String, String> query,
      String auth,
      String body,
      List<String> idempotencyKeys) {}

  private record Answer(int status, String contentType, String body, Map<String, String> headers) {

    Answer(int status, String contentType, String body) {
      this(status, contentType, body, Map.of());
    }
  }

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  // ---------------------------------------------------------------- usage

  @Test
  void withoutACommandItPrintsTheUsageAndExitsOne() {
    assertThat(run(Map.of())).isEqualTo(OpsCli.USAGE);

    assertThat(err())
        .startsWith("ops-cli: no command given\n")
        .contains("Usage: ops-cli [")
        .contains("Commands:");
    assertThat(out()).isEmpty();
  }

  @Test
  void helpListsEveryCommandAndEachCommandHasItsOwn() {
    assertThat(run(Map.of(), "--help")).isZero();
    for (String command :
        List.of(
            "list",
            "show",
            "retry",
            "compensate",
            "park",
            "unpark",
            "resume",
            "bulk",
            "audit",
            "parked",
            "redrive",
            "replay-check",
            "canary",
            "help")) {
      assertThat(out()).contains("\n  " + command + " ");
    }
    assertThat(out()).contains("Exit codes:").contains("  4   the replay check");

    out.reset();
    assertThat(run(Map.of(), "bulk", "--help")).isZero();
    assertThat(out())
        .contains("Usage: ops-cli bulk")
        .contains("ACTION")
        .contains("--dry-run")
        .contains("--failure-reason=R")
        .contains("--reason=TEXT");
    out.reset();
    assertThat(run(Map.of(), "help", "resume")).isZero();
    assertThat(out()).contains("Usage: ops-cli resume").contains("--from-step=STEP");
    assertThat(received).isEmpty();
  }

  @Test
  void aCommandsHelpListsEachOfItsOptionsAndTheGlobalOnes() {
    assertThat(run(Map.of(), "redrive", "--help")).isZero();

    assertThat(out())
        .contains("Usage: ops-cli redrive")
        .contains("QUEUE")
        .contains("--limit=N ")
        .contains("how many to send back")
        .contains("--reason=TEXT ")
        .contains("--idempotency-key=K ")
        .contains("--url=URL ")
        .contains("env SAGA_OPS_URL")
        .contains("--password-file=FILE ")
        .contains("--json ")
        .contains("-h, --help ")
        .doesNotContain("--dry-run")
        .doesNotContain("--state");
    assertThat(err()).isEmpty();
  }

  @Test
  void versionPrintsTheBuildsVersion() {
    assertThat(run(Map.of(), "--version")).isZero();

    assertThat(out()).matches("ops-cli \\d+\\.\\d+\\.\\d+\\S*\n");
    String version = out();
    out.reset();
    assertThat(run(Map.of(), "list", "-V")).isZero();
    assertThat(out()).isEqualTo(version);
  }

  @Test
  void aUsageErrorNamesTheProblemAndPrintsThatCommandsUsage() {
    assertThat(run(env(), "retry", "o-1")).isEqualTo(OpsCli.USAGE);

    assertThat(err())
        .startsWith("ops-cli: Missing required option: '--reason=TEXT'\n")
        .contains("Usage: ops-cli retry")
        .contains("Run 'ops-cli retry --help' for every option.");
    assertThat(received).isEmpty();
  }

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    assertThat(run(env(), "retry", "o-1", "--reason", "r", "--colour", "red"))
        .isEqualTo(OpsCli.USAGE);

    assertThat(err())
        .startsWith("ops-cli: Unknown options: '--colour', 'red'\n")
        .contains("Usage: ops-cli retry");
    err.reset();
    assertThat(run(env(), "park", "o-1", "--reson", "r")).isEqualTo(OpsCli.USAGE);
    // a near miss is named, with what was meant
    assertThat(err()).contains("'--reson'").contains("--reason");
    assertThat(received).isEmpty();
    assertThat(out()).isEmpty();
  }

  @Test
  void aMissingRequiredParameterIsNamed() {
    assertThat(run(env(), "park", "--reason", "r")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).startsWith("ops-cli: Missing required parameter: 'ORDER_ID'\n");
    err.reset();
    assertThat(run(env(), "redrive", "--limit", "2", "--reason", "r")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).startsWith("ops-cli: Missing required parameter: 'QUEUE'\n");
    assertThat(received).isEmpty();
  }

  @Test
  void withoutAPasswordItAsksForOneInsteadOfCalling() {
    assertThat(run(Map.of("SAGA_OPS_URL", url), "list")).isEqualTo(OpsCli.USAGE);

    assertThat(err())
        .contains("no password: set SAGA_OPS_PASSWORD or give --password-file")
        .contains("the one the launcher printed");
    assertThat(received).isEmpty();
  }

  @Test
  void badValuesAreFoundBeforeThePasswordIsNeeded() {
    assertThat(run(Map.of(), "list", "--limit", "0")).isEqualTo(OpsCli.USAGE);

    assertThat(err())
        .startsWith("ops-cli: Invalid value for option '--limit': '0' is not a whole number of at")
        .contains("least 1\n");
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    assertThat(run(env(), "list", "--url", "ftp://example.org")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("must be an http or https URL");
  }

  @Test
  void bulkNeedsAFilterAndAnActionItOffers() {
    assertThat(run(env(), "bulk", "retry", "--reason", "r")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("bulk needs at least one filter");
    err.reset();
    assertThat(run(env(), "bulk", "resume", "--state", "PARKED", "--reason", "r"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("bulk ACTION must be retry, compensate, park or unpark");
    assertThat(received).isEmpty();
  }

  @Test
  void resumeInputMustBeOneJsonObject() {
    String[] both = {"resume", "o-1", "--from-step", "SCHEDULE_SHIPMENT", "--reason", "r"};
    assertThat(run(env(), both)).isEqualTo(OpsCli.USAGE);
    assertThat(err())
        .startsWith("ops-cli: Missing required argument (specify one of these):")
        .contains("(--input=JSON | --input-file=FILE)");
    err.reset();
    assertThat(run(env(), concat(both, "--input", "{}", "--input-file", "x.json")))
        .isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("mutually exclusive");
    err.reset();
    assertThat(run(env(), concat(both, "--input", "[1, 2]"))).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("--input is not a JSON object");
    assertThat(received).isEmpty();
  }

  // ---------------------------------------------------------------- requests

  @Test
  void listSendsEachFilterAsTheApiNamesItWithTheCredentials() {
    answer(200, page("[]", null));

    int exit =
        run(
            env(),
            "list",
            "--state",
            "COMPENSATION_FAILED,PARKED",
            "--stuck",
            "--step",
            "REFUND_PAYMENT",
            "--failure-reason",
            "SHIPMENT_FAILED",
            "--customer-id",
            "cust 1&x=y",
            "--email",
            "a@example.com",
            "--older-than",
            "PT1H",
            "--newer-than",
            "2026-11-21T10:00:00Z",
            "--limit",
            "5");

    assertThat(exit).isZero();
    Received request = received.get(0);
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("/ops/sagas");
    assertThat(request.query())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "state", "COMPENSATION_FAILED,PARKED",
                "stuck", "true",
                "step", "REFUND_PAYMENT",
                "reason", "SHIPMENT_FAILED",
                "customerId", "cust 1&x=y",
                "email", "a@example.com",
                "olderThan", "PT1H",
                "newerThan", "2026-11-21T10:00:00Z",
                "limit", "5"));
    assertThat(request.auth()).isEqualTo(basic("operator", PASSWORD));
    assertThat(out()).isEqualTo("no sagas match\n");
  }

  @Test
  void allFollowsTheCursorAndPrintsOneDocument() throws IOException {
    answer(200, page("[{\"orderId\": \"o-1\"}, {\"orderId\": \"o-2\"}]", "c-1"));
    answer(200, page("[{\"orderId\": \"o-3\"}]", null));

    int exit = run(env(), "list", "--state", "PARKED", "--limit", "2", "--all", "--json");

    assertThat(exit).isZero();
    assertThat(received).hasSize(2);
    assertThat(received.get(0).query()).doesNotContainKey("cursor");
    assertThat(received.get(1).query())
        .containsEntry("cursor", "c-1")
        .containsEntry("state", "PARKED")
        .containsEntry("limit", "2");
    JsonNode all = JSON.readTree(out());
    assertThat(all.path("items").findValuesAsText("orderId")).containsExactly("o-1", "o-2", "o-3");
    assertThat(all.path("nextCursor").isNull()).isTrue();
  }

  @Test
  void jsonPrintsTheServersAnswerAsIs() {
    String detail = "{\"status\": {\"orderId\": \"o/1\"},  \"timeline\": [], \"audit\": []}";
    answer(200, detail);

    assertThat(run(env(), "show", "o/1", "--json")).isZero();

    assertThat(out()).isEqualTo(detail + "\n");
    assertThat(received.get(0).path()).isEqualTo("/ops/sagas/o%2F1");
  }

  @Test
  void showPrintsTheSagaVersionInItsTableToo() {
    answer(
        200,
        "{\"status\": {\"orderId\": \"o-1\", \"sagaVersion\": \"v2\", \"state\": \"COMPLETED\"},"
            + " \"timeline\": [], \"audit\": []}");

    assertThat(run(env(), "show", "o-1")).isZero();

    assertThat(out()).startsWith("saga o-1\n").contains("\n  version  v2\n");
  }

  @Test
  void anActionPostsTheReason() throws IOException {
    answer(200, "{\"action\": \"park\", \"orderId\": \"o-1\", \"outcome\": \"VERIFIED\"}");

    assertThat(run(env(), "park", "o-1", "--reason", "fraud \"suspected\"")).isZero();

    Received request = received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/ops/sagas/o-1/park");
    assertThat(JSON.readTree(request.body()))
        .isEqualTo(JSON.createObjectNode().put("reason", "fraud \"suspected\""));
    assertThat(out()).startsWith("park o-1: VERIFIED\n");
  }

  @Test
  void everyActionSendsAFreshIdempotencyKeyAndReadsSendNone() {
    String action = "{\"action\": \"park\", \"orderId\": \"o-1\", \"outcome\": \"VERIFIED\"}";
    String report = "{\"action\": \"park\", \"dryRun\": false, \"sagas\": []}";
    answer(200, action);
    answer(200, action);
    answer(200, action);
    answer(200, report);
    answer(200, report);
    answer(200, "{\"queue\": \"q\", \"limit\": 1, \"redriven\": 0, \"messages\": []}");
    answer(200, page("[]", null));
    answer(200, "{\"status\": {}, \"timeline\": [], \"audit\": []}");

    run(env(), "park", "o-1", "--reason", "r");
    run(env(), "park", "o-1", "--reason", "r");
    run(
        env(),
        "resume",
        "o-1",
        "--from-step",
        "SCHEDULE_SHIPMENT",
        "--input",
        "{}",
        "--reason",
        "r");
    run(env(), "bulk", "park", "--state", "PARKED", "--reason", "r");
    run(env(), "bulk", "park", "--state", "PARKED", "--reason", "r", "--dry-run");
    run(env(), "redrive", "q", "--limit", "1", "--reason", "r");
    run(env(), "list");
    run(env(), "show", "o-1", "--json");

    assertThat(received).hasSize(8);
    List<String> keys =
        received.subList(0, 4).stream()
            .map(r -> assertOneKey(r))
            .collect(java.util.stream.Collectors.toList());
    keys.add(assertOneKey(received.get(5)));
    assertThat(keys).allSatisfy(k -> assertThat(UUID.fromString(k)).hasToString(k));
    assertThat(keys).doesNotHaveDuplicates();
    // a dry run changes nothing, and reads have nothing to repeat
    assertThat(received.get(4).path()).isEqualTo("/ops/bulk/park");
    assertThat(received.get(4).idempotencyKeys()).isEmpty();
    assertThat(received.get(6).idempotencyKeys()).isEmpty();
    assertThat(received.get(7).idempotencyKeys()).isEmpty();
  }

  @Test
  void aScriptsOwnKeyIsSentAndAReplayIsSaidOnStandardError() {
    String action = "{\"action\": \"retry\", \"orderId\": \"o-1\", \"outcome\": \"VERIFIED\"}";
    answer(200, action);
    answer(200, "application/json", action, Map.of("Idempotent-Replayed", "true"));

    assertThat(run(env(), "retry", "o-1", "--reason", "r", "--idempotency-key", "run-42")).isZero();
    assertThat(err()).isEmpty();
    assertThat(run(env(), "retry", "o-1", "--reason", "r", "--idempotency-key", "run-42")).isZero();

    assertThat(received).extracting(Received::idempotencyKeys).containsOnly(List.of("run-42"));
    assertThat(out()).isEqualTo("retry o-1: VERIFIED\n".repeat(2));
    assertThat(err())
        .isEqualTo(
            "ops-cli: replayed: the engine answered with the result of an earlier request with"
                + " idempotency key run-42; nothing was done again\n");
  }

  @Test
  void anIdempotencyKeyIsForActionsOnly() {
    assertThat(run(env(), "list", "--idempotency-key", "k")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).startsWith("ops-cli: Unknown options: '--idempotency-key', 'k'");
    err.reset();
    assertThat(
            run(
                env(),
                "bulk",
                "park",
                "--state",
                "PARKED",
                "--reason",
                "r",
                "--dry-run",
                "--idempotency-key",
                "k"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("--idempotency-key has no use with --dry-run");
    err.reset();
    assertThat(run(env(), "park", "o-1", "--reason", "r", "--idempotency-key", ""))
        .isEqualTo(OpsCli.USAGE);
    assertThat(err())
        .startsWith("ops-cli: Invalid value for option '--idempotency-key': must not be empty");
    assertThat(received).isEmpty();
  }

  @Test
  void bulkActsUnlessDryRunIsAskedForSinceTheServerDefaultsToADryRun() throws IOException {
    String report = "{\"action\": \"retry\", \"dryRun\": false, \"sagas\": []}";
    answer(200, report);
    answer(200, report);

    run(
        env(),
        "bulk",
        "retry",
        "--state",
        "COMPENSATION_FAILED, PARKED",
        "--stuck=false",
        "--failure-reason",
        "TIMED_OUT",
        "--reason",
        "provider back",
        "--rate",
        "2",
        "--max",
        "7");
    run(env(), "bulk", "retry", "--customer-id", "c-1", "--reason", "look", "--dry-run");

    JsonNode real = JSON.readTree(received.get(0).body());
    assertThat(received.get(0).path()).isEqualTo("/ops/bulk/retry");
    assertThat(real.path("dryRun").isBoolean()).isTrue();
    assertThat(real.path("dryRun").asBoolean()).isFalse();
    assertThat(real.path("filter").path("state"))
        .isEqualTo(JSON.createArrayNode().add("COMPENSATION_FAILED").add("PARKED"));
    assertThat(real.path("filter").path("stuck").asBoolean(true)).isFalse();
    assertThat(real.path("filter").path("reason").asText()).isEqualTo("TIMED_OUT");
    assertThat(real.path("reason").asText()).isEqualTo("provider back");
    assertThat(real.path("ratePerSecond").asInt()).isEqualTo(2);
    assertThat(real.path("maxSagas").asInt()).isEqualTo(7);
    JsonNode dry = JSON.readTree(received.get(1).body());
    assertThat(dry.path("dryRun").asBoolean()).isTrue();
    assertThat(dry.path("filter").path("customerId").asText()).isEqualTo("c-1");
    assertThat(dry.has("ratePerSecond")).isFalse();
  }

  @Test
  void resumeReadsItsInputFromStandardInput() throws IOException {
    answer(200, "{\"action\": \"resume\", \"orderId\": \"o-1\", \"outcome\": \"VERIFIED\"}");
    String input = "{\"address\": {\"city\": \"Busan\"}}";

    int exit =
        runWithInput(
            env(),
            input,
            "resume",
            "o-1",
            "--from-step",
            "SCHEDULE_SHIPMENT",
            "--input-file",
            "-",
            "--reason",
            "address corrected");

    assertThat(exit).isZero();
    JsonNode body = JSON.readTree(received.get(0).body());
    assertThat(received.get(0).path()).isEqualTo("/ops/sagas/o-1/resume");
    assertThat(body.path("fromStep").asText()).isEqualTo("SCHEDULE_SHIPMENT");
    assertThat(body.path("input")).isEqualTo(JSON.readTree(input));
    assertThat(body.path("reason").asText()).isEqualTo("address corrected");
  }

  @Test
  void parkedWithoutAQueueListsEveryQueuesCount() throws IOException {
    answer(
        200,
        "{\"queues\": [{\"queue\": \"q\", \"parkingQueue\": \"q.parked\", \"parked\": 2,"
            + " \"missing\": false}], \"total\": 2}");

    assertThat(run(env(), "parked")).isZero();

    assertThat(received.get(0).method()).isEqualTo("GET");
    assertThat(received.get(0).path()).isEqualTo("/ops/parked");
    assertThat(received.get(0).query()).isEmpty();
    assertThat(out()).startsWith("2 parked messages in 1 queue (1 queue in the topology)\n");
  }

  @Test
  void parkedWithALimitButNoQueueIsAUsageError() {
    assertThat(run(env(), "parked", "--limit", "3")).isEqualTo(1);

    assertThat(received).isEmpty();
    assertThat(err()).contains("--limit needs a QUEUE");
  }

  @Test
  void auditParkedAndRedriveCallTheirEndpoints() throws IOException {
    answer(200, "{\"items\": [], \"nextCursor\": null}");
    answer(200, "{\"queue\": \"q\", \"parkingQueue\": \"q.parked\", \"messages\": []}");
    answer(200, "{\"queue\": \"q\", \"limit\": 3, \"redriven\": 0, \"messages\": []}");

    run(
        env(),
        "audit",
        "--who",
        "kim",
        "--action",
        "bulk-retry",
        "--order",
        "o-1",
        "--from",
        "2026-11-21T00:00:00Z",
        "--to",
        "2026-11-22T00:00:00Z",
        "--limit",
        "9");
    run(env(), "parked", "payment-service.commands", "--limit", "4");
    run(env(), "redrive", "payment-service.commands", "--limit", "3", "--reason", "fixed");

    assertThat(received.get(0).path()).isEqualTo("/ops/audit");
    assertThat(received.get(0).query())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "who", "kim",
                "action", "bulk-retry",
                "orderId", "o-1",
                "from", "2026-11-21T00:00:00Z",
                "to", "2026-11-22T00:00:00Z",
                "limit", "9"));
    assertThat(received.get(1).path()).isEqualTo("/ops/parked/payment-service.commands");
    assertThat(received.get(1).query()).containsExactly(Map.entry("limit", "4"));
    assertThat(received.get(2).path()).isEqualTo("/ops/parked/payment-service.commands/redrive");
    assertThat(JSON.readTree(received.get(2).body()))
        .isEqualTo(JSON.createObjectNode().put("limit", 3).put("reason", "fixed"));
  }

  @Test
  void anActionRecordedButNotSeenTakenExitsZeroAndSaysUnverified() {
    answer(
        202,
        "{\"action\": \"retry\", \"orderId\": \"o-1\", \"outcome\": \"UNVERIFIED\","
            + " \"detail\": \"recorded in the saga's journal, but the saga did not show it\"}");

    assertThat(run(env(), "retry", "o-1", "--reason", "r")).isZero();

    assertThat(out())
        .startsWith("retry o-1: UNVERIFIED\n")
        .contains("recorded in the saga's journal");
  }

  @Test
  void standardInputCarriesThePasswordOrTheInputNotBoth() {
    int exit =
        runWithInput(
            Map.of("SAGA_OPS_URL", url),
            "secret\n",
            "resume",
            "o-1",
            "--from-step",
            "SCHEDULE_SHIPMENT",
            "--input-file",
            "-",
            "--password-file",
            "-",
            "--reason",
            "r");

    assertThat(exit).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("cannot both read standard input");
    assertThat(received).isEmpty();
  }

  // ---------------------------------------------------------------- credentials

  @Test
  void thePasswordFileAndTheUserOptionAreUsed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("password");
    Files.writeString(file, "from-file\nignored\n");
    answer(200, page("[]", null));

    int exit =
        run(
            Map.of("SAGA_OPS_URL", url, "SAGA_OPS_PASSWORD", "from-env"),
            "list",
            "--password-file",
            file.toString(),
            "--user",
            "kim");

    assertThat(exit).isZero();
    assertThat(received.get(0).auth()).isEqualTo(basic("kim", "from-file"));
    assertThat(err()).isEmpty();
  }

  @Test
  void thePasswordMayComeFromStandardInput() {
    answer(200, page("[]", null));

    int exit = runWithInput(Map.of("SAGA_OPS_URL", url), "piped\n", "list", "--password-file", "-");

    assertThat(exit).isZero();
    assertThat(received.get(0).auth()).isEqualTo(basic("operator", "piped"));
  }

  @Test
  void aPasswordOnTheCommandLineWorksButIsWarnedAbout() {
    answer(200, page("[]", null));

    int exit = run(Map.of("SAGA_OPS_URL", url), "list", "--password", "visible");

    assertThat(exit).isZero();
    assertThat(received.get(0).auth()).isEqualTo(basic("operator", "visible"));
    assertThat(err()).contains("warning: --password shows in the process list");
  }

  // ---------------------------------------------------------------- failures

  @Test
  void aProblemFromTheServerExitsTwoAndIsPrinted() {
    answer(
        409,
        "application/problem+json",
        "{\"title\": \"Action refused\", \"status\": 409, \"detail\": \"the saga is already"
            + " parked\", \"state\": \"PARKED\"}");

    assertThat(run(env(), "park", "o-1", "--reason", "again")).isEqualTo(OpsCli.REFUSED);

    assertThat(err())
        .startsWith("ops-cli: the server refused: 409 Action refused: the saga is already parked\n")
        .contains("  state: PARKED");
    assertThat(out()).isEmpty();
  }

  @Test
  void unauthorizedWithoutABodyExitsTwoNamingTheUser() {
    answer(401, "", "");

    assertThat(run(env(), "list")).isEqualTo(OpsCli.REFUSED);

    assertThat(err()).contains("401 Unauthorized").contains("user operator");
  }

  @Test
  void anAnswerThatIsNotJsonExitsTwo() {
    answer(200, "text/html", "<html>hello</html>");

    assertThat(run(env(), "list")).isEqualTo(OpsCli.REFUSED);

    assertThat(err()).contains("not a JSON object");
  }

  @Test
  void noServerExitsThree() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    int exit = run(Map.of("SAGA_OPS_PASSWORD", "x"), "list", "--url", "http://127.0.0.1:" + port);

    assertThat(exit).isEqualTo(OpsCli.UNREACHABLE);
    assertThat(err()).contains("cannot reach http://127.0.0.1:" + port);
    assertThat(err()).doesNotContain("--idempotency-key");

    err.reset();
    int action =
        run(
            Map.of("SAGA_OPS_PASSWORD", "x"),
            "retry",
            "o-1",
            "--reason",
            "r",
            "--url",
            "http://127.0.0.1:" + port);

    assertThat(action).isEqualTo(OpsCli.UNREACHABLE);
    // how to repeat it safely, with the key this run sent
    assertThat(err())
        .containsPattern(
            "ops-cli: the request may have reached the engine; to repeat it without acting"
                + " twice, run the same command with --idempotency-key [0-9a-f-]{36}\n");
  }

  // ---------------------------------------------------------------- helpers

  private Map<String, String> env() {
    return Map.of("SAGA_OPS_URL", url, "SAGA_OPS_PASSWORD", PASSWORD);
  }

  private int run(Map<String, String> env, String... args) {
    return runWithInput(env, "", args);
  }

  private int runWithInput(Map<String, String> env, String stdin, String... args) {
    return new OpsCli(
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void answer(int status, String body) {
    answer(status, "application/json", body);
  }

  private void answer(int status, String contentType, String body) {
    synchronized (answers) {
      answers.add(new Answer(status, contentType, body));
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            query(exchange.getRequestURI().getRawQuery()),
            exchange.getRequestHeaders().getFirst("Authorization"),
            body,
            exchange.getRequestHeaders().getOrDefault("Idempotency-Key", List.of())));
    Answer answer;
    synchronized (answers) {
      answer = answers.isEmpty() ? new Answer(500, "text/plain", "no answer set") : answers.poll();
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    if (!answer.contentType().isEmpty()) {
      exchange.getResponseHeaders().add("Content-Type", answer.contentType());
    }
    answer.headers().forEach(exchange.getResponseHeaders()::add);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static String assertOneKey(Received request) {
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.idempotencyKeys()).as(request.path()).hasSize(1);
    return request.idempotencyKeys().get(0);
  }

  private void answer(int status, String contentType, String body, Map<String, String> headers) {
    synchronized (answers) {
      answers.add(new Answer(status, contentType, body, headers));
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      Map<String, String> one = new HashMap<>();
      one.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      one.forEach((name, value) -> assertThat(query.put(name, value)).as(name).isNull());
    }
    return query;
  }

  private static String page(String items, String next) {
    return "{\"items\": "
        + items
        + ", \"nextCursor\": "
        + (next == null ? "null" : "\"" + next + "\"")
        + "}";
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
