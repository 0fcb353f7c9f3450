package dev.ordersaga.notifier.notice;

/** Where a notice stands. */
public enum NoticeStatus {
  /** Recorded and waiting for the mail server to accept it; retried until it does. */
  PENDING,
  /** The mail server accepted it. */
  SENT
}
