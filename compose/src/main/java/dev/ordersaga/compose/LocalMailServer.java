package dev.ordersaga.compose;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * An SMTP server in the launcher's JVM, so the notifier has somewhere to send mail on a laptop. It
 * accepts every message and keeps it in memory; what was sent is listed by the notifier's {@code
 * GET /notices}.
 */
public final class LocalMailServer implements AutoCloseable {

  private final GreenMail greenMail;

  public LocalMailServer(int port) {
    greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
  }

  public int port() {
    return greenMail.getSmtp().getPort();
  }

  /** Messages accepted so far. */
  public int received() {
    return greenMail.getReceivedMessages().length;
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
