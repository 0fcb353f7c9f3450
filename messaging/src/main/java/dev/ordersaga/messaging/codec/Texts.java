package dev.ordersaga.messaging.codec;

import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.INVALID_PAYLOAD;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Bounds on the text a message carries, and text from a message made safe to show in a reason. */
final class Texts {

  /** How much of a sender's text a reason quotes. */
  static final int QUOTED = 120;

  static final int MAX_DEPTH = 10;
  static final int MAX_ELEMENTS = 1000;

  private Texts() {}

  /**
   * Whether {@code text} is valid Unicode (no lone surrogate) without control characters (C0, DEL,
   * C1).
   */
  static boolean isPlain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks every text (values and field names) under {@code node}: at most {@code maxText}
   * characters, plain; nesting at most {@value #MAX_DEPTH} deep, arrays of at most {@value
   * #MAX_ELEMENTS}.
   *
   * @throws UndecodableMessageException naming the path of the first bad text
   */
  static void check(JsonNode node, String path, int maxText) {
    check(node, path, maxText, 0);
  }

  private static void check(JsonNode node, String path, int maxText, int depth) {
    if (depth > MAX_DEPTH) {
      throw invalid(path + " is nested more than " + MAX_DEPTH + " levels deep");
    }
    if (node.isTextual()) {
      String text = node.textValue();
      if (text.length() > maxText) {
        throw invalid(path + " is longer than " + maxText + " characters");
      }
      if (!isPlain(text)) {
        throw invalid(path + " holds a control character or invalid Unicode");
      }
    } else if (node.isArray()) {
      if (node.size() > MAX_ELEMENTS) {
        throw invalid(path + " has more than " + MAX_ELEMENTS + " elements");
      }
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), path + "[" + i + "]", maxText, depth + 1);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String name = field.getKey();
        if (name.length() > 100 || !isPlain(name)) {
          throw invalid(path + " has a field name that is too long or not plain text");
        }
        check(field.getValue(), path + "." + name, maxText, depth + 1);
      }
    }
  }

  private static UndecodableMessageException invalid(String message) {
    return new UndecodableMessageException(INVALID_PAYLOAD, message, null);
  }

  /** Up to {@value #QUOTED} characters of {@code text}, control characters escaped. */
  static String cut(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < QUOTED; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (out.length() >= QUOTED && text.length() > QUOTED) {
      out.append("...(").append(text.length()).append(" characters)");
    }
    return out.toString();
  }

  /** {@link #cut} in double quotes. */
  static String quote(String text) {
    return "\"" + cut(text) + "\"";
  }
}
