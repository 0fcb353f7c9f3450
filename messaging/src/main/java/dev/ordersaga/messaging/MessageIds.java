package dev.ordersaga.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Message ids and idempotency keys. A retry must carry the id of the message it repeats, so ids for
 * steps are derived from what identifies the step, never drawn at random.
 */
public final class MessageIds {

  private MessageIds() {}

  /**
   * The same parts give the same id (a name-based UUID), so a retried step re-sends the same id and
   * every receiver's inbox recognises it.
   */
  public static String deterministic(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The id of attempt {@code attempt} of step {@code step} of saga {@code sagaId}. */
  public static String forStep(String sagaId, String step, int attempt) {
    return deterministic("step", sagaId, step, Integer.toString(attempt));
  }

  /**
   * The idempotency key of a step, minted once per saga and step; every retry of the step and its
   * compensation reuse it, so a provider never applies the step twice.
   */
  public static String idempotencyKey(String sagaId, String step) {
    return deterministic("key", sagaId, step);
  }
}
