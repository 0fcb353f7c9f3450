package dev.ordersaga.messaging.web;

/**
 * Values that came from outside (a header, a path, a parameter, a body field), made fit for a log
 * line: cut to {@value #MAX_CHARS} characters (saying how many were left out) and escaped, so that
 * no control character, line break, unpaired surrogate or other non-printable character reaches the
 * log as it was sent. A line break in a value cannot start a forged log line; a 200 KB header
 * cannot fill the log.
 */
public final class LogSafe {

  /** The most characters of one value that a log line shows. */
  public static final int MAX_CHARS = 200;

  private LogSafe() {}

  /** The value, cut and escaped; {@code null} as {@code null}. */
  public static String text(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.toString();
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 16);
    int shown = 0;
    int i = 0;
    while (i < text.length() && shown < MAX_CHARS) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = text.codePointAt(i);
        if (printable(codePoint)) {
          safe.appendCodePoint(codePoint);
        } else {
          escape(safe, c);
          escape(safe, text.charAt(i + 1));
        }
        i += 2;
      } else {
        if (c == '\\') {
          safe.append("\\\\");
        } else if (c == '\n') {
          safe.append("\\n");
        } else if (c == '\r') {
          safe.append("\\r");
        } else if (c == '\t') {
          safe.append("\\t");
        } else if (Character.isSurrogate(c) || !printable(c)) {
          escape(safe, c);
        } else {
          safe.append(c);
        }
        i++;
      }
      shown++;
    }
    if (i < text.length()) {
      safe.append("...(").append(text.length() - i).append(" more chars)");
    }
    return safe.toString();
  }

  private static boolean printable(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.UNASSIGNED,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }

  private static void escape(StringBuilder safe, char c) {
    safe.append(String.format("\\u%04x", (int) c));
  }
}
