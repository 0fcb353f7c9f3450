package dev.ordersaga.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.notifier.NotifierApplication;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a crash (kill -9) of the notifier leaves behind is finished by the next sweep, with the
 * store as the crash left it: a notice claimed by a sender that died before the mail server took it
 * is sent once when the lease ends; one marked SENT whose reply was never published is reported,
 * not sent again; one recorded by a handler that died before adding its task is sent when the
 * command is redelivered. Two senders (two instances) send each notice once, and the pending work
 * empties when all is done; a sender held up by a slow mail server renews its claim, so the other
 * does not send the notice too.
 */
@SpringBootTest(
    properties = {
      "spring.config.name=" + NotifierApplication.NAME,
      "notifier.sender.poll-interval=100ms",
      "notifier.sender.retry-initial=100ms",
      "notifier.sender.retry-max=500ms",
      "notifier.sender.claim-timeout=" + NoticeRecoveryIT.LEASE_SECONDS + "s"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@DirtiesContext
class NoticeRecoveryIT {

  static final int LEASE_SECONDS = 3;

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
  @Autowired MongoDatabase database;
  @Autowired NoticeRepository notices;
  @Autowired NoticeTasks tasks;
  @Autowired JavaMailSender mailSender;
  @Autowired NoticeMetrics metrics;
  @Autowired Clock clock;
  @Autowired NotifierSettings properties;
  @Autowired NoticeSender sender;

  private QueueProbe replies;

  @BeforeEach
  void probeReplies() {
    replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  @Test
  void aNoticeWhoseSenderDiedBeforeTheMailServerTookItIsSentOnceWhenTheLeaseEnds() {
    Notice notice = pendingNotice();
    notices.insert(notice);
    // the sender claimed it (one attempt, leased) and died before the mail server took it
    Instant leaseEnd = Instant.now().plusSeconds(LEASE_SECONDS);
    writeTask(notice.key(), "SEND", leaseEnd, 1, 1);

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> mailsTo(notice.to()) == 0);
    Envelope<CustomerNotified> reply =
        replies.awaitEnvelope(
            CustomerNotified.class,
            r -> r.orderId().equals(notice.orderId()),
            Duration.ofSeconds(LEASE_SECONDS + 10));

    assertThat(reply.messageId()).isEqualTo(NoticeSender.replyMessageId(notice.key()));
    assertThat(mailsTo(notice.to())).isEqualTo(1);
    Notice sent = notices.find(notice.key()).orElseThrow();
    assertThat(sent.status()).isEqualTo(NoticeStatus.SENT);
    assertThat(sent.attempts()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.find(notice.key()).isEmpty());
  }

  @Test
  void aNoticeMarkedSentWhoseReplyWasNotPublishedIsReportedAndNotSentAgain() {
    Notice pending = pendingNotice();
    String reply = encodedReply(pending);
    notices.insert(
        new Notice(
            pending.key(),
            pending.noticeId(),
            pending.orderId(),
            pending.customerId(),
            pending.to(),
            pending.language(),
            pending.reason(),
            null,
            pending.subject(),
            pending.body(),
            NoticeStatus.SENT,
            1,
            pending.createdAt(),
            Instant.now(),
            pending.commandMessageId(),
            Map.of(),
            reply,
            1));
    // the sender marked it SENT and died before the broker confirmed the reply
    writeTask(pending.key(), "SEND", Instant.now().plusSeconds(1), 1, 1);

    Envelope<CustomerNotified> published =
        replies.awaitEnvelope(
            CustomerNotified.class,
            r -> r.orderId().equals(pending.orderId()),
            Duration.ofSeconds(LEASE_SECONDS + 10));

    assertThat(published.messageId()).isEqualTo(NoticeSender.replyMessageId(pending.key()));
    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.find(pending.key()).isEmpty());
    assertThat(mailsTo(pending.to())).isZero();
  }

  @Test
  void aNoticeRecordedByAHandlerThatDiedBeforeAddingItsTaskIsSentWhenTheCommandIsRedelivered() {
    NotifyCustomer command = command("ord-" + UUID.randomUUID(), "key-" + UUID.randomUUID());
    Envelope<NotifyCustomer> envelope = TestMessages.envelope(command);
    // the handler inserted the notice and died before its task: the command was never acked
    notices.insert(pendingNotice(command, envelope.messageId()));
    assertThat(tasks.find(command.idempotencyKey())).isEmpty();

    publisher.publish(envelope); // the broker delivers it again

    replies.await(CustomerNotified.class, r -> r.orderId().equals(command.orderId()));
    assertThat(mailsTo(command.customer().email())).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tasks.find(command.idempotencyKey()).isEmpty());
  }

  @Test
  void twoSendersSendEachNoticeOnceAndThePendingWorkEmpties() {
    NoticeSender secondInstance =
        new NoticeSender(notices, tasks, mailSender, publisher, codec, metrics, clock, properties);
    List<Notice> recorded = IntStream.range(0, 12).mapToObj(i -> pendingNotice()).toList();
    secondInstance.start();
    try {
      for (Notice notice : recorded) {
        notices.insert(notice);
        tasks.add(notice.key(), notice.createdAt());
      }

      for (Notice notice : recorded) {
        replies.await(CustomerNotified.class, r -> r.orderId().equals(notice.orderId()));
      }
    } finally {
      secondInstance.stop();
    }

    assertThat(recorded).allSatisfy(notice -> assertThat(mailsTo(notice.to())).isEqualTo(1));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> database.getCollection(NoticeTasks.COLLECTION).estimatedDocumentCount() == 0);
  }

  @Test
  void aSenderHeldUpByASlowMailServerKeepsItsClaimSoTheNoticeGoesOutOnce() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch mailServerAnswers = new CountDownLatch(1);
    JavaMailSenderImpl slowMail =
        new JavaMailSenderImpl() {
          @Override
          protected void doSend(MimeMessage[] messages, Object[] originals) {
            sending.countDown();
            try {
              mailServerAnswers.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.doSend(messages, originals);
          }
        };
    slowMail.setHost("127.0.0.1");
    slowMail.setPort(smtp.getSmtp().getPort());
    NoticeSender slow =
        new NoticeSender(notices, tasks, slowMail, publisher, codec, metrics, clock, properties);
    NoticeSender other =
        new NoticeSender(notices, tasks, mailSender, publisher, codec, metrics, clock, properties);
    Notice notice = pendingNotice();
    sender.stop(); // this context's own sender stays out of it
    try {
      slow.start();
      notices.insert(notice);
      tasks.add(notice.key(), notice.createdAt());
      slow.sendSoon(notice.key());
      assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
      other.start();

      // the mail server takes twice the claim's time: the claim is renewed, the other keeps off
      await()
          .during(Duration.ofSeconds(2L * LEASE_SECONDS))
          .atMost(Duration.ofSeconds(2L * LEASE_SECONDS + 2))
          .until(() -> mailsTo(notice.to()) == 0);
      mailServerAnswers.countDown();

      replies.await(CustomerNotified.class, r -> r.orderId().equals(notice.orderId()));
      await().atMost(Duration.ofSeconds(5)).until(() -> tasks.find(notice.key()).isEmpty());
      assertThat(mailsTo(notice.to())).isEqualTo(1);
    } finally {
      mailServerAnswers.countDown();
      other.stop();
      slow.stop();
      sender.start();
    }
  }

  private Notice pendingNotice() {
    NotifyCustomer command = command("ord-" + UUID.randomUUID(), "key-" + UUID.randomUUID());
    return pendingNotice(command, "cmd-" + UUID.randomUUID());
  }

  private Notice pendingNotice(NotifyCustomer command, String commandMessageId) {
    String key = command.idempotencyKey();
    return new Notice(
        key,
        NoticeSender.noticeId(key),
        command.orderId(),
        command.customer().customerId(),
        command.customer().email(),
        "en",
        command.reason(),
        null,
        "Order " + command.orderId() + " timed out",
        "Your order " + command.orderId() + " timed out.",
        NoticeStatus.PENDING,
        0,
        Instant.now(),
        null,
        commandMessageId,
        Map.of(),
        null,
        0);
  }

  private static NotifyCustomer command(String orderId, String key) {
    String email = "shopper-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    return new NotifyCustomer(
        orderId, key, new Customer("cust-1", email, "en"), NoticeReason.TIMED_OUT, null);
  }

  /** A task exactly as a sender leaves it in the store. */
  private void writeTask(String key, String phase, Instant dueAt, int attempts, int version) {
    database
        .getCollection(NoticeTasks.COLLECTION)
        .insertOne(
            new Document("_id", key)
                .append("phase", phase)
                .append("dueAt", Date.from(dueAt))
                .append("attempts", attempts)
                .append("version", version));
  }

  private String encodedReply(Notice notice) {
    Envelope<CustomerNotified> reply =
        Envelope.of(
            NoticeSender.replyMessageId(notice.key()),
            notice.commandMessageId(),
            Instant.now(),
            Map.of(),
            new CustomerNotified(notice.orderId(), notice.noticeId()));
    return new String(codec.encode(reply), StandardCharsets.UTF_8);
  }

  private long mailsTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(
            mail -> {
              try {
                return Arrays.stream(mail.getRecipients(RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equals(address));
              } catch (MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .count();
  }
}
