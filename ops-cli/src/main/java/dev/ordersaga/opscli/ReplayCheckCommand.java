package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops-cli replay-check --candidate V [--sample N] [--from I] [--to I] [--outcome S[,S]]
 * [--expect-differences FILE] [--reason TEXT]}: the replay check ({@code POST /ops/replay-check}),
 * made to gate a release in CI: its exit code is {@value #DIFFERENT} when a saga differs that
 * {@code FILE} does not list.
 */
@Command(
    name = "replay-check",
    mixinStandardHelpOptions = true,
    header = "replay a candidate saga version over recorded histories; fail on differences",
    description =
        "Runs the candidate version of the saga over the histories the journal recorded, without"
            + " side effects (POST /ops/replay-check), and prints each saga where its decisions (the"
            + " commands it would send, in order, and the state at the end) differ from what the"
            + " recorded version did. Exits with "
            + ReplayCheckCommand.DIFFERENT
            + " when any saga differs that --expect-differences does not list, so it can gate a"
            + " release.")
final class ReplayCheckCommand extends ApiCommand {

  /** The exit code when the candidate decided otherwise on a saga not listed as expected. */
  static final int DIFFERENT = 4;

  @Option(
      names = "--candidate",
      paramLabel = "VERSION",
      required = true,
      description = "the saga version to check (v2)")
  String candidate;

  @Option(
      names = "--sample",
      paramLabel = "N",
      converter = OptionValues.Positive.class,
      description = "replay up to N sagas (server default 100, at most 1000)")
  Integer sample;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "sagas started at or after (2026-11-21T10:00:00Z)")
  String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "sagas started before")
  String to;

  @Option(
      names = "--outcome",
      paramLabel = "S",
      split = ",",
      description = "only sagas in these states, such as COMPLETED,COMPENSATED")
  List<String> outcomes;

  @Option(
      names = "--expect-differences",
      paramLabel = "FILE",
      description =
          "order ids (one a line, # comments) whose differences are expected: they are shown but"
              + " do not fail the check")
  String expectDifferences;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why: recorded in the audit log")
  String reason;

  private Verdict verdict;

  @Override
  Request request() {
    ObjectNode body = JSON.createObjectNode();
    body.put("candidate", candidate);
    if (sample != null) {
      body.put("sample", sample);
    }
    if (from != null) {
      body.put("from", from);
    }
    if (to != null) {
      body.put("to", to);
    }
    if (outcomes != null) {
      ArrayNode list = body.putArray("outcomes");
      outcomes.forEach(state -> list.add(state.strip()));
    }
    if (reason != null) {
      body.put("reason", reason);
    }
    Set<String> expected = new LinkedHashSet<>();
    if (expectDifferences != null) {
      String text = cli.read(spec.commandLine(), expectDifferences, "--expect-differences");
      for (String line : text.lines().toList()) {
        String id = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
        if (!id.isBlank()) {
          expected.add(id.strip());
        }
      }
    }
    verdict = new Verdict(expected);
    return new Request(
        "/ops/replay-check", Map.of(), body.toString(), null, cli.timeout(), false, verdict);
  }

  /** {@value #DIFFERENT} when a saga differs that is not expected (also with {@code --json}). */
  @Override
  int exitCode(JsonNode report) {
    return verdict.exitCode(report);
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
