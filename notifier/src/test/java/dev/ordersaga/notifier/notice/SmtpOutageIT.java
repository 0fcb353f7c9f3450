package dev.ordersaga.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.StaffServiceContract;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.notifier.NotifierApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The mail server is down when the notice is asked for and comes up later: the notice waits as
 * PENDING, retried, the command is neither failed nor parked, and once the server is up the notice
 * is sent exactly once and reported.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      StaffServiceContract.ANALYST_PASSWORD_SETTING,
      "spring.config.name=" + NotifierApplication.NAME,
      "notifier.sender.poll-interval=100ms",
      "notifier.sender.retry-initial=100ms",
      "notifier.sender.retry-max=400ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@DirtiesContext
class SmtpOutageIT {

  /** A port free now, where the SMTP server starts only later in the test. */
  private static final int SMTP_PORT = freePort();

  private static final GreenMail smtp =
      new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

  @DynamicPropertySource
  static void mailServer(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP_PORT);
  }

  @AfterAll
  static void stopMailServer() {
    smtp.stop();
  }

  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired ParkingLot parkingLot;
  @Autowired MeterRegistry meters;

  /** Signed in as the analyst, who reads the service's records. */
  private TestRestTemplate http;

  @Autowired
  void signIn(TestRestTemplate client) {
    http = StaffServiceContract.asAnalyst(client);
  }

  @Test
  void staysPendingThroughTheOutageThenIsSentExactlyOnce() throws Exception {
    QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
    String orderId = "ord-" + UUID.randomUUID();
    NotifyCustomer command =
        new NotifyCustomer(
            orderId,
            "key-" + UUID.randomUUID(),
            new Customer("cust-1", "kim@example.com", "ko"),
            NoticeReason.TIMED_OUT,
            Money.of("12000", "KRW"));

    publisher.publish(TestMessages.envelope(command));

    // the command is handled (acked), and the notice is retried while the server is down
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> notice(orderId) != null && notice(orderId).get("attempts").asInt() >= 3);
    JsonNode pending = notice(orderId);
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("sentAt").isNull()).isTrue();
    assertThat(pending.get("lastError").asText()).containsIgnoringCase("connect");
    assertThat(count("notifier.notices.send.failures")).isGreaterThanOrEqualTo(2);
    assertThat(count("notifier.notices.sent")).isZero();
    assertThat(count("messaging.consumed")).isEqualTo(1);
    assertThat(parkingLot.peek(NotificationChannels.COMMAND_QUEUE, 10)).isEmpty();
    assertThat(replies.received(CustomerNotified.class)).isEmpty();

    smtp.start();

    CustomerNotified reply =
        replies.await(CustomerNotified.class, r -> r.orderId().equals(orderId));
    assertThat(reply.noticeId()).isEqualTo(NoticeSender.noticeId(command.idempotencyKey()));
    JsonNode sent = notice(orderId);
    assertThat(sent.get("status").asText()).isEqualTo("SENT");
    assertThat(sent.get("sentAt").isNull()).isFalse();
    assertThat(sent.get("lastError").isNull()).isTrue();
    // SENT is final: nothing sends it again
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(smtp.getReceivedMessages()[0].getSubject()).contains(orderId);
    assertThat(count("notifier.notices.sent")).isEqualTo(1);
  }

  private JsonNode notice(String orderId) {
    JsonNode notices =
        http.getForObject("/notices?orderId={orderId}", JsonNode.class, orderId).get("notices");
    assertThat(notices.size()).isLessThanOrEqualTo(1);
    return notices.isEmpty() ? null : notices.get(0);
  }

  private double count(String counter) {
    return meters.find(counter).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
