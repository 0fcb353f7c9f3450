package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rendered table back, for tests: the columns are where the header's names start, so a
 * value read from a row's column also shows the row is aligned with its header.
 */
final class TableText {

  private static final Pattern HEADER = Pattern.compile("\\S+(?: \\S+)*");

  private TableText() {}

  /**
   * The {@code count} rows under the first header line that starts with {@code firstHeader}, each
   * as header name to cell.
   */
  static List<Map<String, String>> rows(String text, String firstHeader, int count) {
    List<String> lines = text.lines().toList();
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(firstHeader + "  ") || lines.get(i).equals(firstHeader)) {
        header = i;
        break;
      }
    }
    assertThat(header)
        .as("a header line starting with " + firstHeader + " in\n" + text)
        .isNotNegative();
    List<String> names = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    Matcher matcher = HEADER.matcher(lines.get(header));
    while (matcher.find()) {
      names.add(matcher.group());
      starts.add(matcher.start());
    }
    assertThat(lines.size()).as("rows under the header in\n" + text).isGreaterThan(header + count);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int r = 1; r <= count; r++) {
      String line = lines.get(header + r);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < names.size(); c++) {
        int start = starts.get(c);
        int end = c + 1 < starts.size() ? starts.get(c + 1) : line.length();
        String cell =
            start >= line.length() ? "" : line.substring(start, Math.min(end, line.length()));
        if (c > 0) {
          assertThat(line.charAt(start - 1))
              .as("column " + names.get(c) + " starts after a space in: " + line)
              .isEqualTo(' ');
        }
        row.put(names.get(c), cell.strip());
      }
      rows.add(row);
    }
    return rows;
  }
}
