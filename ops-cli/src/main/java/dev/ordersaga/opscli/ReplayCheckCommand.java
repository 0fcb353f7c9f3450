package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code ops-cli replay-check --candidate V [--sample N] [--from I] [--to I] [--outcome S[,S]]
 * [--expect-differences FILE] [--reason TEXT]}: the replay check ({@code POST /ops/replay-check}),
 * made to gate a release in CI: its exit code is {@value #DIFFERENT} when a saga differs that
 * {@code FILE} does not list.
 */
final class ReplayCheckCommand {

  static final String NAME = "replay-check";

  /** The exit code when the candidate decided otherwise on a saga not listed as expected. */
  static final int DIFFERENT = 4;

  private static final ObjectMapper JSON = new ObjectMapper();

  static final Commands.Spec SPEC =
      new Commands.Spec(
          NAME,
          List.of(),
          "replay a candidate saga version over recorded histories; fail on differences",
          "Runs the candidate version of the saga over the histories the journal recorded,"
              + " without side effects (POST /ops/replay-check), and prints each saga where its"
              + " decisions (the commands it would send, in order, and the state at the end)"
              + " differ from what the recorded version did. Exits with "
              + DIFFERENT
              + " when any saga differs that --expect-differences does not list, so it can gate"
              + " a release.",
          List.of(
              new Commands.Option("candidate", "VERSION", true, "the saga version to check (v2)"),
              new Commands.Option(
                  "sample", "N", false, "replay up to N sagas (server default 100, at most 1000)"),
              new Commands.Option(
                  "from", "INSTANT", false, "sagas started at or after (2026-11-21T10:00:00Z)"),
              new Commands.Option("to", "INSTANT", false, "sagas started before"),
              new Commands.Option(
                  "outcome",
                  "S[,S]",
                  false,
                  "only sagas in these states, such as COMPLETED,COMPENSATED"),
              new Commands.Option(
                  "expect-differences",
                  "FILE",
                  false,
                  "order ids (one a line, # comments) whose differences are expected: they are"
                      + " shown but do not fail the check"),
              new Commands.Option("reason", "TEXT", false, "why: recorded in the audit log")));

  private ReplayCheckCommand() {}

  /** Reads a file's text (the caller's, so {@code -} reads standard input). */
  interface FileReader {
    String read(String file, String option) throws UsageException;
  }

  static OpsCli.Request request(Invocation call, Duration timeout, FileReader files)
      throws UsageException {
    ObjectNode body = JSON.createObjectNode();
    body.put("candidate", call.required("candidate"));
    call.positive("sample").ifPresent(v -> body.put("sample", v));
    call.value("from").ifPresent(v -> body.put("from", v));
    call.value("to").ifPresent(v -> body.put("to", v));
    if (call.value("outcome").isPresent()) {
      ArrayNode outcomes = body.putArray("outcomes");
      for (String state : call.value("outcome").get().split(",", -1)) {
        outcomes.add(state.strip());
      }
    }
    call.value("reason").ifPresent(v -> body.put("reason", v));
    Set<String> expected = new LinkedHashSet<>();
    if (call.value("expect-differences").isPresent()) {
      String file = call.value("expect-differences").get();
      for (String line : files.read(file, "--expect-differences").lines().toList()) {
        String id = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
        if (!id.isBlank()) {
          expected.add(id.strip());
        }
      }
    }
    return new OpsCli.Request(
        "/ops/replay-check",
        Map.of(),
        body.toString(),
        null,
        timeout,
        false,
        new Verdict(expected));
  }

  /** Prints the report, and says whether the check passes. */
  static final class Verdict implements Function<JsonNode, String> {

    private final Set<String> expected;

    Verdict(Set<String> expected) {
      this.expected = Set.copyOf(expected);
    }

    /** {@link OpsCli#OK}, or {@value #DIFFERENT} when a saga differs that is not expected. */
    int exitCode(JsonNode report) {
      for (JsonNode saga : report.path("sagas")) {
        if (!expected.contains(saga.path("orderId").asText())) {
          return DIFFERENT;
        }
      }
      return OpsCli.OK;
    }

    @Override
    public String apply(JsonNode report) {
      StringBuilder text = new StringBuilder();
      int unexpected = 0;
      for (JsonNode saga : report.path("sagas")) {
        String orderId = saga.path("orderId").asText();
        boolean isExpected = expected.contains(orderId);
        if (!isExpected) {
          unexpected++;
        }
        text.append(Table.safe(orderId))
            .append(" (recorded on ")
            .append(Table.safe(saga.path("recordedVersion").asText()))
            .append(", ")
            .append(Table.safe(saga.path("recordedState").asText()))
            .append("; candidate ")
            .append(Table.safe(saga.path("candidateState").asText("-")))
            .append(isExpected ? ") expected\n" : ") DIFFERS\n");
        for (JsonNode difference : saga.path("differences")) {
          String kind = difference.path("kind").asText();
          text.append("  ")
              .append(Table.safe(kind))
              .append(difference.hasNonNull("at") ? " #" + difference.path("at").asInt() : "")
              .append('\n')
              .append("    recorded:  ")
              .append(Table.safe(difference.path("recorded").asText("(nothing)")))
              .append('\n')
              .append("    candidate: ")
              .append(Table.safe(difference.path("candidate").asText("(nothing)")))
              .append('\n');
        }
      }
      int differing = report.path("sagas").size();
      text.append("candidate ")
          .append(Table.safe(report.path("candidate").asText()))
          .append(": ")
          .append(report.path("checked").asInt())
          .append(" sagas replayed, ")
          .append(report.path("same").asInt())
          .append(" decided as recorded, ")
          .append(differing)
          .append(" differ (")
          .append(differing - unexpected)
          .append(" expected, ")
          .append(unexpected)
          .append(" not)\n")
          .append(unexpected == 0 ? "replay check passed\n" : "replay check FAILED\n");
      return text.toString();
    }
  }
}
