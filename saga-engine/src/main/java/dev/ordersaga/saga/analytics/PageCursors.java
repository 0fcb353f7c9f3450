package dev.ordersaga.saga.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.axonframework.common.DateTimeUtils;

/**
 * Opaque page cursors: where the previous page ended (recorded time and event id of its last event)
 * and which filter it belongs to, signed with HMAC-SHA256 so a cursor that was altered, or made up,
 * is refused instead of being read. A cursor is valid on every engine sharing the key ({@code
 * saga.analytics.cursor-key}); without one, each engine draws its own at start.
 */
final class PageCursors {

  private static final byte VERSION = 1;
  private static final int TAG_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  PageCursors(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("the cursor key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** Where a page ended; the next page starts after it. */
  record Position(String recordedAt, String eventId) {}

  String encode(String fingerprint, Position position) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(fingerprint);
      out.writeUTF(position.recordedAt());
      out.writeUTF(position.eventId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.toByteArray();
    return encoded(body) + "." + encoded(tag(body));
  }

  private static String encoded(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The position in a cursor, if it is intact and was issued for this filter. */
  Position decode(String cursor, String fingerprint) {
    int dot = cursor.indexOf('.');
    if (dot < 1 || dot != cursor.lastIndexOf('.')) {
      throw malformed();
    }
    byte[] body;
    byte[] tag;
    try {
      body = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
      tag = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
    // only the encoding this class writes: the decoder ignores the unused bits of a last character
    if (!encoded(body).equals(cursor.substring(0, dot))
        || !encoded(tag).equals(cursor.substring(dot + 1))) {
      throw malformed();
    }
    if (!MessageDigest.isEqual(tag, tag(body))) {
      throw new InvalidParameterException(
          "cursor",
          "was not issued by this engine or was altered; start again without a cursor"
              + " (cursors do not outlive an engine restart unless saga.analytics.cursor-key"
              + " is set)");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (in.readByte() != VERSION) {
        throw malformed();
      }
      String issuedFor = in.readUTF();
      String recordedAt = in.readUTF();
      String eventId = in.readUTF();
      if (in.available() > 0) {
        throw malformed();
      }
      if (!issuedFor.equals(fingerprint)) {
        throw new InvalidParameterException(
            "cursor", "belongs to a different filter; keep the filter the same while paging");
      }
      DateTimeUtils.parseInstant(recordedAt);
      return new Position(recordedAt, eventId);
    } catch (IOException | DateTimeParseException e) {
      throw malformed();
    }
  }

  private byte[] tag(byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(body), TAG_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }

  private static InvalidParameterException malformed() {
    return new InvalidParameterException(
        "cursor", "is malformed; pass the nextCursor of the previous page unchanged");
  }
}
