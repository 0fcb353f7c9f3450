package dev.ordersaga.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * A signed-in shopper (HTTP Basic, one shopper account) and an observer of the system over its REST
 * APIs, for the demo, load runs and system tests. Its HTTP/1.1 client keeps connections open
 * between requests, so a load run does not open one per request.
 */
public final class ShopperClient {

  /** Order statuses after which nothing changes. */
  public static final Set<String> FINAL = Set.of("APPROVED", "REJECTED", "CANCELLED");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String orders;
  private final String authorization;

  /** A client of order-service signed in with one shopper account. */
  public ShopperClient(int orderServicePort, String username, String password) {
    this.orders = "http://localhost:" + orderServicePort;
    this.authorization = basic(username, password);
  }

  /**
   * An order body as a shopper would send it: without a customer id, which order-service takes from
   * the signed-in account.
   *
   * @param name the recipient's mailbox name ({@code name@example.com})
   */
  public static ObjectNode order(String name, String locale, String country, String token) {
    ObjectNode body = JSON.createObjectNode();
    body.put("customerEmail", name + "@example.com");
    body.put("locale", locale);
    body.put("currency", "EUR");
    ObjectNode line = body.putArray("items").addObject();
    line.put("sku", "MUG-01");
    line.put("quantity", 2);
    line.put("unitPrice", "16.50");
    ObjectNode address = body.putObject("shippingAddress");
    address.put("name", "Kim Minji");
    address.put("line1", "12 Sejong-daero");
    address.put("city", "Seoul");
    address.put("postalCode", "04524");
    address.put("country", country);
    body.putObject("paymentMethod").put("token", token);
    return body;
  }

  /** Places an order; returns its id. */
  public String place(ObjectNode body, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(orders + "/orders"))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "POST /orders answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("orderId").asText();
  }

  /** POST /orders/{id}/cancel; returns the HTTP status. */
  public int cancel(String orderId) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(orders + "/orders/" + orderId + "/cancel"))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /** GET /orders/{id}. */
  public JsonNode order(String orderId) throws IOException, InterruptedException {
    String url = orders + "/orders/" + orderId;
    return send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
        url);
  }

  /** The HTTP status of GET /orders/{id}, for checking who may read an order. */
  public int orderStatusCode(String orderId) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(orders + "/orders/" + orderId))
                .header("Authorization", authorization)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * A GET with HTTP Basic credentials of another account, such as the analyst's for saga-engine's
   * {@code /sagas/{id}} or payment-service's {@code /payments}.
   */
  public JsonNode get(String url, String user, String password)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", basic(user, password))
            .build(),
        url);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode send(HttpRequest request, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /**
   * Follows the order until its status is final or the time is up, with long polls ({@code GET
   * /orders/{id}} with {@code Prefer: wait=}{@value #LONG_POLL_SECONDS}, or less near the end):
   * each answers as soon as the order ends, so the end is seen at once and a slow order costs one
   * request per {@value #LONG_POLL_SECONDS} s. Returns the last state seen.
   */
  public JsonNode awaitFinal(String orderId, Duration atMost)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    String url = orders + "/orders/" + orderId;
    JsonNode order;
    do {
      long seconds =
          Math.max(0, Math.min(LONG_POLL_SECONDS, (deadline - System.nanoTime()) / 1_000_000_000L));
      order =
          send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", authorization)
                  .header("Prefer", "wait=" + seconds)
                  .timeout(Duration.ofSeconds(seconds + 30))
                  .build(),
              url);
    } while (!FINAL.contains(order.path("status").asText()) && System.nanoTime() < deadline);
    return order;
  }

  /** The longest wait {@link #awaitFinal} asks for: order-service's own cap. */
  static final long LONG_POLL_SECONDS = 30;
}
