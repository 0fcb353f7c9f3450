package dev.ordersaga.notifier.notice;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.tracing.MessageTracing;
import dev.ordersaga.notifier.template.NoticeTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * The notifier's wiring: templates, the notices store, the sender and the listener on {@code
 * NotificationChannels.COMMAND_QUEUE}. The {@link JavaMailSender} is Spring Boot's, from {@code
 * spring.mail.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotifierSettings.class)
class NoticeConfiguration {

  /** The system property by which Jakarta Mail finds its stream provider before searching. */
  static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";

  /** Angus Mail's stream provider, the one Jakarta Mail's search finds on this class path. */
  static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

  static {
    // Jakarta Mail 2.1 looks its stream provider up again for every encoded word of a header and
    // every message it reads or writes; without this property each look-up is a ServiceLoader
    // search of the class path (in the launcher's nested jar, 2.5% of all CPU samples of a load
    // run, most of the notifier's sending). Named, it is one Class.forName of a loaded class.
    // A value set by the operator stands.
    System.getProperties().putIfAbsent(STREAM_PROVIDER_PROPERTY, ANGUS_STREAM_PROVIDER);
  }

  @Bean
  NoticeTemplates noticeTemplates() {
    return NoticeTemplates.load();
  }

  @Bean
  NoticeRepository noticeRepository(MongoDatabase database) {
    return new NoticeRepository(database);
  }

  /** The pending work; notices recorded before it existed get their tasks here, once. */
  @Bean
  NoticeTasks noticeTasks(MongoDatabase database, NoticeRepository notices, Clock clock) {
    NoticeTasks tasks = new NoticeTasks(database);
    notices.moveLegacyWork(tasks, clock.instant());
    return tasks;
  }

  @Bean
  NoticeMetrics noticeMetrics(MeterRegistry registry, NoticeTasks tasks) {
    return new NoticeMetrics(registry, tasks);
  }

  @Bean
  NoticeSender noticeSender(
      NoticeRepository notices,
      NoticeTasks tasks,
      JavaMailSender mailSender,
      ConfirmingPublisher publisher,
      WireCodec codec,
      NoticeMetrics metrics,
      Clock clock,
      NotifierSettings properties,
      MessageTracing tracing) {
    return new NoticeSender(
        notices, tasks, mailSender, publisher, codec, metrics, clock, properties, tracing);
  }

  @Bean
  NotifyCustomerHandler notifyCustomerHandler(
      NoticeRepository notices,
      NoticeTasks tasks,
      NoticeTemplates templates,
      NoticeSender sender,
      Clock clock) {
    return new NotifyCustomerHandler(notices, tasks, templates, sender, clock);
  }

  @Bean
  QueueListener notifierCommands(NotifyCustomerHandler handler) {
    // no messaging inbox: the handler keeps each command's effect and reply keyed in its own
    // records and answers a repeat from them
    return new QueueListener(NotificationChannels.COMMAND_QUEUE, handler).withoutInbox();
  }
}
