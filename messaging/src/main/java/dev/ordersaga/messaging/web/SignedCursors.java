package dev.ordersaga.messaging.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The page cursors of every service's REST API: where a page ended (a few values, such as a time
 * and an id) and which query it belongs to, signed with HMAC-SHA256. A cursor that was altered or
 * made up, or one issued for another listing or another query, is refused ({@link
 * InvalidCursorException}, which each API answers with a 400 naming {@code cursor}) instead of
 * being read. A cursor is valid on every instance sharing the key ({@code
 * messaging.web.cursor-key}); without one, each JVM draws its own at start, and cursors do not
 * outlive a restart.
 *
 * <p>Form: {@code base64url(body) "." base64url(tag)}, body = version, listing, a digest of the
 * query, the values; tag = the first 16 bytes of the HMAC of the body.
 */
public final class SignedCursors {

  /** The longest cursor read; longer ones are refused before any decoding. */
  public static final int MAX_LENGTH = 2_000;

  /** The shortest key taken, in bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private static final byte VERSION = 1;
  private static final int TAG_BYTES = 16;
  private static final int QUERY_DIGEST_BYTES = 8;
  private static final int MAX_VALUES = 8;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public SignedCursors(byte[] key) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a cursor key needs at least " + MIN_KEY_BYTES + " bytes, has " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** Cursors signed with a key drawn now: valid in this JVM only, until it stops. */
  public static SignedCursors withRandomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new SignedCursors(key);
  }

  /**
   * A cursor for the page after one that ended at {@code values}.
   *
   * @param listing which listing issues it, such as {@code orders} or {@code audit}
   * @param query the query the page answered, as text (the same text on the next request)
   */
  public String issue(String listing, String query, List<String> values) {
    if (values.isEmpty() || values.size() > MAX_VALUES) {
      throw new IllegalArgumentException("a cursor holds 1 to " + MAX_VALUES + " values");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(listing);
      out.write(queryDigest(query));
      out.writeByte(values.size());
      for (String value : values) {
        out.writeUTF(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.toByteArray();
    return encoded(body) + "." + encoded(tag(body));
  }

  /**
   * The values of a cursor this API issued for the same listing and query.
   *
   * @throws InvalidCursorException when it is malformed, altered, made up, issued with another key
   *     (another deployment, or before a restart without a configured key), or issued for another
   *     listing or query
   */
  public List<String> open(String cursor, String listing, String query) {
    if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
      throw malformed();
    }
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
    // only the encoding issue() writes: the decoder ignores the unused bits of a last character
    if (!encoded(body).equals(cursor.substring(0, dot))
        || !encoded(tag).equals(cursor.substring(dot + 1))) {
      throw malformed();
    }
    if (!MessageDigest.isEqual(tag, tag(body))) {
      throw new InvalidCursorException(
          "was not issued by this service or was altered; start again without a cursor (cursors"
              + " do not outlive a restart unless messaging.web.cursor-key is set)");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (in.readByte() != VERSION) {
        throw malformed();
      }
      String issuedFor = in.readUTF();
      byte[] digest = in.readNBytes(QUERY_DIGEST_BYTES);
      int count = in.readUnsignedByte();
      List<String> values = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        values.add(in.readUTF());
      }
      if (in.available() > 0) {
        throw malformed();
      }
      if (!issuedFor.equals(listing)) {
        throw new InvalidCursorException("belongs to another listing; use it where it was given");
      }
      if (!Arrays.equals(digest, queryDigest(query))) {
        throw new InvalidCursorException(
            "belongs to another query; keep the query the same while paging");
      }
      return values;
    } catch (IOException e) {
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

  private static byte[] queryDigest(String query) {
    try {
      return Arrays.copyOf(
          MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8)),
          QUERY_DIGEST_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String encoded(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static InvalidCursorException malformed() {
    return new InvalidCursorException(
        "is malformed; pass the next cursor of the previous page unchanged");
  }
}
