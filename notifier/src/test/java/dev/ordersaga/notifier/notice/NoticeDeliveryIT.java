package dev.ordersaga.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.StaffServiceContract;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.notifier.NotifierApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The notifier end to end: NotifyCustomer in over the real RabbitMQ, mail out to a real SMTP server
 * (GreenMail), CustomerNotified back, and the REST view of it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      StaffServiceContract.ANALYST_PASSWORD_SETTING,
      "spring.config.name=" + NotifierApplication.NAME,
      "notifier.sender.poll-interval=100ms",
      "notifier.sender.retry-initial=100ms",
      "notifier.sender.retry-max=500ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@DirtiesContext
class NoticeDeliveryIT {

  @RegisterExtension
  static final GreenMailExtension smtp =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  @DynamicPropertySource
  static void mailServer(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
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

  private QueueProbe replies;
  private final String orderId = "ord-" + UUID.randomUUID();
  private final String key = "key-" + UUID.randomUUID();
  private final String email =
      "shopper-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

  @BeforeEach
  void probeReplies() {
    replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  @Test
  void sendsOneMailInTheCustomersLanguageRepliesAndListsItSent() throws Exception {
    publisher.publish(
        TestMessages.envelope(command(key, "ko-KR", NoticeReason.PAYMENT_DECLINED, null)));

    Envelope<CustomerNotified> reply =
        replies.awaitEnvelope(CustomerNotified.class, r -> r.orderId().equals(orderId));

    List<MimeMessage> mails = mailsTo(email);
    assertThat(mails).hasSize(1);
    MimeMessage mail = mails.get(0);
    assertThat(mail.getSubject()).contains(orderId);
    assertThat(isKorean(mail.getSubject())).as("subject in Korean: %s", mail.getSubject()).isTrue();
    assertThat(((String) mail.getContent()).strip()).contains(orderId);
    assertThat(((InternetAddress) mail.getFrom()[0]).getAddress())
        .isEqualTo("orders@order-saga.local");
    assertThat(mail.getMessageID())
        .isEqualTo("<" + reply.payload().noticeId() + "@order-saga.local>");
    assertThat(reply.payload().noticeId()).isEqualTo(NoticeSender.noticeId(key));
    assertThat(reply.messageId()).isEqualTo(NoticeSender.replyMessageId(key));

    JsonNode notice = onlyNotice(orderId);
    assertThat(notice.get("status").asText()).isEqualTo("SENT");
    assertThat(notice.get("to").asText()).isEqualTo(email);
    assertThat(notice.get("locale").asText()).isEqualTo("ko");
    assertThat(notice.get("outcome").asText()).isEqualTo("PAYMENT_DECLINED");
    assertThat(notice.get("subject").asText()).isEqualTo(mail.getSubject());
    assertThat(notice.get("sentAt").isNull()).isFalse();
    assertThat(notice.get("refunded").isNull()).isTrue();
  }

  @Test
  void englishWithTheRefundForAnyOtherLocale() throws Exception {
    publisher.publish(
        TestMessages.envelope(
            command(key, "fr-FR", NoticeReason.SHIPMENT_FAILED, Money.of("42.5", "EUR"))));

    replies.await(CustomerNotified.class, r -> r.orderId().equals(orderId));

    MimeMessage mail = mailsTo(email).get(0);
    assertThat(isKorean(mail.getSubject())).isFalse();
    assertThat((String) mail.getContent()).contains("42.50 EUR").contains(orderId);
    JsonNode notice = onlyNotice(orderId);
    assertThat(notice.get("locale").asText()).isEqualTo("en");
    assertThat(notice.at("/refunded/amount").asText()).isEqualTo("42.5");
    assertThat(notice.at("/refunded/currency").asText()).isEqualTo("EUR");
  }

  @Test
  void theSameKeyUnderNewMessageIdsGivesOneMail() throws Exception {
    double consumedBefore = consumed();
    NotifyCustomer command = command(key, "en", NoticeReason.CANCELLED_BY_SHOPPER, null);
    // a step retried before anything was sent: two commands, one key
    publisher.publish(TestMessages.envelope(command));
    publisher.publish(TestMessages.envelope(command));

    await().atMost(Duration.ofSeconds(10)).until(() -> consumed() >= consumedBefore + 2);
    CustomerNotified first =
        replies.await(CustomerNotified.class, r -> r.orderId().equals(orderId));
    assertThat(onlyNotice(orderId).get("status").asText()).isEqualTo("SENT");
    assertThat(mailsTo(email)).hasSize(1);

    // retried once more after it was sent: the stored reply again, with the same message id
    int repliesBefore = notifiedFor(orderId).size();
    publisher.publish(TestMessages.envelope(command));
    await().atMost(Duration.ofSeconds(10)).until(() -> notifiedFor(orderId).size() > repliesBefore);
    List<Envelope<Message>> notified = notifiedFor(orderId);
    assertThat(notified)
        .extracting(Envelope::messageId)
        .containsOnly(NoticeSender.replyMessageId(key));
    assertThat(notified)
        .extracting(e -> ((CustomerNotified) e.payload()).noticeId())
        .containsOnly(first.noticeId());
    assertThat(mailsTo(email)).hasSize(1);
    assertThat(onlyNotice(orderId).get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void anAddressNoMailCanGoToIsParkedWithTheReason() {
    String badOrder = "ord-" + UUID.randomUUID();
    NotifyCustomer command =
        new NotifyCustomer(
            badOrder,
            key,
            new Customer("cust-1", "not an address", "en"),
            NoticeReason.TIMED_OUT,
            null);
    Envelope<NotifyCustomer> envelope = TestMessages.envelope(command);

    publisher.publish(envelope);

    ParkingLot.Parked parked =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    parkingLot.peek(NotificationChannels.COMMAND_QUEUE, 50).stream()
                        .filter(p -> envelope.messageId().equals(p.messageId()))
                        .findFirst()
                        .orElse(null),
                p -> p != null);
    assertThat(parked.headers().get(ParkingHeaders.REASON).toString()).isEqualTo("REJECTED");
    assertThat(parked.headers().get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .contains("customer.email");
    assertThat(notices(badOrder).getBody().get("notices")).isEmpty();
  }

  @Test
  void listingWithoutAnOrderIdIsAProblemNamingTheParameter() {
    List<ResponseEntity<JsonNode>> responses =
        List.of(http.getForEntity("/notices", JsonNode.class), notices(""), notices("  "));
    for (ResponseEntity<JsonNode> response : responses) {

      assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(response.getHeaders().getContentType())
          .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(response.getBody().get("errors").get(0).get("field").asText())
          .isEqualTo("orderId");
      assertThat(response.getBody().get("detail").asText()).contains("orderId");
      assertThat(response.getBody().get("status").asInt()).isEqualTo(400);
    }
  }

  @Test
  void anOrderWithoutNoticesHasAnEmptyList() {
    ResponseEntity<JsonNode> response = notices("ord-none-" + UUID.randomUUID());

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(response.getBody().get("notices")).isEmpty();
  }

  private NotifyCustomer command(
      String idempotencyKey, String locale, NoticeReason reason, Money refunded) {
    return new NotifyCustomer(
        orderId, idempotencyKey, new Customer("cust-1", email, locale), reason, refunded);
  }

  private List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(
            mail -> {
              try {
                return Arrays.stream(mail.getRecipients(RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equals(address));
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private List<Envelope<Message>> notifiedFor(String order) {
    return replies.received().stream()
        .filter(e -> e.payload() instanceof CustomerNotified n && n.orderId().equals(order))
        .toList();
  }

  private ResponseEntity<JsonNode> notices(String order) {
    return http.getForEntity("/notices?orderId={orderId}", JsonNode.class, order);
  }

  private JsonNode onlyNotice(String order) {
    ResponseEntity<JsonNode> response = notices(order);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(response.getBody().get("orderId").asText()).isEqualTo(order);
    JsonNode list = response.getBody().get("notices");
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  private double consumed() {
    return meters.find("messaging.consumed").counters().stream().mapToDouble(Counter::count).sum();
  }

  private static boolean isKorean(String text) {
    return text.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL);
  }
}
