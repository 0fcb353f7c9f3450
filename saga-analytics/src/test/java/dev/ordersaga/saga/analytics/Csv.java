package dev.ordersaga.saga.analytics;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for tests: rows of fields, quoted fields with doubled quotes, CRLF. */
final class Csv {

  private Csv() {}

  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    boolean quoted = false;
    boolean afterQuote = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
          afterQuote = true;
        } else {
          field.append(c);
        }
        i++;
        continue;
      }
      if (c == '"') {
        if (field.length() > 0 || afterQuote) {
          throw new IllegalArgumentException("quote inside an unquoted field at " + i);
        }
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
        afterQuote = false;
      } else if (c == '\r') {
        if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
          throw new IllegalArgumentException("CR without LF at " + i);
        }
        row.add(field.toString());
        field.setLength(0);
        afterQuote = false;
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else if (c == '\n') {
        throw new IllegalArgumentException("LF without CR at " + i);
      } else {
        if (afterQuote) {
          throw new IllegalArgumentException("text after a closing quote at " + i);
        }
        field.append(c);
      }
      i++;
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field");
    }
    if (field.length() > 0 || !row.isEmpty()) {
      throw new IllegalArgumentException("last row does not end with CRLF");
    }
    return rows;
  }
}
