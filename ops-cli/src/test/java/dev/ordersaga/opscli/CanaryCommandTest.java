package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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

  private StandInServer server;

  @BeforeEach
  void start() throws IOException {
    server = new StandInServer();
    server.answer(VIEW);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void showsTheSplitTheOutcomesAndTheVerdict() {
    assertThat(run("canary")).isEqualTo(OpsCli.OK);

    assertThat(server.received().get(0).method()).isEqualTo("GET");
    assertThat(server.received().get(0).path()).isEqualTo("/ops/canary");
    assertThat(server.out())
        .contains("candidate:  v2 at 10% of new orders, ROLLED_BACK (now 0%)")
        .contains("v2       4 ended, 4 failed (100.0%)")
        .contains("verdict:    rolled back: failure rate of v2 100.0% (4 of 4)");
  }

  @Test
  void changesTheSplitWithAReasonAndAnIdempotencyKey() throws IOException {
    assertThat(run("canary", "--candidate", "v2", "--percent", "10", "--reason", "release v2"))
        .isEqualTo(OpsCli.OK);

    assertThat(server.received().get(0).method()).isEqualTo("POST");
    assertThat(new ObjectMapper().readTree(server.received().get(0).body()))
        .isEqualTo(
            new ObjectMapper()
                .readTree("{\"candidate\":\"v2\",\"percent\":10,\"reason\":\"release v2\"}"));
    assertThat(server.received().get(0).idempotencyKey()).isNotBlank();
  }

  @Test
  void aChangeNeedsPercentCandidateAndReason() {
    assertThat(run("canary", "--candidate", "v2")).isEqualTo(OpsCli.USAGE);
    assertThat(run("canary", "--percent", "10", "--reason", "r")).isEqualTo(OpsCli.USAGE);
    assertThat(run("canary", "--candidate", "v2", "--percent", "ten", "--reason", "r"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(run("canary", "--candidate", "v2", "--percent", "101", "--reason", "r"))
        .isEqualTo(OpsCli.USAGE);
    assertThat(server.received()).isEmpty();
  }

  private int run(String... args) {
    return server.run(args);
  }
}
