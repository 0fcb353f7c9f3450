package dev.ordersaga.opscli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands on parked messages: {@code parked} and {@code redrive}. */
final class ParkedCommands {

  private ParkedCommands() {}

  @Command(
      name = "parked",
      mixinStandardHelpOptions = true,
      header = "the queues with parked messages, or one queue's parked messages",
      description =
          "Without QUEUE: every queue of the topology with how many messages are parked from it,"
              + " those with parked messages first (GET /ops/parked). With QUEUE, such as"
              + " payment-service.commands: its oldest parked messages, which stay parked (GET"
              + " /ops/parked/QUEUE).")
  static final class Parked extends ApiCommand {

    @Parameters(paramLabel = "QUEUE", arity = "0..1", description = "the queue parked from")
    String queue;

    @Option(
        names = "--limit",
        paramLabel = "N",
        converter = OptionValues.Positive.class,
        description = "with QUEUE: how many to show (server default 20)")
    Integer limit;

    @Override
    Request request() {
      if (queue == null) {
        if (limit != null) {
          throw usage("--limit needs a QUEUE: without one, parked lists every queue's count");
        }
        return Request.get("/ops/parked", Map.of(), cli.timeout(), Render::parkedQueues);
      }
      return Request.get(
          "/ops/parked/" + OpsClient.segment(queue),
          limit == null ? Map.of() : Map.of("limit", limit.toString()),
          cli.timeout(),
          Render::parkedList);
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      header = "send parked messages back to their queue",
      description =
          "Sends the oldest N parked messages of QUEUE back to it (POST"
              + " /ops/parked/QUEUE/redrive).")
  static final class Redrive extends ApiCommand {

    @Parameters(paramLabel = "QUEUE", description = "the queue parked from")
    String queue;

    @Option(
        names = "--limit",
        paramLabel = "N",
        required = true,
        converter = OptionValues.Positive.class,
        description = "how many to send back")
    Integer limit;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        required = true,
        description = SagaCommands.REASON_HELP)
    String reason;

    @Option(
        names = "--idempotency-key",
        paramLabel = "K",
        description = SagaCommands.IDEMPOTENCY_KEY_HELP)
    String idempotencyKey;

    @Override
    Request request() {
      return new Request(
          "/ops/parked/" + OpsClient.segment(queue) + "/redrive",
          Map.of(),
          JSON.createObjectNode().put("limit", limit).put("reason", reason).toString(),
          idempotencyKey(idempotencyKey),
          cli.timeout(),
          false,
          Render::redriveResult);
    }
  }
}
