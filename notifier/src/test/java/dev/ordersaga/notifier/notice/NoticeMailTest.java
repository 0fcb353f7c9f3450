package dev.ordersaga.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NoticeMailTest {

  private static final Session SESSION = Session.getInstance(new Properties());

  private final InternetAddress from = address("Order Saga <orders@shop.example>");

  @Test
  void composesAPlainTextUtf8MailInTheNoticesLanguage() throws Exception {
    Notice notice = notice("key-1", "[주문 ord-1] 주문이 취소되었습니다", "안녕하세요.\n주문번호: ord-1\n");

    MimeMessage mail = NoticeMail.compose(new MimeMessage(SESSION), notice, from);
    mail.saveChanges();

    assertThat(mail.getSubject()).isEqualTo(notice.subject());
    assertThat(mail.getRecipients(Message.RecipientType.TO))
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("kim@example.com");
    assertThat(((InternetAddress) mail.getFrom()[0]).getAddress()).isEqualTo("orders@shop.example");
    assertThat(mail.getContentType()).contains("text/plain").containsIgnoringCase("UTF-8");
    assertThat(mail.getContent()).isEqualTo(notice.body());
    assertThat(mail.getHeader("Content-Language", null)).isEqualTo("ko");
    assertThat(mail.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
    assertThat(mail.getSentDate()).isEqualTo(java.util.Date.from(notice.createdAt()));
  }

  @Test
  void everySendOfOneNoticeHasTheSameMessageIdAndOtherNoticesAnother() throws Exception {
    Notice notice = notice("key-1", "Order ord-1: cancelled", "Hello");

    // (Spring's JavaMailSenderImpl keeps a Message-ID set before sending; NoticeDeliveryIT shows
    // it)
    MimeMessage first = NoticeMail.compose(new MimeMessage(SESSION), notice, from);
    MimeMessage again = NoticeMail.compose(new MimeMessage(SESSION), notice, from);
    MimeMessage other =
        NoticeMail.compose(new MimeMessage(SESSION), notice("key-2", "Order ord-1: x", "y"), from);

    assertThat(NoticeMail.messageId(notice, from))
        .isEqualTo("<" + NoticeSender.noticeId("key-1") + "@shop.example>");
    assertThat(first.getMessageID()).isEqualTo(NoticeMail.messageId(notice, from));
    assertThat(again.getMessageID()).isEqualTo(first.getMessageID());
    assertThat(other.getMessageID()).isNotEqualTo(first.getMessageID());
  }

  @Test
  void theSubjectIsOneEncodedHeaderLine() throws Exception {
    Notice notice = notice("key-1", "[주문 ord-1] 결제가 거절되었습니다", "본문");

    MimeMessage mail = NoticeMail.compose(new MimeMessage(SESSION), notice, from);
    mail.saveChanges();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    mail.writeTo(raw);
    String headers = raw.toString(StandardCharsets.US_ASCII).split("\r\n\r\n", 2)[0];

    assertThat(headers).contains("Subject: =?UTF-8?");
    assertThat(headers.chars().allMatch(c -> c < 128)).as("headers are 7-bit").isTrue();
  }

  private static Notice notice(String key, String subject, String body) {
    return new Notice(
        key,
        NoticeSender.noticeId(key),
        "ord-1",
        "cust-1",
        "kim@example.com",
        "ko",
        NoticeReason.CANCELLED_BY_SHOPPER,
        null,
        subject,
        body,
        NoticeStatus.PENDING,
        1,
        Instant.parse("2026-11-21T10:15:30Z"),
        null,
        "cmd-1",
        Map.of(),
        null,
        0);
  }

  private static InternetAddress address(String text) {
    try {
      return new InternetAddress(text, true);
    } catch (jakarta.mail.internet.AddressException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
