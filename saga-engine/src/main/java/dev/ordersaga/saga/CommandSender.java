package dev.ordersaga.saga;

import dev.ordersaga.messaging.Command;

/** How the saga sends a step's command: to its participant, confirmed, and into the journal. */
public interface CommandSender {

  /**
   * Sends attempt {@code attempt} of {@code step}. The message id is derived from the saga, step
   * and attempt, so a replay after a crash sends the same id and the participant's inbox absorbs
   * it.
   */
  void send(String orderId, Step step, int attempt, Command command, String causationId);
}
