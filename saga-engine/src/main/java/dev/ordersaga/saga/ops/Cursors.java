package dev.ordersaga.saga.ops;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * Opaque page cursors: where the last page ended (an instant and an id), bound to the query that
 * produced it, so a cursor used with another query or altered is refused instead of skipping or
 * repeating entries.
 */
final class Cursors {

  /** Where a page ended. */
  record Mark(Instant at, String id) {}

  private static final int MAX_LENGTH = 1000;

  private Cursors() {}

  static String encode(String kind, String queryFingerprint, Instant at, String id) {
    String plain = kind + "\n" + queryFingerprint + "\n" + at.toEpochMilli() + "\n" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The mark a cursor carries, or 400 naming {@code cursor} if it is not one of ours. */
  /** A short digest of a query (its kind and its text), which a cursor carries. */
  static String fingerprint(String kind, String query) {
    byte[] text = (kind + "\u001f" + query).getBytes(StandardCharsets.UTF_8);
    return java.util.UUID.nameUUIDFromBytes(text).toString().substring(0, 8);
  }

  static Mark decode(String cursor, String kind, String queryFingerprint) {
    if (cursor.length() > MAX_LENGTH) {
      throw OpsException.badRequest("cursor", "is malformed");
    }
    String[] parts;
    try {
      parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 4);
    } catch (IllegalArgumentException e) {
      throw OpsException.badRequest("cursor", "is malformed");
    }
    if (parts.length != 4 || !parts[0].equals(kind) || parts[3].isEmpty()) {
      throw OpsException.badRequest("cursor", "is malformed");
    }
    if (!parts[1].equals(queryFingerprint)) {
      throw OpsException.badRequest(
          "cursor", "belongs to another query: repeat the query that returned it");
    }
    try {
      return new Mark(Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[3]);
    } catch (NumberFormatException | DateTimeException e) {
      throw OpsException.badRequest("cursor", "is malformed");
    }
  }
}
