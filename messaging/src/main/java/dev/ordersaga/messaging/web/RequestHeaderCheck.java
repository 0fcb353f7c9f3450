package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of every service: a request with a header whose name or value holds a control
 * character (bytes 0x00-0x1F, 0x7F, 0x80-0x9F as Tomcat reads them: {@code ключ} sent raw as UTF-8
 * has some) or an unassigned character is answered 400 problem+json naming the header. These are
 * the headers Spring Security's firewall refuses, but it refuses them only when the application
 * first reads the header (a 500 from deep inside a controller); here they are refused before
 * anything reads them.
 */
public final class RequestHeaderCheck extends OncePerRequestFilter {

  private final ObjectMapper json;

  public RequestHeaderCheck(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Problems.FieldProblem> problem = problem(request);
    if (problem.isPresent()) {
      Problems.write(
          json,
          request,
          response,
          Problems.refusal(
              HttpStatus.BAD_REQUEST,
              "invalid-header",
              "Invalid request header",
              List.of(problem.get()),
              request),
          Map.of());
      return;
    }
    chain.doFilter(request, response);
  }

  /** The first header that is refused, if any. */
  static Optional<Problems.FieldProblem> problem(HttpServletRequest request) {
    for (String name : Collections.list(request.getHeaderNames())) {
      if (!allowed(name)) {
        return Optional.of(
            new Problems.FieldProblem(
                LogSafe.text(name),
                "is not an allowed header name (control or non-ASCII characters)"));
      }
      for (String value : Collections.list(request.getHeaders(name))) {
        if (!allowed(value)) {
          return Optional.of(
              new Problems.FieldProblem(
                  canonical(name),
                  "holds a control character or raw non-ASCII bytes; send visible ASCII (or"
                      + " percent-encode it)"));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A header name as the APIs document it ({@code Idempotency-Key}, {@code Content-Type}; the W3C
   * trace headers in lower case), whatever case it was sent in.
   */
  static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("traceparent") || lower.equals("tracestate")) {
      return lower;
    }
    StringBuilder canonical = new StringBuilder(lower.length());
    boolean start = true;
    for (char c : lower.toCharArray()) {
      canonical.append(start ? Character.toUpperCase(c) : c);
      start = c == '-';
    }
    return canonical.toString();
  }

  /** What the firewall allows: assigned characters that are not controls. */
  private static boolean allowed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || !Character.isDefined(c)) {
        return false;
      }
    }
    return true;
  }
}
