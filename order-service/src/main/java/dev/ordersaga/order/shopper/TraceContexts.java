package dev.ordersaga.order.shopper;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The W3C trace context a shopper's request carries on to the messages it causes: its {@code
 * traceparent} (and {@code tracestate}, when it is printable ASCII of at most 512 characters) when
 * well formed, else a new trace.
 */
final class TraceContexts {

  private static final Pattern TRACEPARENT =
      Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
  private static final int MAX_TRACESTATE = 512;

  private TraceContexts() {}

  static Map<String, String> of(HttpServletRequest request) {
    Map<String, String> trace = new LinkedHashMap<>();
    String traceparent = request.getHeader("traceparent");
    if (traceparent != null && TRACEPARENT.matcher(traceparent).matches()) {
      trace.put("traceparent", traceparent);
      String tracestate = request.getHeader("tracestate");
      if (tracestate != null
          && !tracestate.isBlank()
          && tracestate.length() <= MAX_TRACESTATE
          && tracestate.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
        trace.put("tracestate", tracestate);
      }
    } else {
      trace.put("traceparent", "00-" + randomHex(16) + "-" + randomHex(8) + "-01");
    }
    return trace;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    random[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(random);
  }
}
