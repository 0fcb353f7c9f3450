package dev.ordersaga.notifier.notice;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.rabbit.MessageHandler;
import dev.ordersaga.messaging.rabbit.RejectedMessageException;
import dev.ordersaga.notifier.template.NoticeTemplates;
import dev.ordersaga.notifier.template.RenderedNotice;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles {@code NotifyCustomer}: records the notice, written out in the customer's language, as
 * PENDING under the command's idempotency key, then its task in {@link NoticeTasks}, and returns
 * (the command is acked); the {@link NoticeSender} takes it from there. It does not wait for the
 * mail server, so an SMTP outage never makes the command fail, and never parks it. Every store
 * access is by the key: read the notice, insert it, insert its task.
 *
 * <p>A command whose key already has a notice (a retried step: same key, new message id, or the
 * redelivery of a command whose handling crashed between the two inserts) changes nothing but this:
 * a SENT notice's stored {@code CustomerNotified} is published again; a PENDING one gets its task
 * if it has none, and is left to the sender. The first command's content wins. A command that can
 * never be sent (not a {@code NotifyCustomer}, an e-mail address that does not parse, a key already
 * used for another order) is parked at once.
 */
public final class NotifyCustomerHandler implements MessageHandler {

  private static final Logger log = LoggerFactory.getLogger(NotifyCustomerHandler.class);

  private final NoticeRepository notices;
  private final NoticeTasks tasks;
  private final NoticeTemplates templates;
  private final NoticeSender sender;
  private final Clock clock;

  public NotifyCustomerHandler(
      NoticeRepository notices,
      NoticeTasks tasks,
      NoticeTemplates templates,
      NoticeSender sender,
      Clock clock) {
    this.notices = notices;
    this.tasks = tasks;
    this.templates = templates;
    this.sender = sender;
    this.clock = clock;
  }

  @Override
  public void handle(Envelope<Message> envelope) {
    if (!(envelope.payload() instanceof NotifyCustomer command)) {
      throw new RejectedMessageException(
          "the notifier handles notification.NotifyCustomer only, not " + envelope.type());
    }
    String key = command.idempotencyKey();
    var existing = notices.find(key);
    if (existing.isPresent()) {
      repeat(existing.get(), command);
      return;
    }
    Notice notice = pending(envelope, command);
    if (!notices.insert(notice)) {
      // a concurrent delivery of the same key stored it first
      repeat(notices.find(key).orElseThrow(), command);
      return;
    }
    tasks.add(key, notice.createdAt());
    log.info(
        "notice {} ({}, {}) for order {} recorded; sending it",
        notice.noticeId(),
        notice.reason(),
        notice.language(),
        notice.orderId());
    sender.sendSoon(key);
  }

  private Notice pending(Envelope<Message> envelope, NotifyCustomer command) {
    String to = recipient(command.customer().email());
    RenderedNotice rendered =
        templates.render(
            command.customer().locale(), command.reason(), command.orderId(), command.refunded());
    Instant now = clock.instant();
    return new Notice(
        command.idempotencyKey(),
        NoticeSender.noticeId(command.idempotencyKey()),
        command.orderId(),
        command.customer().customerId(),
        to,
        rendered.language(),
        command.reason(),
        command.refunded(),
        rendered.subject(),
        rendered.body(),
        NoticeStatus.PENDING,
        0,
        now,
        null,
        envelope.messageId(),
        envelope.trace(),
        null,
        0);
  }

  private void repeat(Notice notice, NotifyCustomer command) {
    if (!notice.orderId().equals(command.orderId())) {
      throw new RejectedMessageException(
          "idempotency key "
              + command.idempotencyKey()
              + " already belongs to a notice for order "
              + notice.orderId());
    }
    if (notice.status() == NoticeStatus.SENT) {
      log.info("notice {} was already sent; publishing its reply again", notice.noticeId());
      sender.republishReport(notice);
    } else {
      // it has a task unless an earlier delivery of this command stopped before adding it
      tasks.add(notice.key(), clock.instant());
      log.info("notice {} is still pending", notice.noticeId());
      sender.sendSoon(notice.key());
    }
  }

  /** The one plain address the notice goes to. */
  private static String recipient(String email) {
    try {
      InternetAddress address = new InternetAddress(email.strip(), true);
      address.validate();
      return address.getAddress();
    } catch (AddressException e) {
      throw new RejectedMessageException(
          "customer.email is not an e-mail address the notice can be sent to: " + e.getMessage());
    }
  }
}
