package dev.ordersaga.notifier.notice;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.participant.StoredReplies;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.PublishException;
import dev.ordersaga.messaging.rabbit.RedeliveryBackoff;
import dev.ordersaga.messaging.tracing.MessageTracing;
import dev.ordersaga.messaging.work.PeriodicWork;
import dev.ordersaga.messaging.work.Relay;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Sends PENDING notices until the mail server accepts them, then reports each with {@code
 * CustomerNotified}. One thread does all of it, a {@link PeriodicWork} ({@code notice-sender}): an
 * immediate attempt for each new notice ({@link #sendSoon}) and a sweep every poll interval over
 * the pending work ({@link NoticeTasks}, O(pending) to read) that takes whatever is due: new,
 * retried, or left by a crash. The sweep is messaging's {@link Relay}, as the outbox relay of
 * order-service is.
 *
 * <p>For one notice, every store access keyed: claim its task (a lease, by compare-and-set, so no
 * other sender or instance takes it meanwhile; renewed while the work lasts, so a sender that dies
 * leaves it to the others within {@code notifier.sender.claim-timeout}); read the notice; hand it
 * to the mail server; once accepted, mark it SENT with its encoded reply in one compare-and-set;
 * publish the reply with confirm; remove the task. A notice found SENT when its task is claimed (a
 * crash came after the mark) is not sent again: only its reply is published. A failed attempt is
 * counted, logged and retried after an exponential, jittered wait capped at {@code
 * notifier.sender.retry-max}, indefinitely: an SMTP outage delays notices, it never drops or parks
 * them. A sweep stops at its first failure, so an outage costs one connection attempt per poll
 * interval.
 *
 * <p>After a crash (kill -9) between any two of these steps: before the mail server accepted, the
 * task is due again when the lease ends and the notice is sent then, once; after the SENT mark, the
 * reply is published again (same message id) and the task removed. The gap left: a crash (or a
 * failed store write) after the mail server accepted a notice but before it is marked SENT sends it
 * once more when the lease expires; so does a connection lost after the server took the mail but
 * before its answer arrived (SMTP cannot tell us), or a send that outlasts the lease. The window is
 * one store write wide, and the repeat is the same mail with the same Message-ID (see {@link
 * NoticeMail}), which mail stores that de-duplicate by Message-ID show once.
 */
public final class NoticeSender implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NoticeSender.class);
  private static final int MAX_ERROR_LENGTH = 500;

  private final NoticeRepository notices;
  private final NoticeTasks tasks;
  private final JavaMailSender mailSender;
  private final StoredReplies replies;
  private final NoticeMetrics metrics;
  private final Clock clock;
  private final InternetAddress from;
  private final Duration pollInterval;
  private final Duration claimTimeout;
  private final int batchSize;
  private final RedeliveryBackoff backoff;
  private final MessageTracing tracing;
  private final Relay<String> relay;
  private final PeriodicWork sending;

  /** The claims held now, each renewed by {@link #renewals} until its work ends. */
  private final Set<Renewal> claims = ConcurrentHashMap.newKeySet();

  /** Renews the claims of the notices being worked on ({@link Renewal}). */
  private final PeriodicWork renewals;

  public NoticeSender(
      NoticeRepository notices,
      NoticeTasks tasks,
      JavaMailSender mailSender,
      ConfirmingPublisher publisher,
      WireCodec codec,
      NoticeMetrics metrics,
      Clock clock,
      NotifierSettings properties) {
    this(
        notices,
        tasks,
        mailSender,
        publisher,
        codec,
        metrics,
        clock,
        properties,
        MessageTracing.NONE);
  }

  /**
   * @param tracing records each hand-off to the mail server as a span ({@code smtp send}), in the
   *     trace of the NotifyCustomer it answers
   */
  public NoticeSender(
      NoticeRepository notices,
      NoticeTasks tasks,
      JavaMailSender mailSender,
      ConfirmingPublisher publisher,
      WireCodec codec,
      NoticeMetrics metrics,
      Clock clock,
      NotifierSettings properties,
      MessageTracing tracing) {
    this.tracing = tracing;
    this.notices = notices;
    this.tasks = tasks;
    this.mailSender = mailSender;
    this.replies = new StoredReplies(publisher, codec, "notifier");
    this.metrics = metrics;
    this.clock = clock;
    this.from = sender(properties.getFrom());
    NotifierSettings.Sender settings = properties.getSender();
    this.pollInterval = positive(settings.getPollInterval(), "notifier.sender.poll-interval");
    this.claimTimeout = positive(settings.getClaimTimeout(), "notifier.sender.claim-timeout");
    this.batchSize = settings.getBatchSize();
    if (batchSize < 1) {
      throw new IllegalArgumentException("notifier.sender.batch-size must be 1 or more");
    }
    this.backoff = new RedeliveryBackoff(settings.getRetryInitial(), settings.getRetryMax());
    this.relay = new Relay<>(clock, batchSize, tasks::due, (key, now) -> work(key));
    this.sending =
        PeriodicWork.named("notice-sender", metrics.registry())
            .every(pollInterval)
            .firstAfter(Duration.ZERO)
            // let a send in progress finish, so that it is marked SENT rather than sent again later
            .stopWaiting(Duration.ofSeconds(30))
            .build(this::sweep);
    this.renewals =
        PeriodicWork.named("notice-claim-renewal", metrics.registry())
            .every(Duration.ofMillis(Math.max(1, claimTimeout.toMillis() / 3)))
            .build(
                () ->
                    claims.forEach(
                        renewal ->
                            guarded(
                                "renewing the claim on notice " + renewal.current().key(),
                                renewal::renew)));
  }

  /** The message id of a notice's {@code CustomerNotified}: the same for every publish of it. */
  public static String replyMessageId(String key) {
    return MessageIds.scoped(key, "notifier", "CustomerNotified");
  }

  /** The id of the notice recorded under an idempotency key. */
  public static String noticeId(String key) {
    return MessageIds.scoped(key, "notice");
  }

  /**
   * Asks for an attempt at this notice now, on the sender's thread; returns at once. Does nothing
   * if its task is not due (another sender holds it, or it waits for a retry) or the sender is
   * stopped: the sweep picks it up then.
   */
  public void sendSoon(String key) {
    if (!sending.execute(() -> guarded("sending notice " + key, () -> work(key)))) {
      log.debug("sender stopped; notice {} is left to the next sweep", key);
    }
  }

  /**
   * Publishes the stored reply of a SENT notice again and waits for the broker's confirm.
   *
   * @throws PublishException when it is not confirmed
   */
  public void republishReport(Notice notice) {
    replies.resend(notice.reply());
  }

  /** Does what is due, longest waiting first, stopping at the first failure. */
  void sweep() {
    relay.round();
  }

  /**
   * One attempt at the notice's outstanding work, if its task is due and this sender claims it.
   *
   * @return {@code false} if the mail server or the broker did not take it (it is due again later)
   */
  private boolean work(String key) {
    Optional<NoticeTask> claimed = tasks.claim(key, now(), leaseEnd());
    if (claimed.isEmpty()) {
      return true;
    }
    Optional<Notice> notice = notices.find(key);
    if (notice.isEmpty()) {
      // not possible as written (the notice is stored before its task), but never loop on it
      log.error("task {} has no notice; removing it", key);
      tasks.done(key);
      return true;
    }
    MDC.put("sagaId", notice.get().orderId());
    Renewal held = new Renewal(claimed.get());
    try {
      return notice.get().status() == NoticeStatus.SENT
          ? report(held, notice.get().reply())
          : send(held, notice.get());
    } finally {
      held.stop();
      MDC.remove("sagaId");
    }
  }

  /**
   * Keeps a claimed task held while this sender works on it: renews its claim every third of {@code
   * claim-timeout} (on the renewal thread, {@link #renewals}), so a slow mail server or broker does
   * not let another sender take it, while a sender that dies loses it within {@code claim-timeout}.
   * {@link #stop} ends the renewals and gives the task as last renewed, for the next
   * compare-and-set.
   */
  private final class Renewal {
    private NoticeTask task;
    private boolean stopped;

    Renewal(NoticeTask claimed) {
      this.task = claimed;
      claims.add(this);
    }

    private synchronized void renew() {
      if (stopped) {
        return;
      }
      Optional<NoticeTask> renewed = tasks.renew(task, leaseEnd());
      if (renewed.isPresent()) {
        task = renewed.get();
      } else {
        stopped = true;
        log.warn("lost the claim on notice {}: another sender took it over", task.key());
      }
    }

    synchronized NoticeTask current() {
      return task;
    }

    synchronized NoticeTask stop() {
      stopped = true;
      claims.remove(this);
      return task;
    }
  }

  /** One attempt at a claimed PENDING notice; {@code false} if it did not get through. */
  private boolean send(Renewal held, Notice notice) {
    try {
      MimeMessage mail = NoticeMail.compose(mailSender.createMimeMessage(), notice, from);
      tracing.inSpan(
          "smtp send",
          notice.trace(),
          Map.of(
              "peer.service", "smtp", "notice.id", notice.noticeId(), "saga.id", notice.orderId()),
          () -> {
            mailSender.send(mail);
            return null;
          });
    } catch (MailException | MessagingException e) {
      failed(held.stop(), notice, e);
      return false;
    }
    NoticeTask task = held.current();
    Instant sentAt = now();
    String reply = encodedReply(notice, sentAt);
    if (!notices.markSent(notice, sentAt, reply, task.attempts())) {
      log.warn(
          "notice {} for order {} was sent, but another sender had already marked it SENT: "
              + "its claim outlasted notifier.sender.claim-timeout, so the customer got it twice",
          notice.noticeId(),
          notice.orderId());
      return true;
    }
    metrics.sent();
    log.info(
        "notice {} ({}) for order {} accepted by the mail server after {} attempt(s)",
        notice.noticeId(),
        notice.reason(),
        notice.orderId(),
        task.attempts());
    return report(held, reply);
  }

  private void failed(NoticeTask task, Notice notice, Exception error) {
    metrics.sendFailed();
    Duration wait = backoff.delayAfter(task.attempts());
    tasks.retryLater(task, NoticeTask.Phase.SEND, now().plus(wait), describe(error));
    log.warn(
        "notice {} for order {} not accepted by the mail server (attempt {}); next attempt in {}"
            + " ms: {}",
        notice.noticeId(),
        notice.orderId(),
        task.attempts(),
        wait.toMillis(),
        describe(error));
  }

  /**
   * Publishes a SENT notice's reply and removes its task; {@code false} if the broker did not
   * confirm it (the task is due again later).
   */
  private boolean report(Renewal held, String reply) {
    try {
      replies.publish(replies.decode(reply));
    } catch (PublishException e) {
      NoticeTask task = held.stop();
      Instant retryAt = now().plus(backoff.delayAfter(1));
      tasks.retryLater(task, NoticeTask.Phase.REPORT, retryAt, describe(e));
      log.warn(
          "CustomerNotified for notice {} not published; retrying at {}: {}",
          task.key(),
          retryAt,
          e.getMessage());
      return false;
    }
    tasks.done(held.stop().key());
    return true;
  }

  private String encodedReply(Notice notice, Instant sentAt) {
    Envelope<CustomerNotified> reply =
        Envelope.of(
            replyMessageId(notice.key()),
            notice.commandMessageId(),
            sentAt,
            notice.trace(),
            new CustomerNotified(notice.orderId(), notice.noticeId()));
    return replies.encode(reply);
  }

  private void guarded(String what, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      // the store or broker failed; whatever was claimed is due again when its lease ends
      log.warn("{} failed; the next sweep tries again: {}", what, e.toString());
    }
  }

  private Instant now() {
    return clock.instant();
  }

  private Instant leaseEnd() {
    return now().plus(claimTimeout);
  }

  private static String describe(Exception error) {
    StringBuilder text = new StringBuilder(error.toString());
    for (Throwable cause = error.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      text.append("; caused by ").append(cause);
    }
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text.toString();
  }

  private static InternetAddress sender(String from) {
    try {
      InternetAddress address = new InternetAddress(from, true);
      address.validate();
      return address;
    } catch (jakarta.mail.internet.AddressException e) {
      throw new IllegalArgumentException("notifier.from is not a valid address: " + from, e);
    }
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  @Override
  public void start() {
    renewals.start();
    sending.start();
  }

  @Override
  public void stop() {
    sending.stop();
    renewals.stop();
  }

  @Override
  public boolean isRunning() {
    return sending.isRunning();
  }
}
