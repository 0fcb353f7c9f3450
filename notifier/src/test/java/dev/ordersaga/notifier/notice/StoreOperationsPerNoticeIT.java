package dev.ordersaga.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.StoreCommands;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.notifier.NotifierApplication;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every store operation the notifier makes for one notice, exactly as its README lists them ("Store
 * operations per notice"): each by {@code _id} or a unique key in a flat filter, none sorted, so
 * none scans on the embedded store and none grows with the notices before it. (The sweep, the one
 * query that reads a whole collection, reads only the pending work; it is kept out of the way here
 * by a long poll interval.)
 */
@SpringBootTest(
    properties = {
      "spring.config.name=" + NotifierApplication.NAME,
      "notifier.sender.poll-interval=1h"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@Import(StoreCommands.Configuration.class)
@DirtiesContext
class StoreOperationsPerNoticeIT {

  private static final String SENDER_THREAD = "notice-sender";
  private static final String SWEEP = "notice_work find {dueAt: $lte} sorted";

  @RegisterExtension
  static final GreenMailExtension smtp =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  @DynamicPropertySource
  static void mailServer(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
  }

  @Autowired private StoreCommands store;
  @Autowired private NoticeSender sender;
  @Autowired private ConfirmingPublisher publisher;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;

  @Test
  void theSweepReadsOnlyThePendingWork() {
    store.start();

    sender.sweep();

    assertThat(store.recorded()).containsExactly(SWEEP);
  }

  @Test
  void aNoticeIsRecordedSentAndReportedWithKeyedStoreOperationsOnly() {
    QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
    String orderId = "ord-" + UUID.randomUUID();

    store.start();
    publisher.publish(
        TestMessages.envelope(
            new NotifyCustomer(
                orderId,
                "key-" + UUID.randomUUID(),
                new Customer("cust-1", "lee@example.com", "ko"),
                NoticeReason.PAYMENT_DECLINED,
                null)));
    replies.await(CustomerNotified.class, r -> r.orderId().equals(orderId));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                store.recordedBy(SENDER_THREAD).contains("notice_work delete {_id}")
                    && store.recordedNotBy(SENDER_THREAD).contains("notice_work insert"));

    assertThat(store.recordedNotBy(SENDER_THREAD))
        .containsExactly("notices find {_id}", "notices insert", "notice_work insert");
    // the start-up sweep may just have run: it reads the pending work, not this notice
    assertThat(store.recordedBy(SENDER_THREAD))
        .filteredOn(command -> !command.equals(SWEEP))
        .containsExactly(
            "notice_work find {_id}",
            "notice_work update {_id, version}",
            "notices find {_id}",
            "notices update {_id, version}",
            "notice_work delete {_id}");
  }
}
