package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.UserDetailsManager;

/**
 * The {@code Idempotency-Key} of operator actions, over the real broker and store: a repeat is
 * answered again without acting, another request under the same key is a 409, a malformed key a
 * 400, concurrent duplicates act once, keys are per operator, and bulk runs and re-drives replay.
 */
class OpsIdempotencyIT extends OpsTestSupport {

  private static final String OTHER_OPERATOR = "operator-2";
  private static final String OTHER_PASSWORD = "test-operator-2";

  @Autowired UserDetailsService users;
  @Autowired MeterRegistry meters;

  /** A second operator account, so that keys can be shown to be per operator. */
  @BeforeEach
  void secondOperator() {
    UserDetailsManager manager = (UserDetailsManager) users;
    if (!manager.userExists(OTHER_OPERATOR)) {
      manager.createUser(
          User.withUsername(OTHER_OPERATOR)
              .password("{noop}" + OTHER_PASSWORD)
              .roles("OPERATOR")
              .build());
    }
  }

  @Test
  void aRepeatWithTheSameKeyGetsTheSameAnswerAndActsOnce() throws Exception {
    String orderId = awaitingPayment("idem-replay");
    String key = UUID.randomUUID().toString();
    String path = "/ops/sagas/" + orderId + "/park";

    ResponseEntity<String> first = post(operator(), path, "{\"reason\": \"hold\"}", key);
    ResponseEntity<String> again = post(operator(), path, "{\"reason\": \"hold\"}", key);
    // the same JSON written otherwise is the same request
    ResponseEntity<String> reformatted = post(operator(), path, "{ \"reason\" :\n \"hold\" }", key);

    assertThat(first.getStatusCode().value()).isEqualTo(200);
    assertThat(first.getHeaders().get("Idempotent-Replayed")).isNull();
    assertThat(json.readTree(first.getBody()).path("verified").asBoolean()).isTrue();
    for (ResponseEntity<String> repeat : List.of(again, reformatted)) {
      assertThat(repeat.getStatusCode().value()).isEqualTo(200);
      assertThat(repeat.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
      assertThat(repeat.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
      assertThat(repeat.getBody()).isEqualTo(first.getBody());
    }
    assertThat(count(timelineTypes(orderId), "saga.OperatorParkRequested")).isEqualTo(1);
    assertThat(auditActions(orderId)).containsExactly("park");
    assertThat(status(orderId).path("state").asText()).isEqualTo("PARKED");
    assertThat(meters.get("saga.ops.idempotency").tag("result", "replayed").counter().count())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void theSameKeyForAnotherRequestIsAConflictAndDoesNothing() throws Exception {
    String orderId = awaitingPayment("idem-conflict");
    String key = UUID.randomUUID().toString();
    assertThat(post(operator(), "/ops/sagas/" + orderId + "/park", reason("hold"), key))
        .extracting(r -> r.getStatusCode().value())
        .isEqualTo(200);

    ResponseEntity<String> otherBody =
        post(operator(), "/ops/sagas/" + orderId + "/park", reason("another reason"), key);
    ResponseEntity<String> otherAction =
        post(operator(), "/ops/sagas/" + orderId + "/unpark", reason("hold"), key);

    for (ResponseEntity<String> conflict : List.of(otherBody, otherAction)) {
      assertThat(conflict.getStatusCode().value()).isEqualTo(409);
      assertThat(conflict.getHeaders().getContentType()).hasToString("application/problem+json");
      assertThat(conflict.getHeaders().get("Idempotent-Replayed")).isNull();
      JsonNode problem = json.readTree(conflict.getBody());
      assertThat(problem.path("errors").findValuesAsText("field"))
          .containsExactly("Idempotency-Key");
      assertThat(problem.path("detail").asText()).startsWith("Idempotency-Key " + key);
    }
    assertThat(json.readTree(otherBody.getBody()).path("detail").asText()).contains("another body");
    assertThat(json.readTree(otherAction.getBody()).path("detail").asText())
        .contains("POST /ops/sagas/" + orderId + "/park");
    assertThat(status(orderId).path("state").asText()).isEqualTo("PARKED");
    assertThat(timelineTypes(orderId)).doesNotContain("saga.OperatorUnparkRequested");
    assertThat(auditActions(orderId)).containsExactly("park");
  }

  @Test
  void aMalformedKeyIsABadRequestAndRefusedInputDoesNotUseTheKeyUp() throws IOException {
    String orderId = awaitingPayment("idem-malformed");
    String path = "/ops/sagas/" + orderId + "/park";

    for (String bad : List.of("", "k".repeat(256), "two words")) {
      ResponseEntity<JsonNode> refused =
          operator().exchange(path, HttpMethod.POST, entity(reason("hold"), bad), JsonNode.class);
      assertThat(refused.getStatusCode().value()).as("key [%s]", bad).isEqualTo(400);
      assertBadRequest(refused, "Idempotency-Key");
    }
    // bytes HTTP clients will not send as they are: over a socket
    for (byte[] bad : List.of(new byte[] {'c', 'l', (byte) 0xe9}, new byte[] {'a', '\t', 'b'})) {
      String answer = rawPost(path, reason("hold"), bad);
      assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"field\":\"Idempotency-Key\"");
    }
    // a control character: Tomcat refuses the request itself
    assertThat(rawPost(path, reason("hold"), new byte[] {'a', 0x7f, 'b'}))
        .startsWith("HTTP/1.1 400 ");
    assertThat(status(orderId).path("state").asText()).isNotEqualTo("PARKED");
    assertThat(auditActions(orderId)).isEmpty();

    // 255 visible ASCII characters are a key; a 400 on the body keeps it free for the fix
    String key = "k".repeat(254) + "~";
    assertBadRequest(
        operator().exchange(path, HttpMethod.POST, entity("{}", key), JsonNode.class), "reason");
    ResponseEntity<String> fixed = post(operator(), path, reason("hold"), key);

    assertThat(fixed.getStatusCode().value()).isEqualTo(200);
    assertThat(fixed.getHeaders().get("Idempotent-Replayed")).isNull();
    assertThat(status(orderId).path("state").asText()).isEqualTo("PARKED");
  }

  @Test
  void concurrentRequestsWithOneKeyActExactlyOnce() throws Exception {
    String orderId = awaitingPayment("idem-race");
    String key = UUID.randomUUID().toString();
    String path = "/ops/sagas/" + orderId + "/park";
    int requests = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    List<ResponseEntity<String>> answers = new ArrayList<>();
    try {
      List<Future<ResponseEntity<String>>> sent = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        sent.add(
            pool.submit(
                () -> {
                  start.await();
                  return post(operator(), path, reason("double click"), key);
                }));
      }
      start.countDown();
      for (Future<ResponseEntity<String>> answer : sent) {
        answers.add(answer.get(LONG.toSeconds(), TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    List<ResponseEntity<String>> acted =
        answers.stream()
            .filter(a -> a.getStatusCode().value() == 200)
            .filter(a -> a.getHeaders().get("Idempotent-Replayed") == null)
            .toList();
    assertThat(acted).hasSize(1);
    for (ResponseEntity<String> other : answers) {
      if (other == acted.get(0)) {
        continue;
      }
      if (other.getStatusCode().value() == 200) {
        assertThat(other.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.getBody()).isEqualTo(acted.get(0).getBody());
      } else {
        // the loser of the race while the winner still acts
        assertThat(other.getStatusCode().value()).isEqualTo(409);
        assertThat(other.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        JsonNode problem = json.readTree(other.getBody());
        assertThat(problem.path("errors").findValuesAsText("field"))
            .containsExactly("Idempotency-Key");
        assertThat(problem.path("inProgress").asBoolean()).isTrue();
      }
    }
    assertThat(count(timelineTypes(orderId), "saga.OperatorParkRequested")).isEqualTo(1);
    assertThat(auditActions(orderId)).containsExactly("park");
    // once the winner has answered, a repeat gets its answer
    ResponseEntity<String> later = post(operator(), path, reason("double click"), key);
    assertThat(later.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(later.getBody()).isEqualTo(acted.get(0).getBody());
  }

  @Test
  void keysArePerOperator() throws Exception {
    String orderId = awaitingPayment("idem-operators");
    String key = "shared-" + UUID.randomUUID();
    TestRestTemplate other = http.withBasicAuth(OTHER_OPERATOR, OTHER_PASSWORD);

    ResponseEntity<String> parked =
        post(operator(), "/ops/sagas/" + orderId + "/park", reason("hold"), key);
    // the other operator's key of the same name is their own: another request acts
    ResponseEntity<String> unparked =
        post(other, "/ops/sagas/" + orderId + "/unpark", reason("release"), key);
    // and neither operator gets the other's answer
    ResponseEntity<String> parkedAgain =
        post(operator(), "/ops/sagas/" + orderId + "/park", reason("hold"), key);
    ResponseEntity<String> unparkedAgain =
        post(other, "/ops/sagas/" + orderId + "/unpark", reason("release"), key);

    assertThat(parked.getStatusCode().value()).isEqualTo(200);
    assertThat(unparked.getStatusCode().value()).isEqualTo(200);
    assertThat(unparked.getHeaders().get("Idempotent-Replayed")).isNull();
    assertThat(json.readTree(unparked.getBody()).path("action").asText()).isEqualTo("unpark");
    assertThat(parkedAgain.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(parkedAgain.getBody()).isEqualTo(parked.getBody());
    assertThat(unparkedAgain.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(unparkedAgain.getBody()).isEqualTo(unparked.getBody());
    assertThat(status(orderId).path("state").asText()).isNotEqualTo("PARKED");
    assertThat(audit(orderId))
        .extracting(e -> e.path("action").asText() + " by " + e.path("who").asText())
        .containsExactly("unpark by " + OTHER_OPERATOR, "park by operator");
  }

  @Test
  void aBulkRunIsReplayedWhileItsDryRunIsAnsweredAfresh() throws Exception {
    String customer = "idem-bulk-" + UUID.randomUUID();
    List<String> sagas = List.of(awaitingPayment(customer), awaitingPayment(customer));
    String key = UUID.randomUUID().toString();
    String filter = "{\"customerId\": \"" + customer + "\"}";

    ResponseEntity<String> dryRun = post(operator(), "/ops/bulk/park", bulk(filter, true), key);
    ResponseEntity<String> dryRunAgain =
        post(operator(), "/ops/bulk/park", bulk(filter, true), key);
    ResponseEntity<String> run = post(operator(), "/ops/bulk/park", bulk(filter, false), key);
    ResponseEntity<String> runAgain = post(operator(), "/ops/bulk/park", bulk(filter, false), key);

    assertThat(dryRun.getStatusCode().value()).isEqualTo(200);
    assertThat(dryRunAgain.getStatusCode().value()).isEqualTo(200);
    assertThat(dryRunAgain.getHeaders().get("Idempotent-Replayed")).isNull();
    assertThat(run.getStatusCode().value()).isEqualTo(200);
    assertThat(run.getHeaders().get("Idempotent-Replayed")).isNull();
    assertThat(json.readTree(run.getBody()).path("counts").path("VERIFIED").asInt()).isEqualTo(2);
    assertThat(runAgain.getStatusCode().value()).isEqualTo(200);
    assertThat(runAgain.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(runAgain.getBody()).isEqualTo(run.getBody());
    for (String orderId : sagas) {
      assertThat(status(orderId).path("state").asText()).isEqualTo("PARKED");
      assertThat(count(timelineTypes(orderId), "saga.OperatorParkRequested")).isEqualTo(1);
      List<JsonNode> entries = audit(orderId);
      assertThat(entries).extracting(e -> e.path("action").asText()).containsOnly("bulk-park");
      assertThat(entries)
          .extracting(e -> e.path("dryRun").asBoolean())
          .containsExactlyInAnyOrder(true, true, false);
    }
  }

  @Test
  void aReDriveIsReplayedAndTakesNothingMore() throws Exception {
    String queue = SagaChannels.EVENT_QUEUE;
    String parking = topology.parkingQueue(queue);
    try (Channel channel = connection.createChannel()) {
      channel.queuePurge(parking);
    }
    String orderId = awaitingPayment("idem-redrive");
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    Envelope<PaymentAuthorized> reply =
        authorize.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    park(reply.messageId(), orderId, codec.encode(reply));
    String key = UUID.randomUUID().toString();
    String body = "{\"limit\": 5, \"reason\": \"outage over\"}";

    ResponseEntity<String> redriven =
        post(operator(), "/ops/parked/" + queue + "/redrive", body, key);
    // parked after the re-drive: a repeat of it must not take this one
    String later = UUID.randomUUID().toString();
    park("later-" + later, later, "{\"not\": \"an envelope\"}".getBytes(StandardCharsets.UTF_8));
    ResponseEntity<String> again = post(operator(), "/ops/parked/" + queue + "/redrive", body, key);

    assertThat(redriven.getStatusCode().value()).isEqualTo(200);
    assertThat(json.readTree(redriven.getBody()).path("redriven").asInt()).isEqualTo(1);
    assertThat(again.getStatusCode().value()).isEqualTo(200);
    assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.getBody()).isEqualTo(redriven.getBody());
    assertThat(iterate(get("/ops/parked/" + queue).getBody().path("messages")))
        .extracting(m -> m.path("messageId").asText())
        .containsExactly("later-" + later);
    assertThat(auditActions(orderId)).containsExactly("redrive");
    try (Channel channel = connection.createChannel()) {
      channel.queuePurge(parking);
    }
  }

  @Test
  void aKeyIsKeptForItsTimeToLiveAndARequestThatNeverFinishesIsToldApart() {
    MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:00:00Z"));
    IdempotencyRecords records =
        new IdempotencyRecords(database, clock, Duration.ofHours(24), Duration.ofMinutes(15));
    String who = "clock-" + UUID.randomUUID();

    IdempotencyRecords.Claim first = records.claim(who, "k", "f1", "POST", "/ops/x");
    assertThat(first).isInstanceOf(IdempotencyRecords.Claimed.class);
    assertThat(records.claim(who, "k", "f1", "POST", "/ops/x"))
        .isEqualTo(new IdempotencyRecords.InProgress(clock.instant(), false));
    clock.move(Duration.ofMinutes(16));
    assertThat(records.claim(who, "k", "f1", "POST", "/ops/x"))
        .isEqualTo(
            new IdempotencyRecords.InProgress(clock.instant().minus(Duration.ofMinutes(16)), true));

    records.complete(
        ((IdempotencyRecords.Claimed) first).id(), 202, "application/json", new byte[] {'{', '}'});
    IdempotencyRecords.Claim replay = records.claim(who, "k", "f1", "POST", "/ops/x");
    assertThat(replay).isInstanceOf(IdempotencyRecords.Replay.class);
    assertThat(((IdempotencyRecords.Replay) replay).status()).isEqualTo(202);
    assertThat(records.claim(who, "k", "f2", "POST", "/ops/x"))
        .isEqualTo(new IdempotencyRecords.Mismatch("POST", "/ops/x"));

    // past its time to live the key is free again, for any request
    clock.move(Duration.ofHours(24));
    assertThat(records.claim(who, "k", "f2", "POST", "/ops/y"))
        .isInstanceOf(IdempotencyRecords.Claimed.class);
    assertThat(
            database
                .getCollection(IdempotencyRecords.COLLECTION)
                .countDocuments(Filters.eq("who", who)))
        .isEqualTo(1);
  }

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void move(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A new saga waiting for its payment. */
  private String awaitingPayment(String customerId) {
    String orderId = placeOrder(customerId);
    awaitCommand(payments, AuthorizePayment.class, orderId);
    awaitState(orderId, "AWAITING_PAYMENT");
    return orderId;
  }

  private ResponseEntity<String> post(TestRestTemplate as, String path, String body, String key) {
    return as.exchange(path, HttpMethod.POST, entity(body, key), String.class);
  }

  private static HttpEntity<String> entity(String body, String key) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.set("Idempotency-Key", key);
    return new HttpEntity<>(body, headers);
  }

  /** POSTs as the operator with these bytes as the key; the whole answer as ISO-8859-1 text. */
  private String rawPost(String path, String body, byte[] key) throws IOException {
    URI root = URI.create(http.getRootUri());
    try (Socket socket = new Socket(root.getHost(), root.getPort())) {
      socket.setSoTimeout((int) LONG.toMillis());
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String credentials =
          Base64.getEncoder()
              .encodeToString(("operator:" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + root.getHost()
                  + "\r\nAuthorization: Basic "
                  + credentials
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + content.length
                  + "\r\nConnection: close\r\nIdempotency-Key: ")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(key);
      out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private void park(String messageId, String sagaId, byte[] body) {
    publisher.publish(
        "",
        topology.parkingQueue(SagaChannels.EVENT_QUEUE),
        MessageProperties.PERSISTENT_BASIC
            .builder()
            .messageId(messageId)
            .type("payment.PaymentAuthorized")
            .contentType("application/json")
            .headers(
                Map.of(
                    ConfirmingPublisher.SAGA_ID_HEADER,
                    sagaId,
                    "x-parked-reason",
                    "DELIVERY_LIMIT",
                    "x-original-queue",
                    topology.name(SagaChannels.EVENT_QUEUE)))
            .build(),
        body,
        "payment.PaymentAuthorized");
  }

  private List<String> timelineTypes(String orderId) {
    return iterate(saga(orderId).path("timeline")).stream()
        .map(e -> e.path("type").asText())
        .toList();
  }

  private List<String> auditActions(String orderId) {
    return audit(orderId).stream().map(e -> e.path("action").asText()).toList();
  }

  private static long count(List<String> values, String value) {
    return values.stream().filter(value::equals).count();
  }

  private static String bulk(String filter, boolean dryRun) {
    return "{\"filter\": "
        + filter
        + ", \"dryRun\": "
        + dryRun
        + ", \"ratePerSecond\": 20, \"reason\": \"hold for review\"}";
  }
}
