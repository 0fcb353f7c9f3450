package dev.ordersaga.messaging.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as every service answers them: {@code application/problem+json} like its other
 * errors, and for 401 the {@code WWW-Authenticate: Basic} challenge naming the service, except to a
 * script's call ({@code X-Requested-With: XMLHttpRequest}, as the operator console sends): a
 * challenge would make the browser open its own login prompt over the page's.
 */
public final class SecurityProblems {

  /** The problem type prefix of every service. */
  public static final String TYPE_PREFIX = "urn:order-saga:problem:";

  private SecurityProblems() {}

  /** No or wrong credentials: 401 {@code unauthorized} with a Basic challenge for the realm. */
  public static AuthenticationEntryPoint unauthorized(
      String realm, String detail, ObjectMapper json) {
    return (request, response, failure) -> {
      if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
        response.setHeader(
            HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
      }
      write(
          json,
          response,
          Problems.problem(
              HttpStatus.UNAUTHORIZED,
              TYPE_PREFIX,
              "unauthorized",
              "Sign-in required",
              detail,
              request));
    };
  }

  /** Signed in, but the account may not do this: 403 {@code forbidden}. */
  public static AccessDeniedHandler forbidden(String detail, ObjectMapper json) {
    return (request, response, denied) ->
        write(
            json,
            response,
            Problems.problem(
                HttpStatus.FORBIDDEN, TYPE_PREFIX, "forbidden", "Forbidden", detail, request));
  }

  private static void write(ObjectMapper json, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
