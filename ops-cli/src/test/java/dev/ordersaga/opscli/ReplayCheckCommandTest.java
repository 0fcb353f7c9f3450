package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay-check} against a stand-in server: the request it sends, and its exit code, which
 * gates a release: non-zero on a difference not listed as expected.
 */
class ReplayCheckCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A report naming two differing sagas, as the engine answers. */
  private static final String TWO_DIFFER =
      """
      {"candidate": "v2", "checked": 5, "same": 3, "sagas": [
        {"orderId": "o-1", "recordedVersion": "v1", "recordedState": "COMPLETED",
         "candidateState": "COMPENSATING", "recordedCommands": 3, "candidateCommands": 1,
         "differences": [{"kind": "COMMAND", "at": 0,
           "recorded": "payment.AuthorizePayment {}", "candidate": "order.RejectOrder {}"}]},
        {"orderId": "o-2", "recordedVersion": "v1", "recordedState": "COMPENSATED",
         "candidateState": "COMPENSATED", "recordedCommands": 3, "candidateCommands": 2,
         "differences": [{"kind": "COMMAND", "at": 2, "recorded": "notification.NotifyCustomer {}",
           "candidate": null}]}]}
      """;

  @TempDir Path dir;

  private StandInServer server;

  @BeforeEach
  void start() throws IOException {
    server = new StandInServer();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void sendsTheSelectionAndFailsOnADifferenceNotExpected() throws IOException {
    server.answer(TWO_DIFFER);
    Path expected =
        Files.writeString(dir.resolve("expected.txt"), "# v2 declines large orders\no-1\n");

    int code =
        run(
            "replay-check",
            "--candidate",
            "v2",
            "--sample",
            "200",
            "--outcome",
            "COMPLETED, COMPENSATED",
            "--from",
            "2026-11-21T10:00:00Z",
            "--expect-differences",
            expected.toString());

    assertThat(code).isEqualTo(ReplayCheckCommand.DIFFERENT);
    JsonNode body = JSON.readTree(server.received().get(0).body());
    assertThat(body.path("candidate").asText()).isEqualTo("v2");
    assertThat(body.path("sample").asInt()).isEqualTo(200);
    assertThat(body.path("from").asText()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(body.path("outcomes").toString()).isEqualTo("[\"COMPLETED\",\"COMPENSATED\"]");
    String printed = server.out();
    assertThat(printed)
        .contains("o-1 (recorded on v1, COMPLETED; candidate COMPENSATING) expected");
    assertThat(printed)
        .contains("o-2 (recorded on v1, COMPENSATED; candidate COMPENSATED) DIFFERS");
    assertThat(printed).contains("2 differ (1 expected, 1 not)").contains("replay check FAILED");
  }

  @Test
  void passesWhenEveryDifferenceIsExpected() throws IOException {
    server.answer(TWO_DIFFER);
    Path expected = Files.writeString(dir.resolve("expected.txt"), "o-1\n  o-2  # both\n\n");

    assertThat(
            run("replay-check", "--candidate", "v2", "--expect-differences", expected.toString()))
        .isEqualTo(OpsCli.OK);
    assertThat(server.out()).contains("replay check passed");
  }

  @Test
  void passesWhenNothingDiffersAndFailsOnAnyDifferenceWithoutAFile() {
    server.answer("{\"candidate\": \"v1-again\", \"checked\": 4, \"same\": 4, \"sagas\": []}");
    assertThat(run("replay-check", "--candidate", "v1-again")).isEqualTo(OpsCli.OK);

    server.answer(TWO_DIFFER);
    assertThat(run("replay-check", "--candidate", "v2")).isEqualTo(ReplayCheckCommand.DIFFERENT);
  }

  @Test
  void theCandidateIsRequired() {
    assertThat(run("replay-check", "--sample", "10")).isEqualTo(OpsCli.USAGE);
    assertThat(server.received()).isEmpty();
  }

  private int run(String... args) {
    return server.run(args);
  }
}
