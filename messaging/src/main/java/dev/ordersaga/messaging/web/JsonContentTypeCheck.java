package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request body of every service is JSON: a {@code POST}, {@code PUT} or {@code PATCH} that
 * has a body ({@code Content-Length} above 0, or a {@code Transfer-Encoding}) must say {@code
 * Content-Type: application/json}, with no charset or UTF-8 ({@link
 * JsonBodies#contentTypeProblem}); anything else is answered 415 problem+json naming {@code
 * Content-Type}, with {@code Accept-Post: application/json}. Runs after Spring Security, so a
 * stranger still gets 401 first.
 */
public final class JsonContentTypeCheck extends OncePerRequestFilter {

  private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

  private final ObjectMapper json;

  public JsonContentTypeCheck(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean hasBody =
        request.getContentLengthLong() > 0
            || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    if (hasBody && WITH_BODY.contains(request.getMethod())) {
      Optional<String> problem = JsonBodies.contentTypeProblem(request.getContentType());
      if (problem.isPresent()) {
        Problems.write(
            json,
            request,
            response,
            Problems.refusal(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                List.of(new Problems.FieldProblem(HttpHeaders.CONTENT_TYPE, problem.get())),
                request),
            Map.of("Accept-Post", JsonBodies.CONTENT_TYPE));
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
