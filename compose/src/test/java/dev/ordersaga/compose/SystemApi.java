package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The system's REST APIs on their fixed ports, as a test that must tell an answer from no answer
 * calls them: every HTTP answer comes back with its status (a 404 or a 503 is an answer, not an
 * exception); an {@link IOException} means no answer came (connection refused, reset by a kill,
 * timed out).
 */
final class SystemApi {

  /** One HTTP answer: its status, its body as JSON (missing when empty or not JSON). */
  record Answer(int status, JsonNode body, boolean replayed) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** The base URL of one app of {@link Launcher#APPS}, by name. */
  static String base(String app) {
    return "http://127.0.0.1:"
        + Launcher.APPS.stream()
            .filter(a -> a.name().equals(app))
            .findFirst()
            .orElseThrow()
            .defaultPort();
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  Answer get(String url, String authorization) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", authorization)
            .timeout(Duration.ofSeconds(20))
            .build());
  }

  /** A POST of a JSON body (or none), with an {@code Idempotency-Key} unless it is null. */
  Answer post(String url, String authorization, JsonNode body, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", authorization)
            .timeout(Duration.ofSeconds(20));
    if (body == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = response.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(response.body());
    } catch (IOException e) {
      body = MissingNode.getInstance();
    }
    return new Answer(
        response.statusCode(),
        body,
        response.headers().firstValue("Idempotent-Replayed").orElse("").equals("true"));
  }
}
