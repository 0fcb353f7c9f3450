package dev.ordersaga.notifier.notice;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.web.RequestValues;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /notices?orderId=...}: the notices of one order, sent or still pending, oldest first.
 * An order without notices gets an empty list; a request without a valid {@code orderId} (or with
 * another parameter) gets 400 as {@code application/problem+json} naming the parameter ({@code
 * RequestValues.onlyParameter}). Off the saga's way: on the embedded store the query by order reads
 * the whole {@code notices} collection; each PENDING notice's attempts are then read from its task,
 * by key.
 */
@RestController
@RequestMapping("/notices")
class NoticeController {

  private final NoticeRepository notices;
  private final NoticeTasks tasks;

  NoticeController(NoticeRepository notices, NoticeTasks tasks) {
    this.notices = notices;
    this.tasks = tasks;
  }

  /** The notices of one order. */
  record NoticeList(String orderId, List<NoticeView> notices) {}

  /**
   * One notice as an operator or support agent needs it.
   *
   * @param locale the language it is written in
   * @param outcome why it was sent: the order's final outcome
   * @param refunded the refund it reports, or {@code null}
   * @param attempts sending attempts begun so far
   * @param lastError why the last attempt failed, while it is PENDING
   */
  record NoticeView(
      String noticeId,
      String to,
      String subject,
      String locale,
      NoticeReason outcome,
      Money refunded,
      NoticeStatus status,
      int attempts,
      String lastError,
      Instant createdAt,
      Instant sentAt) {

    /**
     * @param task the notice's outstanding work, if any: while PENDING it counts the attempts
     */
    static NoticeView of(Notice notice, Optional<NoticeTask> task) {
      boolean pending = notice.status() == NoticeStatus.PENDING;
      return new NoticeView(
          notice.noticeId(),
          notice.to(),
          notice.subject(),
          notice.language(),
          notice.reason(),
          notice.refunded(),
          notice.status(),
          pending ? task.map(NoticeTask::attempts).orElse(0) : notice.attempts(),
          pending ? task.map(NoticeTask::lastError).orElse(null) : null,
          notice.createdAt(),
          notice.sentAt());
    }
  }

  @Parameter(
      name = "orderId",
      in = ParameterIn.QUERY,
      required = true,
      schema = @Schema(type = "string"),
      description = "the order whose notices to list; sent once, and no other parameter")
  @GetMapping
  NoticeList list(@Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    String orderId = RequestValues.onlyParameter(query, "orderId");
    return new NoticeList(
        orderId,
        notices.findByOrder(orderId).stream()
            .map(
                notice ->
                    NoticeView.of(
                        notice,
                        notice.status() == NoticeStatus.PENDING
                            ? tasks.find(notice.key())
                            : Optional.empty()))
            .toList());
  }
}
