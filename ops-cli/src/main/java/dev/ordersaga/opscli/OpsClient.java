package dev.ordersaga.opscli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Talks to saga-engine's operator API over HTTP Basic: one request, one JSON answer. A 2xx answer
 * is returned as its body; any other status is a {@link Refused}; no answer at all is {@link
 * Unreachable}.
 */
final class OpsClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The server answered with a status other than 2xx (exit code 2). */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String body;

    Refused(int status, String body) {
      super("HTTP " + status);
      this.status = status;
      this.body = body;
    }

    int status() {
      return status;
    }

    String body() {
      return body;
    }
  }

  /** No answer: refused connection, unknown host, time-out (exit code 3). */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The answer's body, and whether the server replayed it for a repeated idempotency key. */
  record Answer(String body, boolean replayed) {}

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";

  private final URI base;
  private final String authorization;
  private final HttpClient http;

  OpsClient(URI base, String user, String password) {
    this.base = base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  URI base() {
    return base;
  }

  String get(String path, Map<String, String> query, Duration timeout) throws Refused, Unreachable {
    return send(request(path, query, timeout).GET().build(), timeout).body();
  }

  /**
   * POSTs {@code json}; with an {@code idempotencyKey} (else {@code null}) as its {@value
   * #IDEMPOTENCY_KEY} header, so the server acts at most once for that key.
   */
  Answer post(String path, String json, String idempotencyKey, Duration timeout)
      throws Refused, Unreachable {
    HttpRequest.Builder request =
        request(path, Map.of(), timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (idempotencyKey != null) {
      request.header(IDEMPOTENCY_KEY, idempotencyKey);
    }
    return send(request.build(), timeout);
  }

  /** One path segment, percent-encoded (an order id or a queue name may hold anything). */
  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path, Map<String, String> query, Duration timeout) {
    StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (name, value) ->
            parameters.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    String prefix = base.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(URI.create(prefix + path + parameters))
        .timeout(timeout)
        .header("Authorization", authorization)
        .header("Accept", "application/json, application/problem+json")
        .header("User-Agent", OpsCli.PROGRAM);
  }

  private Answer send(HttpRequest request, Duration timeout) throws Refused, Unreachable {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new Unreachable(
          "no answer from " + base + " within " + timeout.toSeconds() + " s (" + e + ")", e);
    } catch (IOException e) {
      throw new Unreachable("cannot reach " + base + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for " + base, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new Refused(response.statusCode(), response.body());
    }
    return new Answer(
        response.body(),
        response.headers().firstValue(REPLAYED).map("true"::equalsIgnoreCase).orElse(false));
  }

  /**
   * Why a connection failed, in words: the JDK's client reports an unknown host or a refused
   * connection as a {@code ConnectException} without a message, the reason in its causes.
   */
  private static String describe(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    if (chain.stream().anyMatch(UnresolvedAddressException.class::isInstance)) {
      return "unknown host";
    }
    if (chain.stream().anyMatch(ConnectException.class::isInstance)) {
      return "connection refused";
    }
    List<String> parts = new ArrayList<>();
    for (Throwable t : chain) {
      String part =
          t.getMessage() == null || t.getMessage().isBlank()
              ? t.getClass().getSimpleName()
              : t.getMessage();
      if (!parts.contains(part)) {
        parts.add(part);
      }
    }
    return String.join(": ", parts);
  }
}
