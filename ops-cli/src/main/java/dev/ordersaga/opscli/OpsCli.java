package dev.ordersaga.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The operator's command-line client of saga-engine's operator API ({@code /ops}). {@link
 * #main(String[])} runs it as a program; {@link #run(String...)} runs it in-process and returns the
 * exit code: 0 done, 1 usage error, 2 the server refused, 3 the server could not be reached, 4 the
 * replay check found differences not expected.
 */
public final class OpsCli {

  public static final int OK = 0;
  public static final int USAGE = 1;
  public static final int REFUSED = 2;
  public static final int UNREACHABLE = 3;

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** What saga-engine does when a bulk request leaves them out (for the time-out estimate). */
  private static final int SERVER_BULK_RATE = 5;

  private static final int SERVER_BULK_MAX = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param env the environment ({@code SAGA_OPS_URL}, {@code SAGA_OPS_USER}, {@code
   *     SAGA_OPS_PASSWORD})
   * @param in read by {@code --input-file -}
   */
  public OpsCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = Map.copyOf(env);
    this.in = in;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(new OpsCli(System.getenv(), System.in, out, err).run(args));
  }

  /** Runs one command line; returns its exit code. */
  public int run(String... args) {
    Invocation invocation;
    try {
      invocation = Invocation.parse(args);
    } catch (UsageException e) {
      return usageError(e);
    }
    if (invocation.command() == null) {
      if (invocation.help()) {
        out.print(Commands.usage());
        return OK;
      }
      err.println(Commands.PROGRAM + ": no command given");
      err.println();
      err.print(Commands.usage());
      return USAGE;
    }
    if (invocation.command().equals("help")) {
      return help(invocation.operandOptional(0).orElse(null));
    }
    if (invocation.help()) {
      return help(invocation.command());
    }
    Request request = null;
    try {
      request = prepare(invocation);
      OpsClient client = client(invocation);
      OpsClient.Answer answer =
          request.all()
              ? new OpsClient.Answer(pages(client, request), false)
              : send(client, request);
      int code = print(invocation, answer.body(), request.view());
      if (code == OK && request.view() instanceof ReplayCheckCommand.Verdict verdict) {
        code = verdict.exitCode(Render.parse(answer.body()));
      }
      if (answer.replayed()) {
        err.println(
            Commands.PROGRAM
                + ": replayed: the engine answered with the result of an earlier request with"
                + " idempotency key "
                + Table.safe(request.idempotencyKey())
                + "; nothing was done again");
      }
      return code;
    } catch (UsageException e) {
      return usageError(
          e.command() == null ? new UsageException(invocation.command(), e.getMessage()) : e);
    } catch (OpsClient.Refused e) {
      err.print(
          Commands.PROGRAM
              + ": the server refused: "
              + Render.refusal(e.status(), e.body(), user(invocation)));
      return REFUSED;
    } catch (OpsClient.Unreachable e) {
      err.println(Commands.PROGRAM + ": " + Table.safe(e.getMessage()));
      if (request != null && request.idempotencyKey() != null) {
        err.println(
            Commands.PROGRAM
                + ": the request may have reached the engine; to repeat it without acting twice,"
                + " run the same command with --idempotency-key "
                + Table.safe(request.idempotencyKey()));
      }
      return UNREACHABLE;
    }
  }

  private int help(String command) {
    if (command == null) {
      out.print(Commands.usage());
      return OK;
    }
    Optional<Commands.Spec> spec = Commands.find(command);
    if (spec.isEmpty()) {
      return usageError(new UsageException(null, "unknown command " + command));
    }
    out.print(Commands.usage(spec.get()));
    return OK;
  }

  private int usageError(UsageException e) {
    err.println(Commands.PROGRAM + ": " + e.getMessage());
    err.println();
    Optional<Commands.Spec> spec =
        e.command() == null ? Optional.empty() : Commands.find(e.command());
    err.print(spec.map(Commands::usage).orElseGet(Commands::usage));
    return USAGE;
  }

  // ---------------------------------------------------------------- commands

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
      Function<JsonNode, String> view) {}

  /** Reads the command line into its request; every bad value is found here, before any call. */
  private Request prepare(Invocation call) throws UsageException {
    if ("-".equals(call.options().get("password-file"))
        && "-".equals(call.options().get("input-file"))) {
      throw new UsageException(
          call.command(), "--password-file - and --input-file - cannot both read standard input");
    }
    Duration timeout = call.duration("timeout").orElse(DEFAULT_TIMEOUT);
    return switch (call.command()) {
      case "list" -> list(call, timeout);
      case "show" ->
          new Request(
              "/ops/sagas/" + OpsClient.segment(call.operand(0)),
              Map.of(),
              null,
              null,
              timeout,
              false,
              Render::sagaDetail);
      case "retry", "compensate", "park", "unpark" ->
          new Request(
              "/ops/sagas/" + OpsClient.segment(call.operand(0)) + "/" + call.command(),
              Map.of(),
              JSON.createObjectNode().put("reason", call.required("reason")).toString(),
              idempotencyKey(call),
              timeout,
              false,
              Render::actionResult);
      case "resume" -> resume(call, timeout);
      case ReplayCheckCommand.NAME -> ReplayCheckCommand.request(call, timeout, this::read);
      case CanaryCommand.NAME -> CanaryCommand.request(call, timeout);
      case "bulk" -> bulk(call);
      case "audit" -> audit(call, timeout);
      case "parked" -> parked(call, timeout);
      case "redrive" ->
          new Request(
              "/ops/parked/" + OpsClient.segment(call.operand(0)) + "/redrive",
              Map.of(),
              JSON.createObjectNode()
                  .put("limit", call.positive("limit").orElseThrow())
                  .put("reason", call.required("reason"))
                  .toString(),
              idempotencyKey(call),
              timeout,
              false,
              Render::redriveResult);
      default -> throw new UsageException(null, "unknown command " + call.command());
    };
  }

  private static Request list(Invocation call, Duration timeout) throws UsageException {
    Map<String, String> query = new LinkedHashMap<>();
    call.value("state").ifPresent(v -> query.put("state", v));
    call.bool("stuck").ifPresent(v -> query.put("stuck", v.toString()));
    call.value("step").ifPresent(v -> query.put("step", v));
    failureReason(call, "reason").ifPresent(v -> query.put("reason", v));
    call.value("customer-id").ifPresent(v -> query.put("customerId", v));
    call.value("email").ifPresent(v -> query.put("email", v));
    call.value("older-than").ifPresent(v -> query.put("olderThan", v));
    call.value("newer-than").ifPresent(v -> query.put("newerThan", v));
    call.positive("limit").ifPresent(v -> query.put("limit", v.toString()));
    call.value("cursor").ifPresent(v -> query.put("cursor", v));
    return new Request(
        "/ops/sagas", query, null, null, timeout, call.flag("all"), Render::sagaPage);
  }

  private Request resume(Invocation call, Duration timeout) throws UsageException {
    Optional<String> inline = call.value("input");
    Optional<String> file = call.value("input-file");
    if (inline.isPresent() == file.isPresent()) {
      throw new UsageException("resume", "resume needs one of --input JSON or --input-file FILE");
    }
    String text = inline.isPresent() ? inline.get() : read(file.get(), "--input-file");
    JsonNode input = Render.parse(text);
    if (input == null || !input.isObject()) {
      throw new UsageException(
          "resume",
          (inline.isPresent() ? "--input" : "--input-file " + file.get())
              + " is not a JSON object");
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("fromStep", call.required("from-step"));
    body.set("input", input);
    body.put("reason", call.required("reason"));
    return new Request(
        "/ops/sagas/" + OpsClient.segment(call.operand(0)) + "/resume",
        Map.of(),
        body.toString(),
        idempotencyKey(call),
        timeout,
        false,
        Render::actionResult);
  }

  private static Request bulk(Invocation call) throws UsageException {
    String action = call.operand(0);
    if (!List.of("retry", "compensate", "park", "unpark").contains(action)) {
      throw new UsageException(
          "bulk",
          "bulk ACTION must be retry, compensate, park or unpark (resume takes input per saga:"
              + " use resume ORDER_ID)");
    }
    ObjectNode filter = JSON.createObjectNode();
    Optional<String> states = call.value("state");
    if (states.isPresent()) {
      ArrayNode list = filter.putArray("state");
      for (String state : states.get().split(",", -1)) {
        list.add(state.strip());
      }
    }
    call.bool("stuck").ifPresent(v -> filter.put("stuck", v));
    call.value("step").ifPresent(v -> filter.put("step", v));
    failureReason(call, null).ifPresent(v -> filter.put("reason", v));
    call.value("customer-id").ifPresent(v -> filter.put("customerId", v));
    call.value("email").ifPresent(v -> filter.put("email", v));
    call.value("older-than").ifPresent(v -> filter.put("olderThan", v));
    call.value("newer-than").ifPresent(v -> filter.put("newerThan", v));
    if (filter.isEmpty()) {
      throw new UsageException(
          "bulk",
          "bulk needs at least one filter (--state, --stuck, --step, --failure-reason,"
              + " --customer-id, --email, --older-than, --newer-than)");
    }
    boolean dryRun = call.flag("dry-run");
    Optional<Integer> rate = call.positive("rate");
    Optional<Integer> max = call.positive("max");
    ObjectNode body = JSON.createObjectNode();
    body.set("filter", filter);
    // explicit either way: the server takes a missing dryRun for a dry run
    body.put("dryRun", dryRun);
    rate.ifPresent(v -> body.put("ratePerSecond", v));
    max.ifPresent(v -> body.put("maxSagas", v));
    body.put("reason", call.required("reason"));
    if (dryRun && call.value("idempotency-key").isPresent()) {
      throw new UsageException(
          "bulk",
          "--idempotency-key has no use with --dry-run: a dry run changes nothing and is answered"
              + " afresh each time");
    }
    Duration timeout = call.duration("timeout").orElse(bulkTimeout(dryRun, rate, max));
    return new Request(
        "/ops/bulk/" + action,
        Map.of(),
        body.toString(),
        dryRun ? null : idempotencyKey(call),
        timeout,
        false,
        Render::bulkReport);
  }

  /**
   * The default wait for a bulk answer: a real run takes one second per saga at its rate, besides
   * the usual time.
   */
  static Duration bulkTimeout(boolean dryRun, Optional<Integer> rate, Optional<Integer> max) {
    if (dryRun) {
      return DEFAULT_TIMEOUT;
    }
    long sagas = max.orElse(SERVER_BULK_MAX);
    long perSecond = rate.orElse(SERVER_BULK_RATE);
    return DEFAULT_TIMEOUT.plusSeconds((sagas + perSecond - 1) / perSecond);
  }

  private static Request audit(Invocation call, Duration timeout) throws UsageException {
    Map<String, String> query = new LinkedHashMap<>();
    call.value("who").ifPresent(v -> query.put("who", v));
    call.value("action").ifPresent(v -> query.put("action", v));
    call.value("order").ifPresent(v -> query.put("orderId", v));
    call.value("from").ifPresent(v -> query.put("from", v));
    call.value("to").ifPresent(v -> query.put("to", v));
    call.positive("limit").ifPresent(v -> query.put("limit", v.toString()));
    call.value("cursor").ifPresent(v -> query.put("cursor", v));
    return new Request(
        "/ops/audit", query, null, null, timeout, call.flag("all"), Render::auditPage);
  }

  private static Request parked(Invocation call, Duration timeout) throws UsageException {
    Optional<String> queue = call.operandOptional(0);
    if (queue.isEmpty()) {
      if (call.value("limit").isPresent()) {
        throw new UsageException(
            "parked", "--limit needs a QUEUE: without one, parked lists every queue's count");
      }
      return new Request("/ops/parked", Map.of(), null, null, timeout, false, Render::parkedQueues);
    }
    Map<String, String> query = new LinkedHashMap<>();
    call.positive("limit").ifPresent(v -> query.put("limit", v.toString()));
    return new Request(
        "/ops/parked/" + OpsClient.segment(queue.get()),
        query,
        null,
        null,
        timeout,
        false,
        Render::parkedList);
  }

  /**
   * The action's {@code Idempotency-Key}: {@code --idempotency-key}, else a fresh UUID, so that one
   * run acts at most once however the request is delivered; its format is the server's to check.
   */
  private static String idempotencyKey(Invocation call) throws UsageException {
    return call.value("idempotency-key").orElseGet(() -> UUID.randomUUID().toString());
  }

  // ---------------------------------------------------------------- plumbing

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
  private int print(Invocation call, String answer, Function<JsonNode, String> view)
      throws OpsClient.Refused {
    JsonNode json = Render.parse(answer);
    if (json == null || !json.isObject()) {
      throw new OpsClient.Refused(200, "the answer is not a JSON object: " + answer);
    }
    if (call.json()) {
      out.print(answer.endsWith("\n") ? answer : answer + "\n");
    } else {
      out.print(view.apply(json));
    }
    out.flush();
    return OK;
  }

  /** The failure-reason filter: {@code --failure-reason}, or also {@code alias} where given. */
  private static Optional<String> failureReason(Invocation call, String alias)
      throws UsageException {
    Optional<String> named = call.value("failure-reason");
    Optional<String> aliased = alias == null ? Optional.empty() : call.value(alias);
    if (named.isPresent() && aliased.isPresent()) {
      throw new UsageException(
          call.command(), "--" + alias + " and --failure-reason are the same filter: give one");
    }
    return named.isPresent() ? named : aliased;
  }

  private OpsClient client(Invocation call) throws UsageException {
    String url =
        call.value("url").orElse(env.getOrDefault("SAGA_OPS_URL", Commands.DEFAULT_URL)).strip();
    URI base;
    try {
      base = new URI(url);
    } catch (URISyntaxException e) {
      throw new UsageException(null, "--url " + url + " is not a URL");
    }
    if (base.getScheme() == null
        || !(base.getScheme().equals("http") || base.getScheme().equals("https"))
        || base.getHost() == null
        || base.getQuery() != null
        || base.getFragment() != null) {
      throw new UsageException(
          null, "--url " + url + " must be an http or https URL such as " + Commands.DEFAULT_URL);
    }
    return new OpsClient(base, user(call), password(call));
  }

  private String user(Invocation call) {
    String user = call.options().get("user");
    if (user == null || user.isBlank()) {
      user = env.get("SAGA_OPS_USER");
    }
    return user == null || user.isBlank() ? Commands.DEFAULT_USER : user;
  }

  /** {@code --password} (with a warning), else {@code --password-file}, else the environment. */
  private String password(Invocation call) throws UsageException {
    Optional<String> given = call.value("password");
    if (given.isPresent()) {
      err.println(
          Commands.PROGRAM
              + ": warning: --password shows in the process list and the shell history; use"
              + " SAGA_OPS_PASSWORD or --password-file");
      return given.get();
    }
    Optional<String> file = call.value("password-file");
    if (file.isPresent()) {
      String password = read(file.get(), "--password-file").lines().findFirst().orElse("");
      if (password.isEmpty()) {
        throw new UsageException(null, "--password-file " + file.get() + " is empty");
      }
      return password;
    }
    String password = env.get("SAGA_OPS_PASSWORD");
    if (password == null || password.isEmpty()) {
      throw new UsageException(
          null,
          "no password: set SAGA_OPS_PASSWORD or give --password-file FILE (the operator"
              + " account's password: the one the launcher printed for 'saga-engine operator"
              + " account', or SAGA_SECURITY_OPERATOR_PASSWORD where the engine was started with"
              + " it)");
    }
    return password;
  }

  /** A file's text; {@code -} is the standard input. */
  private String read(String file, String option) throws UsageException {
    try {
      if (file.equals("-")) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException e) {
      throw new UsageException(null, option + " " + file + " cannot be read: " + e.getMessage());
    }
  }
}
