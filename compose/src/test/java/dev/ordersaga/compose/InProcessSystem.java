package dev.ordersaga.compose;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The five apps in the test's JVM, as a system test needs them: started by the {@link Launcher} on
 * random ports against the real RabbitMQ, with exchanges and queues of their own (a namespace), an
 * SMTP server of their own, and file stores in a directory of the test's (or in memory); closing
 * stops them, the mail server, and deletes the namespace's queues and exchanges.
 */
final class InProcessSystem {

  final LocalMailServer mail;
  final String namespace;
  final Launcher launcher;

  private InProcessSystem(LocalMailServer mail, String namespace, Launcher launcher) {
    this.mail = mail;
    this.namespace = namespace;
    this.launcher = launcher;
  }

  /**
   * Starts the system.
   *
   * @param data where the apps keep their file stores, or {@code null} for stores in memory
   * @param settings the test's own settings, over the common ones (random ports, the namespace, the
   *     mail server, notices polled every 200 ms, WARN logs)
   */
  static InProcessSystem start(Path data, Map<String, String> settings) {
    return start(data, settings, List.of());
  }

  /** Starts the system with each app's context prepared by the initializers. */
  static InProcessSystem start(
      Path data,
      Map<String, String> settings,
      List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
    LocalMailServer mail = new LocalMailServer(0);
    String namespace = "t-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> all = new HashMap<>();
    all.put("server.port", "0");
    all.put("messaging.rabbit.namespace", namespace);
    if (data == null) {
      all.put("messaging.store.embedded", "MEMORY");
    } else {
      all.put("messaging.store.data-directory", data.toString());
    }
    all.put("spring.mail.host", "127.0.0.1");
    all.put("spring.mail.port", Integer.toString(mail.port()));
    all.put("notifier.sender.poll-interval", "200ms");
    all.put("logging.level.root", "WARN");
    all.putAll(settings);
    try {
      return new InProcessSystem(mail, namespace, Launcher.start(all, initializers));
    } catch (RuntimeException e) {
      mail.close();
      throw e;
    }
  }

  /** The HTTP port of a running app. */
  int port(String app) {
    return launcher.ports().get(app);
  }

  /** Stops the apps and the mail server and deletes the namespace's queues and exchanges. */
  void close() throws Exception {
    try {
      launcher.close();
      mail.close();
    } finally {
      LoadCleanup.deleteNamespace(namespace);
    }
  }
}
