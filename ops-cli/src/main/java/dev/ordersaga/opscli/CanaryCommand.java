package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops-cli canary} shows the canary release of a candidate saga version ({@code GET
 * /ops/canary}); with {@code --percent} it changes the split ({@code POST /ops/canary}).
 */
@Command(
    name = "canary",
    mixinStandardHelpOptions = true,
    header = "show or change the share of new orders a candidate saga version gets",
    description =
        "Without options: the split of new orders between the stable saga version and the"
            + " candidate, each version's outcomes in the window and the verdict (GET"
            + " /ops/canary). With --percent (and --candidate, --reason): routes that share of new"
            + " orders to the candidate, by order id; 0 turns it off (POST /ops/canary). The engine"
            + " rolls the candidate back by itself when it fails more than the stable version by"
            + " the margin.")
final class CanaryCommand extends ApiCommand {

  @Option(
      names = "--candidate",
      paramLabel = "VERSION",
      description = "the saga version to route to, such as v2")
  String candidate;

  @Option(names = "--percent", paramLabel = "P", description = "the share of new orders, 0 to 100")
  Integer percent;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "why: recorded in the audit log (required to change)")
  String reason;

  @Option(
      names = "--idempotency-key",
      paramLabel = "K",
      description = "send K as the change's Idempotency-Key (default: a fresh UUID each run)")
  String idempotencyKey;

  @Override
  Request request() {
    if (percent == null) {
      if (candidate != null || reason != null || idempotencyKey != null) {
        String option =
            candidate != null ? "--candidate" : reason != null ? "--reason" : "--idempotency-key";
        throw usage(option + " changes the split: give --percent too");
      }
      return Request.get("/ops/canary", Map.of(), cli.timeout(), CanaryCommand::render);
    }
    if (percent < 0 || percent > 100) {
      throw usage("--percent must be a whole number from 0 to 100");
    }
    if (candidate == null || reason == null) {
      throw usage(
          "changing the split needs "
              + (candidate == null ? "--candidate VERSION" : "--reason TEXT"));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("candidate", candidate);
    body.put("percent", percent);
    body.put("reason", reason);
    return new Request(
        "/ops/canary",
        Map.of(),
        body.toString(),
        idempotencyKey(idempotencyKey),
        cli.timeout(),
        false,
        CanaryCommand::render);
  }

  static String render(JsonNode view) {
    JsonNode split = view.path("split");
    StringBuilder text = new StringBuilder();
    text.append("stable:     ").append(Table.safe(view.path("stable").asText())).append('\n');
    text.append("candidate:  ")
        .append(Table.safe(split.path("candidate").asText("(none)")))
        .append(" at ")
        .append(split.path("percent").asInt())
        .append("% of new orders, ")
        .append(Table.safe(split.path("state").asText()))
        .append(" (now ")
        .append(view.path("effectivePercent").asInt())
        .append("%)\n");
    text.append("changed:    ")
        .append(Table.safe(split.path("changedAt").asText("-")))
        .append(" by ")
        .append(Table.safe(split.path("changedBy").asText("-")))
        .append(": ")
        .append(Table.safe(split.path("reason").asText("")))
        .append('\n');
    text.append(outcomes(view.path("stableOutcomes")));
    text.append(outcomes(view.path("candidateOutcomes")));
    text.append("window ")
        .append(Table.safe(view.path("window").asText()))
        .append(", min sample ")
        .append(view.path("minSample").asInt())
        .append(", margin ")
        .append(String.format(Locale.ROOT, "%.1f", view.path("margin").asDouble() * 100))
        .append(" points\n");
    text.append("verdict:    ").append(Table.safe(view.path("verdict").asText())).append('\n');
    return text.toString();
  }

  private static String outcomes(JsonNode outcomes) {
    if (outcomes.isMissingNode() || outcomes.isNull() || outcomes.path("version").isNull()) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "  %-8s %d ended, %d failed (%.1f%%), mean %s%n",
        Table.safe(outcomes.path("version").asText()),
        outcomes.path("ended").asInt(),
        outcomes.path("failed").asInt(),
        outcomes.path("failureRate").asDouble() * 100,
        Table.safe(outcomes.path("meanDuration").asText()));
  }
}
