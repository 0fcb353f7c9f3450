package dev.ordersaga.messaging.web;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the REST APIs' shared kit ({@code messaging.web.*}).
 *
 * @param cursorKey the key page cursors are signed with ({@link SignedCursors}), at least 16
 *     characters (environment: {@code MESSAGING_WEB_CURSOR_KEY}); set the same on every instance of
 *     a service so that a cursor one issued is valid on the others and after a restart. Unset, each
 *     JVM draws its own at start.
 * @param maxBodySize the largest request body read ({@link RequestBodyLimit}), 256 KB
 */
@ConfigurationProperties("messaging.web")
public record WebSettings(String cursorKey, @DefaultValue("256KB") DataSize maxBodySize) {

  public WebSettings {
    if (cursorKey != null
        && !cursorKey.isBlank()
        && cursorKey.getBytes(StandardCharsets.UTF_8).length < SignedCursors.MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "messaging.web.cursor-key must have at least "
              + SignedCursors.MIN_KEY_BYTES
              + " characters");
    }
  }
}
