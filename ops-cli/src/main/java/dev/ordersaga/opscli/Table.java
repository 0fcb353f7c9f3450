package dev.ordersaga.opscli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row and aligned columns, two spaces apart. An empty cell shows as
 * {@code -}; a cell longer than its column's limit is cut with {@code ...}; control characters
 * (line breaks, terminal escapes) in what the server sends are shown as {@code ?}, so one row stays
 * one line and nothing reaches the terminal as a command.
 */
final class Table {

  static final String EMPTY = "-";
  private static final String CUT = "...";
  private static final String GAP = "  ";

  private final List<String> headers;
  private final int[] limits;
  private final List<String[]> rows = new ArrayList<>();

  /** Columns by header; cells of any width. */
  Table(String... headers) {
    this.headers = List.of(headers);
    this.limits = new int[headers.length];
    Arrays.fill(limits, Integer.MAX_VALUE);
  }

  /** Cuts the cells of a column to at most {@code width} characters. */
  Table limit(int column, int width) {
    if (width < CUT.length() + 1) {
      throw new IllegalArgumentException("a column needs room for more than " + CUT);
    }
    limits[column] = width;
    return this;
  }

  Table row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + headers.size() + " columns");
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cell(cells[i], limits[i]);
    }
    rows.add(row);
    return this;
  }

  int size() {
    return rows.size();
  }

  String render() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
    }
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    line(text, headers.toArray(String[]::new), widths);
    for (String[] row : rows) {
      line(text, row, widths);
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append(GAP);
      }
      line.append(cells[i]);
      if (i < cells.length - 1) {
        line.append(" ".repeat(widths[i] - cells[i].length()));
      }
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }

  /** What a cell shows: the text made safe for one line, cut to {@code limit}. */
  static String cell(String text, int limit) {
    if (text == null || text.isEmpty()) {
      return EMPTY;
    }
    String safe = safe(text);
    return safe.length() > limit ? safe.substring(0, limit - CUT.length()) + CUT : safe;
  }

  /** The text with every control character but the line break replaced by {@code ?}. */
  static String safeLines(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints()
        .forEach(c -> safe.appendCodePoint(c != '\n' && Character.isISOControl(c) ? '?' : c));
    return safe.toString();
  }

  /** The text with every control character replaced by {@code ?}. */
  static String safe(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return safe.toString();
  }
}
