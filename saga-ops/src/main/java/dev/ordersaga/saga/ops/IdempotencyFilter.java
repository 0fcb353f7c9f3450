package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes every operator action (every {@code POST} under {@code /ops/}) safe to repeat with an
 * {@code Idempotency-Key} header, as Stripe's API does. Without the header nothing changes. With
 * it, the first request claims the key for the signed-in operator ({@link IdempotencyRecords}),
 * acts, and its answer (status and body) is stored; a repeat by the same operator with the same
 * key, method, path and body gets that answer again with {@code Idempotent-Replayed: true}, and
 * nothing is done again (no second action, no second audit entry). The same key with another
 * request is a 409; a repeat while the first request still runs is a 409 with {@code Retry-After};
 * a malformed key is a 400. Keys are per operator: two operators may use the same key.
 *
 * <p>A 400 answer is not kept (the input was refused and nothing was asked of a saga, so the key
 * may be used again with corrected input), and a bulk dry run is not either (it changes nothing,
 * and a repeat should show the sagas as they stand then). Every other answer is kept for {@code
 * saga.ops.idempotency-ttl}, 404 and 409 refusals and 5xx included: a replay repeats the first
 * answer as it was, even if the saga moved on since ({@code GET /ops/sagas/{orderId}} shows where
 * it stands now).
 */
class IdempotencyFilter extends OncePerRequestFilter {

  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_LENGTH = 255;

  /** Seconds a repeat is told to wait while the first request still runs. */
  static final int RETRY_AFTER_SECONDS = 1;

  /** The largest body read; the operator API refuses anything near this size anyway. */
  private static final int MAX_BODY_BYTES = 4 * RequestReader.MAX_BODY_BYTES;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final IdempotencyRecords records;
  private final MeterRegistry meters;

  IdempotencyFilter(IdempotencyRecords records, MeterRegistry meters) {
    this.records = records;
    this.meters = meters;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || !path(request).startsWith("/ops/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    List<String> keys = Collections.list(request.getHeaders(HEADER));
    Principal operator = request.getUserPrincipal();
    if (keys.isEmpty() || operator == null) {
      // no key: as before; no operator: security has answered already
      chain.doFilter(request, response);
      return;
    }
    Optional<String> malformed =
        keys.size() > 1 ? Optional.of("is sent more than once") : check(keys.get(0));
    if (malformed.isPresent()) {
      problem(
          request,
          response,
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          HEADER + ": " + malformed.get(),
          Map.of());
      return;
    }
    String key = keys.get(0);
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      problem(
          request,
          response,
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "body: is larger than " + MAX_BODY_BYTES + " bytes",
          Map.of("field", "body"));
      return;
    }
    HttpServletRequest replayable = new BodyRequest(request, body);
    if (bulkDryRun(request, body)) {
      chain.doFilter(replayable, response);
      return;
    }
    String path = request.getRequestURI();
    IdempotencyRecords.Claim claim =
        records.claim(
            operator.getName(),
            key,
            fingerprint(request.getMethod(), path, request.getQueryString(), body),
            request.getMethod(),
            path);
    if (claim instanceof IdempotencyRecords.Claimed claimed) {
      act(replayable, response, chain, claimed.id());
    } else if (claim instanceof IdempotencyRecords.Replay replay) {
      count("replayed");
      replay(response, replay);
    } else if (claim instanceof IdempotencyRecords.Mismatch other) {
      count("conflict");
      problem(
          request,
          response,
          HttpStatus.CONFLICT,
          "Idempotency-Key reused",
          HEADER
              + ": "
              + key
              + " was used for another request ("
              + (other.method().equals(request.getMethod()) && other.path().equals(path)
                  ? "the same action with another body"
                  : other.method() + " " + other.path())
              + "); send a new key for a new request",
          Map.of());
    } else if (claim instanceof IdempotencyRecords.InProgress running) {
      count(running.abandoned() ? "not_finished" : "in_progress");
      inProgress(request, response, running);
    }
  }

  /** Repeats that did not act, by what they were told: {@code saga.ops.idempotency{result}}. */
  private void count(String result) {
    meters.counter("saga.ops.idempotency", "result", result).increment();
  }

  private static void inProgress(
      HttpServletRequest request,
      HttpServletResponse response,
      IdempotencyRecords.InProgress running)
      throws IOException {
    if (running.abandoned()) {
      problem(
          request,
          response,
          HttpStatus.CONFLICT,
          "Request did not finish",
          HEADER
              + ": the request made with this key at "
              + running.claimedAt()
              + " never finished (the engine may have stopped while it ran); whether it acted is"
              + " not known: see GET /ops/sagas/{orderId} or GET /ops/audit, and send a new key"
              + " to act again",
          Map.of("inProgress", false));
      return;
    }
    response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
    problem(
        request,
        response,
        HttpStatus.CONFLICT,
        "Request in progress",
        HEADER
            + ": a request with this key is still being carried out (since "
            + running.claimedAt()
            + "); repeat it after a moment to get its answer",
        Map.of("inProgress", true));
  }

  /** What is wrong with a key, if anything: 1 to 255 visible ASCII characters. */
  static Optional<String> check(String key) {
    if (key.isEmpty()) {
      return Optional.of("must not be empty when sent");
    }
    if (key.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters");
    }
    if (!key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      return Optional.of("must be visible ASCII characters only (no spaces), such as a UUID");
    }
    return Optional.empty();
  }

  /**
   * The request as compared with a repeat: method, path, query and body. A JSON body is compared by
   * its content (member order and white space do not matter); any other body byte for byte.
   */
  static String fingerprint(String method, String path, String query, byte[] body) {
    String content;
    try {
      JsonNode tree = JSON.readTree(body);
      content = tree == null ? "" : "json:" + JSON.writeValueAsString(sorted(tree));
    } catch (IOException notJson) {
      content = "raw:" + HexFormat.of().formatHex(body);
    }
    String request = method + " " + path + (query == null ? "" : "?" + query) + "\n" + content;
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(request.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      names.forEach(name -> copy.set(name, sorted(node.get(name))));
      return copy;
    }
    if (node.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }

  /** A bulk request that only shows what it would do ({@code dryRun} missing or not false). */
  private static boolean bulkDryRun(HttpServletRequest request, byte[] body) {
    if (!path(request).startsWith("/ops/bulk/")) {
      return false;
    }
    try {
      JsonNode tree = JSON.readTree(body);
      return tree != null
          && tree.isObject()
          && !(tree.path("dryRun").isBoolean() && !tree.path("dryRun").booleanValue());
    } catch (IOException notJson) {
      return false; // refused as it is, with a 400
    }
  }

  private void act(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain, String id)
      throws ServletException, IOException {
    ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
    boolean answered = false;
    try {
      chain.doFilter(request, recorded);
      answered = true;
    } finally {
      if (!answered) {
        // it failed past the handlers: whether it acted is not known, and a repeat must not act
        byte[] failed =
            problemBody(
                request,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "the request made with this "
                    + HEADER
                    + " failed; whether it acted is not known:"
                    + " see GET /ops/sagas/{orderId} or GET /ops/audit",
                Map.of());
        records.complete(id, HttpStatus.INTERNAL_SERVER_ERROR.value(), problemType(), failed);
      } else if (recorded.getStatus() == HttpStatus.BAD_REQUEST.value()) {
        records.release(id);
      } else {
        records.complete(
            id, recorded.getStatus(), recorded.getContentType(), recorded.getContentAsByteArray());
      }
      recorded.copyBodyToResponse();
    }
  }

  private static void replay(HttpServletResponse response, IdempotencyRecords.Replay replay)
      throws IOException {
    response.setStatus(replay.status());
    if (replay.contentType() != null) {
      response.setContentType(replay.contentType());
    }
    response.setHeader(REPLAYED, "true");
    response.setContentLength(replay.body().length);
    response.getOutputStream().write(replay.body());
  }

  private static void problem(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String title,
      String detail,
      Map<String, Object> properties)
      throws IOException {
    // every refusal names what was wrong as every API does: errors: [{field, message}]
    Map<String, Object> all = new LinkedHashMap<>(properties);
    Object field = all.remove("field");
    String named = field == null ? HEADER : field.toString();
    String message =
        detail.startsWith(named + ": ") ? detail.substring(named.length() + 2) : detail;
    all.put("errors", List.of(new Problems.FieldProblem(named, message)));
    byte[] body = problemBody(request, status, title, named + " " + message, all);
    response.setStatus(status.value());
    response.setContentType(problemType());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static byte[] problemBody(
      HttpServletRequest request,
      HttpStatus status,
      String title,
      String detail,
      Map<String, Object> properties) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status.value());
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    problem.putAll(properties);
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write a problem", e);
    }
  }

  private static String problemType() {
    return MediaType.APPLICATION_PROBLEM_JSON_VALUE;
  }

  private static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
  }

  /** The request with its body read once and served again to the handler. */
  private static final class BodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    BodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream bytes = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
          return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
