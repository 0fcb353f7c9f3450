package dev.ordersaga.notifier.notice;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Turns a notice into a plain-text, UTF-8 mail. Every header that can be is derived from the
 * notice, so a repeated send is the same mail: the {@code Message-ID} is {@code
 * <noticeId@sender-domain>} and the {@code Date} is when the notice was recorded. Mail stores and
 * clients that de-duplicate by Message-ID then show a repeat once.
 */
final class NoticeMail {

  private NoticeMail() {}

  /** Fills {@code message} (empty, from the mail sender) with the notice. */
  static MimeMessage compose(MimeMessage message, Notice notice, InternetAddress from)
      throws MessagingException {
    MimeMessageHelper mail = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
    mail.setFrom(from);
    mail.setTo(new InternetAddress(notice.to(), true));
    mail.setSubject(notice.subject());
    mail.setText(notice.body(), false);
    mail.setSentDate(Date.from(notice.createdAt()));
    message.setHeader("Message-ID", messageId(notice, from));
    message.setHeader("Content-Language", notice.language());
    // RFC 3834: an automatic message, so auto-responders do not answer it
    message.setHeader("Auto-Submitted", "auto-generated");
    return message;
  }

  /** The notice's Message-ID: the same for every send of one notice. */
  static String messageId(Notice notice, InternetAddress from) {
    String address = from.getAddress();
    int at = address.lastIndexOf('@');
    String domain =
        at < 0 || at == address.length() - 1 ? "notifier.invalid" : address.substring(at + 1);
    return "<" + notice.noticeId() + "@" + domain + ">";
  }
}
