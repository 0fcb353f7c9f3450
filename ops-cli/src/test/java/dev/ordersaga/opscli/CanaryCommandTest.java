package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code canary} against a stand-in server: showing the split, and changing it. */
class CanaryCommandTest {

  private static final String VIEW =
      """
      {"stable": "v1", "versions": ["v1", "v2"],
       "split": {"candidate": "v2", "percent": 10, "state": "ROLLED_BACK",
         "changedAt": "2026-11-29T10:00:00Z", "changedBy": "saga-engine",
         "reason": "failure rate of v2 100.0% (4 of 4) against v1 0.0% (0 of 40)"},
       "effectivePercent": 0, "window": "PT30M", "minSample": 20, "margin": 0.1,
       "stableOutcomes": {"version": "v1", "ended": 40, "failed": 0, "failureRate": 0.0,
         "meanDuration": "PT0.2S"},
       "candidateOutcomes": {"version": "v2", "ended": 4, "failed": 4, "failureRate": 1.0,
         "meanDuration": "PT0.05S"},
       "verdict": "rolled back: failure rate of v2 100.0% (4 of 4) against v1 0.0% (0 of 40)"}
      """;

  private HttpServer server;
  private final List<String[]> received = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void showsTheSplitTheOutcomesAndTheVerdict() {
    assertThat(run("canary")).isEqualTo(OpsCli.OK);

    assertThat(received.get(0)[0]).isEqualTo("GET");
    assertThat(received.get(0)[1]).isEqualTo("/ops/canary");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("candidate:  v2 at 10% of new orders, ROLLED_BACK (now 0%)")
        .contains("v2       4 ended, 4 failed (100.0%)")
        .contains("verdict:    rolled back: failure rate of v2 100.0% (4 of 4)");
  }

  @Test
  void changesTheSplitWithAReasonAndAnIdempotencyKey() throws IOException {
    assertThat(run("canary", "--candidate", "v2", "--percent", "10", "--reason", "release v2"))
        .isEqualTo(OpsCli.OK);

    assertThat(received.get(0)[0]).isEqualTo("POST");
    assertThat(new ObjectMapper().readTree(received.get(0)[2]))
        .isEqualTo(
            new ObjectMapper()
                .readTree("{\"candidate\":\"v2\",\"percent\":10,\"reason\":\"release v2\"}"));
    assertThat(received.get(0)[3]).isNotBlank();
  }

  @Test
  void aChangeNeedsPercentCandidateAndReason() {
    assertThat(run("canary", "--candidate", "v2")).isEqualTo(OpsCli.USAGE);
    assertThat(run("canary", "--percent", "10", "--reason", "r")).isEqualTo(OpsCli.USAGE);
    assertThat(run("canary", "--candidate", "v2", "--percent", "ten", "--reason", "r"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(run("canary", "--candidate", "v2", "--percent", "101", "--reason", "r"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(received).isEmpty();
  }

  private int run(String... args) {
    return new OpsCli(
            Map.of(
                "SAGA_OPS_URL",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "SAGA_OPS_PASSWORD",
                "pw"),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private void answer(HttpExchange exchange) throws IOException {
    received.add(
        new String[] {
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
          exchange.getRequestHeaders().getFirst("Idempotency-Key")
        });
    byte[] bytes = VIEW.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
