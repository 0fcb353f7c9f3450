package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.testing.HostileRequests;
import dev.ordersaga.messaging.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * saga-engine's HTTP APIs ({@code /ops}, {@code /analytics}, {@code /sagas}) under attack (issue
 * 9): each finding as it was reported, then a table of bad requests, each of which must be a 4xx
 * problem+json naming what was wrong, with no stack trace and no audit entry written.
 */
class HostileInputIT extends OpsTestSupport {

  /** Every endpoint that takes instants, with the parameters that hold them. */
  private static final List<String> INSTANT_PARAMETERS =
      List.of(
          "/analytics/aggregates/failure-reasons?from=",
          "/analytics/aggregates/failure-reasons?to=",
          "/analytics/aggregates/outcomes?from=",
          "/analytics/aggregates/outcomes?bucket=day&to=",
          "/analytics/aggregates/step-latency?from=",
          "/analytics/aggregates/step-retries?to=",
          "/analytics/events?from=",
          "/analytics/events?to=",
          "/analytics/export?format=csv&from=",
          "/analytics/export?format=ndjson&to=",
          "/ops/audit?from=",
          "/ops/audit?to=",
          "/ops/sagas?olderThan=",
          "/ops/sagas?newerThan=");

  @LocalServerPort private int port;

  private RawHttp raw;

  @BeforeEach
  void rawClient() {
    raw = new RawHttp(port, "operator", OPERATOR_PASSWORD);
  }

  // finding 2
  @Test
  void anInstantOutOfRangeIs400NamingTheParameterOnEveryEndpoint() {
    for (String endpoint : INSTANT_PARAMETERS) {
      String parameter = endpoint.replaceFirst(".*[?&]", "").replace("=", "");
      for (String instant :
          List.of(
              "-999999999-01-01T00:00:00Z",
              "%2B999999999-12-31T23:59:59Z",
              "%2B10000-01-01T00:00:00Z",
              "0000-01-01T00:00:00Z",
              "P999999999D",
              "PT-1S",
              "not-an-instant")) {
        if (instant.startsWith("P") && !endpoint.contains("Than")) {
          continue;
        }
        RawHttp.Response response = raw.request("GET", endpoint + instant).send();

        assertRefused(response, 400, parameter);
      }
    }
    // within range they are taken
    assertThat(
            raw.request(
                    "GET",
                    "/analytics/aggregates/failure-reasons?from=0001-01-01T00:00:00Z"
                        + "&to=9999-12-31T23:59:59Z")
                .send()
                .status())
        .isEqualTo(200);
  }

  // finding 4
  @Test
  void aCursorTheApiDidNotIssueIs400NamingCursor() {
    String unsignedOps = base64url("sagas\nabcd1234\n" + System.currentTimeMillis() + "\norder-7");
    String unsignedAudit = base64url("audit\nabcd1234\n0\nx");
    for (String listing : List.of("/ops/sagas", "/ops/audit", "/analytics/events")) {
      for (String forged :
          List.of(unsignedOps, unsignedAudit, "bzE6MDp4", "AAAA.AAAA", "%00", "x".repeat(3000))) {
        assertRefused(raw.request("GET", listing + "?cursor=" + forged).send(), 400, "cursor");
      }
    }
  }

  @Test
  void aCursorOfOneListingIsRefusedByAnotherAndAnotherQuery() {
    placeOrder("c-cursor-1");
    placeOrder("c-cursor-1");
    JsonNode page = raw.request("GET", "/ops/sagas?customerId=c-cursor-1&limit=1").send().json();
    String cursor = page.path("nextCursor").asText();
    org.awaitility.Awaitility.await()
        .atMost(LONG)
        .until(
            () ->
                !raw.request("GET", "/ops/sagas?customerId=c-cursor-1&limit=1")
                    .send()
                    .json()
                    .path("nextCursor")
                    .isNull());
    cursor =
        raw.request("GET", "/ops/sagas?customerId=c-cursor-1&limit=1")
            .send()
            .json()
            .path("nextCursor")
            .asText();

    assertThat(
            raw.request("GET", "/ops/sagas?customerId=c-cursor-1&limit=1&cursor=" + cursor)
                .send()
                .status())
        .isEqualTo(200);
    assertRefused(
        raw.request("GET", "/ops/sagas?customerId=c-other&limit=1&cursor=" + cursor).send(),
        400,
        "cursor");
    assertRefused(raw.request("GET", "/ops/audit?cursor=" + cursor).send(), 400, "cursor");
    assertRefused(raw.request("GET", "/analytics/events?cursor=" + cursor).send(), 400, "cursor");
  }

  // findings 1, 5 and 6 on the operator API
  @Test
  void anOperatorActionWithABadHeaderContentTypeOrTextIsRefusedAndNotAudited() {
    long audited = audited();
    String path = "/ops/sagas/order-hostile/retry";
    assertRefused(
        raw.request("POST", path)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "ключ".getBytes(StandardCharsets.UTF_8))
            .body("{\"reason\": \"r\"}")
            .send(),
        400,
        "Idempotency-Key");
    for (String type : List.of("*/*", "application/json; charset=utf-16", "text/plain")) {
      assertRefused(
          raw.request("POST", path).header("Content-Type", type).body("{\"reason\":\"r\"}").send(),
          415,
          "Content-Type");
    }
    assertRefused(
        raw.request("POST", path)
            .header("Content-Type", "application/json")
            .body("{\"reason\": \"a\\ud800\"}")
            .send(),
        400,
        "reason");
    assertRefused(
        raw.request("POST", path)
            .header("Content-Type", "application/json")
            .body(
                new byte[] {
                  '{',
                  '"',
                  'r',
                  'e',
                  'a',
                  's',
                  'o',
                  'n',
                  '"',
                  ':',
                  '"',
                  (byte) 0xC0,
                  (byte) 0xAF,
                  '"',
                  '}'
                })
            .send(),
        400,
        "body");
    assertThat(audited()).isEqualTo(audited);
  }

  /** The table: many bad requests, each a 4xx problem+json; no audit entry written. */
  @Test
  void everyBadRequestIsA4xxProblemAndAuditsNothing() {
    long audited = audited();
    List<HostileRequests.Case> cases = new ArrayList<>();
    cases.addAll(HostileRequests.common("/ops/sagas?limit=5"));
    cases.addAll(HostileRequests.common("/analytics/events?pageSize=5"));
    cases.addAll(HostileRequests.common("/sagas/order-1"));
    for (String query :
        List.of(
            "/ops/sagas?limit=0",
            "/ops/sagas?limit=1&limit=2",
            "/ops/sagas?limit=99999999999",
            "/ops/sagas?state=NOPE",
            "/ops/sagas?stuck=maybe",
            "/ops/sagas?nope=1",
            "/ops/sagas?customerId=%00",
            "/ops/sagas?customerId=" + "x".repeat(300),
            "/ops/sagas?customerId[$ne]=x",
            "/ops/sagas/" + "x".repeat(300),
            "/ops/sagas/a%01b",
            "/ops/audit?limit=-1",
            "/ops/audit?who=a&who=b",
            "/ops/parked/no-such-queue",
            "/ops/parked?x=1",
            "/analytics/events?pageSize=0",
            "/analytics/events?pageSize=1.5",
            "/analytics/events?direction=sideways",
            "/analytics/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            "/analytics/events?type=" + "t,".repeat(200),
            "/analytics/export",
            "/analytics/export?format=xml",
            "/analytics/aggregates/outcomes?bucket=minute",
            "/analytics/aggregates/outcomes?bucket=hour&from=0001-01-01T00:00:00Z",
            "/analytics/aggregates/failure-reasons?from=a&from=b",
            "/analytics/nope",
            "/sagas/" + "x".repeat(300))) {
      cases.add(
          new HostileRequests.Case("GET " + query, http -> http.request("GET", query).send()));
    }
    for (String body :
        List.of(
            "",
            "null",
            "[]",
            "{",
            "{} {}",
            "{\"reason\": 1}",
            "{\"reason\": \"x\", \"reason\": \"y\"}",
            "{\"reason\": \"x\", \"extra\": 1}",
            "{\"reason\": \"" + "x".repeat(600) + "\"}",
            "{\"reason\": \"\\udfff\"}",
            "{\"\\ud800\": \"x\"}",
            "[".repeat(100) + "]".repeat(100),
            "{\"reason\": \"x\"," + "\"a\":{".repeat(50) + "}".repeat(50) + "}")) {
      for (String path :
          List.of(
              "/ops/sagas/order-hostile/retry",
              "/ops/sagas/order-hostile/resume",
              "/ops/bulk/retry",
              "/ops/parked/saga-engine.events.parked/redrive")) {
        cases.add(
            new HostileRequests.Case(
                "POST " + path + " " + body.substring(0, Math.min(30, body.length())),
                http ->
                    http.request("POST", path)
                        .header("Content-Type", "application/json")
                        .body(body)
                        .send()));
      }
    }
    cases.add(
        new HostileRequests.Case(
            "bulk action resume",
            http ->
                http.request("POST", "/ops/bulk/resume")
                    .header("Content-Type", "application/json")
                    .body("{\"filter\":{\"state\":\"PARKED\"},\"reason\":\"r\"}")
                    .send()));
    cases.add(
        new HostileRequests.Case(
            "bulk with a huge maxSagas",
            http ->
                http.request("POST", "/ops/bulk/retry")
                    .header("Content-Type", "application/json")
                    .body(
                        "{\"filter\":{\"state\":\"PARKED\"},\"reason\":\"r\","
                            + "\"maxSagas\":99999999999}")
                    .send()));

    int sent = HostileRequests.assertRefused(raw, cases);
    sent +=
        HostileRequests.assertRefused(
            new RawHttp(port, null, null), HostileRequests.common("/ops/sagas"));

    assertThat(sent).isGreaterThan(200);
    assertThat(audited()).isEqualTo(audited);
    assertThat(raw.request("GET", "/ops/sagas?limit=1").send().status()).isEqualTo(200);
  }

  private long audited() {
    return database.getCollection(AuditLog.COLLECTION).countDocuments(new Document());
  }

  private static String base64url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A 4xx problem+json that names {@code name} in its {@code errors: [{field, message}]}. */
  private static void assertRefused(RawHttp.Response response, int status, String name) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.contentType()).as("%s", response).startsWith("application/problem+json");
    JsonNode body = response.json();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    List<String> named = body.path("errors").findValuesAsText("field");
    assertThat(named.stream().map(n -> n.toLowerCase(Locale.ROOT)))
        .as("%s", response)
        .contains(name.toLowerCase(Locale.ROOT));
    assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
