package dev.ordersaga.messaging.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/**
 * Bad requests every service's HTTP API must refuse with a 4xx {@code application/problem+json} (a
 * 501 only for a {@code Transfer-Encoding} HTTP lets a server not implement), never a 500, never an
 * HTML page, never a stack trace. {@link #common} builds the ones that fit any API from one of its
 * reads; each service's test adds its own and checks them with {@link #assertRefused}.
 */
public final class HostileRequests {

  /** One bad request: what it is, and how to send it. */
  public record Case(String name, Function<RawHttp, RawHttp.Response> send) {}

  private HostileRequests() {}

  /**
   * Bad requests around a read of the API, such as {@code /payments?orderId=o-1}: headers with raw
   * bytes, transfer encodings, bodies of the wrong type, wrong methods, forbidden paths, huge
   * headers, control characters in parameter names, unknown paths.
   */
  public static List<Case> common(String read) {
    String path = read.replaceFirst("\\?.*", "");
    List<Case> cases = new ArrayList<>();
    byte[] russian = "ключ".getBytes(StandardCharsets.UTF_8);
    for (String header : List.of("Idempotency-Key", "traceparent", "X-Request-Id", "Accept")) {
      cases.add(get(header + " raw UTF-8", read, header, russian));
      for (int b = 0x80; b <= 0x9f; b += 0x0f) {
        cases.add(
            get(
                header + " byte 0x" + Integer.toHexString(b),
                read,
                header,
                new byte[] {'k', (byte) b}));
      }
      cases.add(get(header + " NUL", read, header, new byte[] {'a', 0, 'b'}));
      cases.add(get(header + " ESC", read, header, new byte[] {'a', 0x1b, '[', '3', '1', 'm'}));
    }
    cases.add(get("header name with 0x85", read, "X-Bad\u0085Name", "1".getBytes()));
    for (String accept : List.of("text/html", "application/xml")) {
      cases.add(
          new Case(
              "Accept: " + accept + " on an unknown path",
              http ->
                  http.request("GET", path + "/no/such/thing").header("Accept", accept).send()));
      cases.add(
          new Case(
              "Accept: " + accept + " on a read",
              http -> http.request("GET", read).header("Accept", accept).send()));
    }
    cases.add(
        new Case(
            "Transfer-Encoding: gzip",
            http ->
                http.request("POST", path)
                    .header("Transfer-Encoding", "gzip")
                    .header("Content-Type", "application/json")
                    .body("{}")
                    .withoutLength()
                    .send()));
    cases.add(
        new Case(
            "Transfer-Encoding: gzip, chunked",
            http ->
                http.request("POST", path)
                    .header("Transfer-Encoding", "gzip, chunked")
                    .header("Content-Type", "application/json")
                    .body("2\r\n{}\r\n0\r\n\r\n")
                    .withoutLength()
                    .send()));
    cases.add(
        new Case(
            "Transfer-Encoding: identity with Content-Length",
            http ->
                http.request("GET", read).header("Transfer-Encoding", "identity").body("").send()));
    cases.add(
        new Case(
            "huge header (64 KB)",
            http -> http.request("GET", read).header("X-Huge", "x".repeat(64 * 1024)).send()));
    cases.add(
        new Case(
            "huge request line",
            http -> http.request("GET", read + "&pad=" + "y".repeat(70 * 1024)).send()));
    cases.add(
        new Case(
            "parameter name with a control character",
            http -> http.request("GET", read + "&%01=1").send()));
    cases.add(
        new Case(
            "parameter value with raw bytes 0x85",
            http -> http.request("GET", read + "&x=%85").send()));
    cases.add(
        new Case("encoded slash in the path", http -> http.request("GET", path + "%2F..").send()));
    cases.add(new Case("semicolon in the path", http -> http.request("GET", path + ";x=1").send()));
    cases.add(new Case("double slash", http -> http.request("GET", "/" + path).send()));
    cases.add(new Case("backslash", http -> http.request("GET", path + "%5C..").send()));
    cases.add(new Case("encoded percent", http -> http.request("GET", path + "%25").send()));
    cases.add(
        new Case("unknown path", http -> http.request("GET", path + "/no/such/thing").send()));
    for (String method : List.of("DELETE", "PUT", "PATCH", "TRACE", "BREW")) {
      cases.add(new Case("method " + method, http -> http.request(method, read).send()));
    }
    for (String type : List.of("*/*", "application/json; charset=utf-16", "text/plain")) {
      cases.add(
          new Case(
              "POST with Content-Type " + type,
              http -> http.request("POST", path).header("Content-Type", type).body("{}").send()));
    }
    cases.add(
        new Case(
            "a 300 KB body",
            http ->
                http.request("POST", path)
                    .header("Content-Type", "application/json")
                    .body("[" + "1,".repeat(150_000) + "1]")
                    .send()));
    cases.add(
        new Case(
            "a 300 KB chunked body",
            http -> {
              String chunk = "[" + "1,".repeat(150_000) + "1]";
              return http.request("POST", path)
                  .header("Content-Type", "application/json")
                  .header("Transfer-Encoding", "chunked")
                  .withoutLength()
                  .body(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n")
                  .send();
            }));
    cases.add(
        new Case(
            "negative Content-Length",
            http ->
                http.request("POST", path)
                    .header("Content-Type", "application/json")
                    .header("Content-Length", "-1")
                    .withoutLength()
                    .body("{}")
                    .send()));
    cases.add(
        new Case(
            "two Content-Length headers",
            http ->
                http.request("POST", path)
                    .header("Content-Type", "application/json")
                    .header("Content-Length", "2")
                    .header("Content-Length", "3")
                    .withoutLength()
                    .body("{}")
                    .send()));
    return cases;
  }

  private static Case get(String name, String read, String header, byte[] value) {
    return new Case(name, http -> http.request("GET", read).header(header, value).send());
  }

  /**
   * Sends every case and checks each answer: a 4xx (or 501) problem+json whose body shows no stack
   * trace or exception. All failures are reported together.
   *
   * @return how many bad requests were sent
   */
  public static int assertRefused(RawHttp http, List<Case> cases) {
    SoftAssertions softly = new SoftAssertions();
    for (Case c : cases) {
      RawHttp.Response response = c.send().apply(http);
      softly
          .assertThat(response.status())
          .as("%s: %s", c.name(), response)
          .satisfiesAnyOf(
              status -> assertThat(status).isBetween(400, 499),
              status -> assertThat(status).isEqualTo(501));
      softly
          .assertThat(response.contentType())
          .as("%s: %s", c.name(), response)
          .startsWith("application/problem+json");
      JsonNode body = response.json();
      softly.assertThat(body).as("%s: body is JSON: %s", c.name(), response).isNotNull();
      if (body != null) {
        softly.assertThat(body.path("status").asInt()).as(c.name()).isEqualTo(response.status());
        softly.assertThat(body.has("trace")).as(c.name()).isFalse();
      }
      softly
          .assertThat(response.text())
          .as(c.name())
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("<html");
    }
    softly.assertAll();
    System.out.println("HostileRequests: " + cases.size() + " bad requests refused as problems");
    return cases.size();
  }
}
