package dev.ordersaga.messaging;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Saga ids, message ids and idempotency keys. A retry must carry the id of the message it repeats,
 * so ids for steps are derived from what identifies the step, never drawn at random. Every id of a
 * saga starts with the saga's id, and saga ids start with the time they were made: so the records
 * of the sagas in flight sit together in every store's keys (a store's index touches a few pages
 * per second of sagas, not one page per record), and an id says which saga it belongs to.
 *
 * <p>The form every reader checks ({@link #isSagaId}, {@link #isMessageId}; the codec parks a
 * message whose ids do not have it):
 *
 * <ul>
 *   <li>a saga id: 1 to {@value #MAX_SAGA_ID} characters of {@code A-Z a-z 0-9 . _ -}, no {@code
 *       ':'} (the separator of scoped ids). The services make it a version 7 UUID ({@link
 *       #newSagaId}); readers check the form, not the UUID version, because sagas made before the
 *       ids were time-ordered carry version 4 UUIDs;
 *   <li>a message id (and a causation id): 1 to {@value #MAX_MESSAGE_ID} characters of the same set
 *       plus {@code ':'}. Every id the services put on the wire is {@link #scoped} by its saga
 *       ({@code <sagaId>:AUTHORIZE_PAYMENT:2}, {@code <sagaId>:AUTHORIZE_PAYMENT:payment-service:
 *       payment.PaymentAuthorized}); readers do not require the saga's prefix, because messages of
 *       revision 1 were sent with UUIDs as ids and the engine's operator requests are named by
 *       their action's UUID.
 * </ul>
 */
public final class MessageIds {

  /** The longest saga id a reader takes. */
  public static final int MAX_SAGA_ID = 64;

  /** The longest message id a reader takes. */
  public static final int MAX_MESSAGE_ID = 256;

  private static final SecureRandom RANDOM = new SecureRandom();

  private MessageIds() {}

  /**
   * A new saga's id (the order's): a version 7 UUID (RFC 9562), its first 48 bits the time in
   * milliseconds, the rest random (74 bits), so ids made later sort later.
   */
  public static String newSagaId() {
    long millis = System.currentTimeMillis();
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long randomHigh = ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
    long randomLow = 0;
    for (int i = 2; i < 10; i++) {
      randomLow = (randomLow << 8) | (random[i] & 0xFFL);
    }
    long most = (millis << 16) | 0x7000L | randomHigh;
    long least = (randomLow & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  /** Whether {@code id} has the form of a saga id (see the class comment). */
  public static boolean isSagaId(String id) {
    return hasForm(id, MAX_SAGA_ID, false);
  }

  /** Whether {@code id} has the form of a message or causation id (see the class comment). */
  public static boolean isMessageId(String id) {
    return hasForm(id, MAX_MESSAGE_ID, true);
  }

  /**
   * 1 to {@code max} characters of {@code A-Z a-z 0-9 . _ -}, and {@code ':'} if allowed. A loop,
   * not a regular expression: every message's ids are checked on the way in and out, and the
   * matcher was ~1.5% of all CPU samples of a load run.
   */
  private static boolean hasForm(String id, int max, boolean colonAllowed) {
    if (id == null || id.isEmpty() || id.length() > max) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || (colonAllowed && c == ':');
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /**
   * An id within a scope: the scope (a saga id, or a key made from one) first, then the parts that
   * name the message or record within it, joined with {@code ':'}. The same parts give the same id.
   * Parts are names the code chooses (services, steps, wire types, attempts, ids), so none of them
   * makes two different lists read the same.
   */
  public static String scoped(String scope, String... parts) {
    return scope + ":" + String.join(":", parts);
  }

  /** The id of attempt {@code attempt} of step {@code step} of saga {@code sagaId}. */
  public static String forStep(String sagaId, String step, int attempt) {
    return scoped(sagaId, step, Integer.toString(attempt));
  }

  /**
   * The idempotency key of a step, minted once per saga and step; every retry of the step and its
   * compensation reuse it, so a provider never applies the step twice.
   */
  public static String idempotencyKey(String sagaId, String step) {
    return scoped(sagaId, step);
  }
}
