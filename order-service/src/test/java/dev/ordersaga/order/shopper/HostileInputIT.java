package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.testing.HostileRequests;
import dev.ordersaga.messaging.testing.RawHttp;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.orders.OrderStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The shopper API under attack (issue 9): each finding as it was reported, then a table of bad
 * requests, each of which must be a 4xx problem+json naming what was wrong, with no stack trace in
 * the body and no order stored.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputIT extends OrderServiceTestSupport {

  @LocalServerPort private int port;

  private RawHttp raw;

  @BeforeEach
  void rawClient() {
    raw = new RawHttp(port, SHOPPER, PASSWORD);
  }

  // finding 1
  @Test
  void aHeaderWithRawNonAsciiBytesIs400NamingTheHeader() {
    long before = storedOrders();
    for (String header : List.of("Idempotency-Key", "traceparent")) {
      for (byte[] value :
          List.of(
              "ключ".getBytes(StandardCharsets.UTF_8),
              new byte[] {'k', (byte) 0x80},
              new byte[] {'k', (byte) 0x9f},
              new byte[] {(byte) 0x85})) {
        RawHttp.Response response =
            raw.request("POST", "/orders")
                .header("Content-Type", "application/json")
                .header(header, value)
                .body(validRequest().toString())
                .send();

        assertRefused(response, 400, header);
      }
    }
    assertThat(storedOrders()).isEqualTo(before);
  }

  // finding 3
  @Test
  void anUnknownTransferEncodingIs501AsProblemJson() {
    RawHttp.Response response =
        raw.request("POST", "/orders")
            .header("Content-Type", "application/json")
            .header("Transfer-Encoding", "gzip")
            .body(validRequest().toString())
            .withoutLength()
            .send();

    assertThat(response.status()).as("%s", response).isEqualTo(501);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().path("status").asInt()).isEqualTo(501);
    assertThat(response.text()).doesNotContain("<html");
  }

  // finding 4
  @Test
  void aCursorTheApiDidNotIssueIs400NamingCursor() {
    placedOrder();
    placedOrder();
    JsonNode first = http.getForObject("/orders?limit=1", JsonNode.class);
    String issued = first.get("next").asText();
    String tampered =
        issued.substring(0, 5) + (issued.charAt(5) == 'A' ? 'B' : 'A') + issued.substring(6);

    for (String forged :
        List.of(
            "bzE6MDp4", // o1:0:x, the unsigned form this API once gave out
            base64("o1:4102444800000:" + first.get("orders").get(0).get("orderId").asText()),
            tampered)) {
      assertRefused(raw.request("GET", "/orders?cursor=" + forged).send(), 400, "cursor");
    }
    // another shopper's cursor is not this shopper's
    RawHttp other = new RawHttp(port, OTHER_SHOPPER, OTHER_PASSWORD);
    assertRefused(other.request("GET", "/orders?cursor=" + issued).send(), 400, "cursor");
    // the issued one still leads on
    assertThat(raw.request("GET", "/orders?limit=1&cursor=" + issued).send().status())
        .isEqualTo(200);
  }

  // finding 5
  @Test
  void aBodyNotDeclaredAsUtf8JsonIs415NamingContentType() {
    long before = storedOrders();
    for (String type :
        List.of(
            "*/*",
            "application/json; charset=utf-16",
            "application/json; charset=iso-8859-1",
            "application/*",
            "text/plain",
            "application/merge-patch+json")) {
      RawHttp.Response response =
          raw.request("POST", "/orders")
              .header("Content-Type", type)
              .body(validRequest().toString())
              .send();

      assertRefused(response, 415, "Content-Type");
      assertThat(response.headers()).containsEntry("accept-post", "application/json");
    }
    assertThat(storedOrders()).isEqualTo(before);
  }

  // finding 6
  @Test
  void anAddressOrTextThatIsNotValidIs400NamingTheField() {
    long before = storedOrders();
    for (String email : List.of("<minji@example.com>", "\"\"@example.com", "minji@[127.0.0.1]")) {
      assertRefused(post(request(r -> r.put("customerEmail", email))), 400, "customerEmail");
    }
    assertRefused(
        post(jsonWith("\"name\": \"Jiwoo Kim\"", "\"name\": \"Ji\\ud800woo\"")),
        400,
        "shippingAddress.name");
    assertRefused(
        post(jsonWith("\"city\": \"Seoul\"", "\"city\": \"\\udc00Seoul\"")),
        400,
        "shippingAddress.city");
    assertRefused(
        post(jsonWith("\"sku\": \"MUG-1\"", "\"sku\": \"MUG\\ud83d\"")), 400, "items[0].sku");
    // overlong UTF-8 (C0 AF, a '/' written in two bytes) in a city and a SKU
    assertRefused(
        post(bytesWith("Seoul", new byte[] {'S', (byte) 0xC0, (byte) 0xAF})), 400, "body");
    assertRefused(
        post(bytesWith("MUG-1", new byte[] {'M', (byte) 0xC0, (byte) 0xAF})), 400, "body");
    assertThat(storedOrders()).isEqualTo(before);
  }

  // finding 7
  @Test
  void aRefusedRequestIsOneShortEscapedLogLine(CapturedOutput output) {
    String marker = "m" + System.nanoTime();
    // under Tomcat's 8 KB limit, so that the app reads it (and logs its 404 with the id)
    String hostile = marker + "x".repeat(3_000) + "\nFORGED LOG LINE " + marker;

    RawHttp.Response response =
        raw.request("GET", "/orders/" + java.net.URLEncoder.encode(hostile, StandardCharsets.UTF_8))
            .send();
    RawHttp.Response cancel =
        raw.request("POST", "/orders/" + marker + "/cancel")
            .header("Content-Type", "application/json")
            .body("{\"reason\": \"" + "\\n".repeat(5_000) + marker + "\"}")
            .send();

    assertThat(response.status()).isBetween(400, 499);
    assertThat(cancel.status()).isBetween(400, 499);
    List<String> lines = output.getAll().lines().filter(line -> line.contains(marker)).toList();
    assertThat(lines).as("one line per refused request").hasSize(2);
    assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThan(1_000));
    assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith("FORGED LOG LINE"));
    assertThat(output.getAll()).doesNotContain("\tat dev.ordersaga");
  }

  /** The table: many bad requests, each a 4xx problem+json, and not one order stored. */
  @Test
  void everyBadRequestIsA4xxProblemAndStoresNothing() {
    long before = storedOrders();
    List<HostileRequests.Case> cases = new ArrayList<>(HostileRequests.common("/orders?limit=5"));
    addBodies(cases);
    addQueries(cases);
    addHeaders(cases);

    int sent = HostileRequests.assertRefused(raw, cases);
    sent +=
        HostileRequests.assertRefused(
            new RawHttp(port, null, null), HostileRequests.common("/orders"));

    assertThat(sent).isGreaterThan(150);
    assertThat(storedOrders()).isEqualTo(before);
    assertThat(raw.request("GET", "/orders").send().status()).isEqualTo(200);
  }

  private void addBodies(List<HostileRequests.Case> cases) {
    List<String> bodies = new ArrayList<>();
    bodies.add("");
    bodies.add("null");
    bodies.add("[]");
    bodies.add("\"text\"");
    bodies.add("{");
    bodies.add("{}");
    bodies.add("{} {}");
    bodies.add("[".repeat(100) + "]".repeat(100));
    bodies.add("{\"a\":".repeat(100) + "1" + "}".repeat(100));
    bodies.add(validRequest().toString().replace("}", "} trailing"));
    bodies.add(
        validRequest()
            .toString()
            .replace("{\"customerId\"", "{\"customerId\":\"x\",\"customerId\""));
    bodies.add(validRequest().put("extra", 1).toString());
    bodies.add(validRequest().toString().replace("12.5", "1" + "0".repeat(200)));
    bodies.add(validRequest().toString().replace("12.5", "1e999999999"));
    bodies.add(validRequest().toString().replace("12.5", "-1e-999999999"));
    bodies.add(validRequest().toString().replace("12.5", "NaN"));
    bodies.add(validRequest().toString().replace("\"quantity\":2", "\"quantity\":2147483648"));
    bodies.add(validRequest().toString().replace("\"quantity\":2", "\"quantity\":1e3"));
    bodies.add(validRequest().toString().replace("\"quantity\":2", "\"quantity\":-0"));
    bodies.add(validRequest().toString().replace("\"quantity\":2", "\"quantity\":\"2\""));
    bodies.add("\ufeff" + validRequest());
    for (String email :
        List.of(
            "<minji@example.com>",
            "\"\"@example.com",
            "minji@[127.0.0.1]",
            "Minji <minji@example.com>",
            "minji@localhost",
            "minji",
            "minji@example.com\nBcc: x@example.com",
            "minji@example.com\u0000",
            "a".repeat(300) + "@example.com")) {
      bodies.add(request(r -> r.put("customerEmail", email)));
    }
    for (String field : List.of("customerId", "locale", "currency")) {
      bodies.add(lone(request(r -> r.put(field, "x" + LONE))));
      bodies.add(request(r -> r.put(field, 1)));
      bodies.add(request(r -> r.putObject(field)));
    }
    for (String field : List.of("name", "line1", "line2", "city", "postalCode", "country")) {
      bodies.add(
          lone(request(r -> ((ObjectNode) r.get("shippingAddress")).put(field, "A" + LONE + "B"))));
      bodies.add(request(r -> ((ObjectNode) r.get("shippingAddress")).put(field, "A\u0007B")));
      bodies.add(
          request(r -> ((ObjectNode) r.get("shippingAddress")).put(field, "x".repeat(10_000))));
    }
    bodies.add(lone(request(r -> ((ObjectNode) r.get("items").get(0)).put("sku", LONE))));
    bodies.add(lone(request(r -> ((ObjectNode) r.get("paymentMethod")).put("token", LONE))));
    bodies.add(request(r -> r.put("customerId", "c-77")));
    bodies.add("{\"\\ud800\": 1}");
    for (int i = 0; i < bodies.size(); i++) {
      String body = bodies.get(i);
      cases.add(
          new HostileRequests.Case(
              "body #" + i + " " + body.substring(0, Math.min(40, body.length())),
              http ->
                  http.request("POST", "/orders")
                      .header("Content-Type", "application/json")
                      .body(body)
                      .send()));
    }
    for (byte[] bytes :
        List.of(
            bytesWith("Seoul", new byte[] {(byte) 0xC0, (byte) 0xAF}),
            bytesWith("Seoul", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
            bytesWith("Seoul", new byte[] {(byte) 0xFF}),
            bytesWith("Seoul", new byte[] {(byte) 0xE2, (byte) 0x82}),
            validRequest().toString().getBytes(StandardCharsets.UTF_16),
            new byte[70 * 1024])) {
      cases.add(
          new HostileRequests.Case(
              "body bytes " + Arrays.toString(Arrays.copyOf(bytes, 8)),
              http ->
                  http.request("POST", "/orders")
                      .header("Content-Type", "application/json")
                      .body(bytes)
                      .send()));
    }
    cases.add(
        new HostileRequests.Case(
            "cancel with a bad reason",
            http ->
                http.request("POST", "/orders/o-1/cancel")
                    .header("Content-Type", "application/json")
                    .body("{\"reason\": \"\\ud800\"}")
                    .send()));
    cases.add(
        new HostileRequests.Case(
            "cancel with */*",
            http ->
                http.request("POST", "/orders/o-1/cancel")
                    .header("Content-Type", "*/*")
                    .body("{}")
                    .send()));
  }

  private static void addQueries(List<HostileRequests.Case> cases) {
    for (String query :
        List.of(
            "?limit=0",
            "?limit=101",
            "?limit=-1",
            "?limit=99999999999999999999",
            "?limit=1.5",
            "?limit=1&limit=2",
            "?cursor=bzE6MDp4",
            "?cursor=",
            "?cursor=a&cursor=b",
            "?cursor=" + "A".repeat(5000),
            "?cursor=%00",
            "?status=PENDING",
            "?limit[$gt]=1")) {
      cases.add(
          new HostileRequests.Case(
              "GET /orders" + query, http -> http.request("GET", "/orders" + query).send()));
    }
    for (String path :
        List.of(
            "/orders/" + "x".repeat(5000),
            "/orders/a%00b",
            "/orders/%ED%A0%80",
            "/orders/..%2F..%2Fetc",
            "/orders/no-such-order/cancel",
            "/orders/no-such-order/unknown")) {
      cases.add(new HostileRequests.Case("GET " + path, http -> http.request("GET", path).send()));
    }
  }

  private void addHeaders(List<HostileRequests.Case> cases) {
    for (String key : List.of("", " ", "has space", "x".repeat(256), "é")) {
      cases.add(
          new HostileRequests.Case(
              "Idempotency-Key '" + key.substring(0, Math.min(10, key.length())) + "'",
              http ->
                  http.request("POST", "/orders")
                      .header("Content-Type", "application/json")
                      .header("Idempotency-Key", key)
                      .body(validRequest().toString())
                      .send()));
    }
    cases.add(
        new HostileRequests.Case(
            "two Idempotency-Keys",
            http ->
                http.request("POST", "/orders")
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "key-1")
                    .header("Idempotency-Key", "key-2")
                    .body(validRequest().toString())
                    .send()));
    cases.add(
        new HostileRequests.Case(
            "Authorization with raw bytes",
            http ->
                new RawHttp(port, null, null)
                    .request("GET", "/orders")
                    .header("Authorization", new byte[] {'B', 'a', 's', 'i', 'c', ' ', (byte) 0x85})
                    .send()));
    cases.add(
        new HostileRequests.Case(
            "Authorization not Base64",
            http ->
                new RawHttp(port, null, null)
                    .request("GET", "/orders")
                    .header("Authorization", "Basic !!!not-base64")
                    .send()));
  }

  /** Where {@link #lone} writes a lone surrogate as a JSON escape. */
  private static final String LONE = "@LONE-SURROGATE@";

  /**
   * The JSON text with {@link #LONE} as the JSON escape of U+D800 alone (UTF-8 cannot carry it).
   */
  private static String lone(String json) {
    return json.replace(LONE, "\\ud800");
  }

  private RawHttp.Response post(String body) {
    return raw.request("POST", "/orders")
        .header("Content-Type", "application/json")
        .body(body)
        .send();
  }

  private RawHttp.Response post(byte[] body) {
    return raw.request("POST", "/orders")
        .header("Content-Type", "application/json")
        .body(body)
        .send();
  }

  private static String request(Consumer<ObjectNode> change) {
    ObjectNode request = validRequest();
    change.accept(request);
    return request.toString();
  }

  /** The valid request's JSON text with one piece of text replaced (to write JSON escapes). */
  private static String jsonWith(String text, String replacement) {
    String json = validRequest().toString().replace(": ", ":");
    String from = text.replace(": ", ":");
    assertThat(json).contains(from);
    return json.replace(from, replacement.replace(": ", ":"));
  }

  /** The valid request's UTF-8 bytes with one text replaced by exact bytes. */
  private static byte[] bytesWith(String text, byte[] replacement) {
    String json = validRequest().toString();
    int at = json.indexOf(text);
    assertThat(at).isNotNegative();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(replacement);
    bytes.writeBytes(json.substring(at + text.length()).getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  private static String base64(String text) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private long storedOrders() {
    return database.getCollection(OrderStore.COLLECTION).countDocuments(new Document());
  }

  private static void assertRefused(RawHttp.Response response, int status, String field) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode body = response.json();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(
            StreamSupport.stream(body.path("errors").spliterator(), false)
                .map(error -> error.path("field").asText().toLowerCase(Locale.ROOT)))
        .as("%s", response)
        .contains(field.toLowerCase(Locale.ROOT));
    assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
