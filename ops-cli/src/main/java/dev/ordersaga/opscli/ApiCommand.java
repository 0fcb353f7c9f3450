package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that makes one request to the operator API: each command says what to send ({@link
 * #request()}); this sends it, prints the answer (as it came with {@code --json}, else readable)
 * and turns a refusal or an unreachable server into its exit code.
 */
abstract class ApiCommand implements Callable<Integer> {

  static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand OpsCli cli;

  @Spec CommandSpec spec;

  /**
   * One request to the operator API, checked and ready to send.
   *
   * @param body the JSON to POST, or {@code null} for a GET
   * @param idempotencyKey the POST's {@code Idempotency-Key}, or {@code null} when it sends none
   * @param all follow {@code nextCursor} to the last page
   * @param view the readable form of the answer
   */
  record Request(
      String path,
      Map<String, String> query,
      String body,
      String idempotencyKey,
      Duration timeout,
      boolean all,
      Function<JsonNode, String> view) {

    /** A GET of one page or document. */
    static Request get(
        String path, Map<String, String> query, Duration timeout, Function<JsonNode, String> view) {
      return new Request(path, query, null, null, timeout, false, view);
    }
  }

  /**
   * The request this command line asks for; a bad value is a {@link ParameterException} (see {@link
   * #usage(String)}), found before any call.
   */
  abstract Request request();

  /** A usage error of this command. */
  final ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * The action's {@code Idempotency-Key}: {@code --idempotency-key}, else a fresh UUID, so that one
   * run acts at most once however the request is delivered; its format is the server's to check.
   */
  static String idempotencyKey(String given) {
    return given != null ? given : UUID.randomUUID().toString();
  }

  @Override
  public final Integer call() {
    Request request = request();
    OpsClient client = cli.client(spec.commandLine());
    try {
      OpsClient.Answer answer =
          request.all()
              ? new OpsClient.Answer(pages(client, request), false)
              : send(client, request);
      JsonNode json = print(answer.body(), request.view());
      int code = exitCode(json);
      if (answer.replayed()) {
        cli.err()
            .println(
                OpsCli.PROGRAM
                    + ": replayed: the engine answered with the result of an earlier request with"
                    + " idempotency key "
                    + Table.safe(request.idempotencyKey())
                    + "; nothing was done again");
      }
      return code;
    } catch (OpsClient.Refused e) {
      cli.err()
          .print(
              OpsCli.PROGRAM
                  + ": the server refused: "
                  + Render.refusal(e.status(), e.body(), cli.user()));
      return OpsCli.REFUSED;
    } catch (OpsClient.Unreachable e) {
      cli.err().println(OpsCli.PROGRAM + ": " + Table.safe(e.getMessage()));
      if (request.idempotencyKey() != null) {
        cli.err()
            .println(
                OpsCli.PROGRAM
                    + ": the request may have reached the engine; to repeat it without acting"
                    + " twice, run the same command with --idempotency-key "
                    + Table.safe(request.idempotencyKey()));
      }
      return OpsCli.UNREACHABLE;
    }
  }

  /** The exit code once the answer is printed: {@link OpsCli#OK} unless a command says more. */
  int exitCode(JsonNode answer) {
    return OpsCli.OK;
  }

  private static OpsClient.Answer send(OpsClient client, Request request)
      throws OpsClient.Refused, OpsClient.Unreachable {
    return request.body() == null
        ? new OpsClient.Answer(
            client.get(request.path(), request.query(), request.timeout()), false)
        : client.post(request.path(), request.body(), request.idempotencyKey(), request.timeout());
  }

  /**
   * Every page from the first one asked for, as one document of the server's shape ({@code items}
   * and a {@code nextCursor} of {@code null}).
   */
  private static String pages(OpsClient client, Request request)
      throws OpsClient.Refused, OpsClient.Unreachable {
    String first = send(client, request).body();
    JsonNode page = Render.parse(first);
    if (page == null || !page.path("items").isArray()) {
      return first; // printing it says what is wrong with it
    }
    ArrayNode items = JSON.createArrayNode();
    Map<String, String> query = new LinkedHashMap<>(request.query());
    while (true) {
      items.addAll((ArrayNode) page.path("items"));
      String cursor = Render.text(page, "nextCursor");
      if (cursor == null) {
        break;
      }
      query.put("cursor", cursor);
      String next = client.get(request.path(), query, request.timeout());
      page = Render.parse(next);
      if (page == null || !page.path("items").isArray()) {
        throw new OpsClient.Refused(200, "a page is not a JSON page: " + next);
      }
    }
    ObjectNode whole = JSON.createObjectNode();
    whole.set("items", items);
    whole.putNull("nextCursor");
    return whole.toString();
  }

  /** Prints the answer: as it came with {@code --json}, else in its readable form. */
  private JsonNode print(String answer, Function<JsonNode, String> view) throws OpsClient.Refused {
    JsonNode json = Render.parse(answer);
    if (json == null || !json.isObject()) {
      throw new OpsClient.Refused(200, "the answer is not a JSON object: " + answer);
    }
    if (cli.json()) {
      cli.out().print(answer.endsWith("\n") ? answer : answer + "\n");
    } else {
      cli.out().print(view.apply(json));
    }
    cli.out().flush();
    return json;
  }
}
