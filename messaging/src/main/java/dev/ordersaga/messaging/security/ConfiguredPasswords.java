package dev.ordersaga.messaging.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How passwords from configuration are checked (staff and shopper accounts alike). A password
 * configured in plain text is held as its SHA-256 digest and compared in constant time: the plain
 * text is in the configuration already, so a slow hash would protect nothing and would cost tens of
 * milliseconds of CPU on every request (HTTP Basic sends the password each time). A password
 * configured encoded ({@code {bcrypt}...}, {@code {pbkdf2}...}, as Spring Security writes them) is
 * checked by its own algorithm.
 */
public final class ConfiguredPasswords implements PasswordEncoder {

  /** The prefix of a plain-text password's digest. */
  public static final String DIGEST_PREFIX = "{plain-sha256}";

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Pattern ENCODED = Pattern.compile("\\{[A-Za-z0-9_-]+}.+");

  private final PasswordEncoder others = PasswordEncoderFactories.createDelegatingPasswordEncoder();

  /** A random password for an account a local run makes up: 24 URL-safe characters. */
  public static String generate() {
    byte[] random = new byte[18];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** Whether a configured password is already encoded, with an {@code {id}} prefix. */
  public static boolean isEncoded(String configured) {
    return ENCODED.matcher(configured).matches();
  }

  /**
   * The form a configured password is kept in: as given when encoded, else its digest.
   *
   * @throws IllegalArgumentException when it is encoded with an algorithm nobody here knows
   */
  public String stored(String configured) {
    if (!isEncoded(configured)) {
      return encode(configured);
    }
    others.matches("", configured); // throws for an unknown {id}
    return configured;
  }

  @Override
  public String encode(CharSequence raw) {
    return DIGEST_PREFIX + HexFormat.of().formatHex(sha256(raw));
  }

  @Override
  public boolean matches(CharSequence raw, String stored) {
    if (raw == null || stored == null) {
      return false;
    }
    if (stored.startsWith(DIGEST_PREFIX)) {
      byte[] expected;
      try {
        expected = HexFormat.of().parseHex(stored.substring(DIGEST_PREFIX.length()));
      } catch (IllegalArgumentException notHex) {
        return false;
      }
      return MessageDigest.isEqual(sha256(raw), expected);
    }
    try {
      return others.matches(raw, stored);
    } catch (IllegalArgumentException unknownAlgorithm) {
      return false;
    }
  }

  private static byte[] sha256(CharSequence raw) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(raw.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
