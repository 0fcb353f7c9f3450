package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No request body of any service is read past {@code messaging.web.max-body-size} (256 KB): one
 * that declares more is answered 413 problem+json naming {@code body} before it is read; one sent
 * without a length (chunked) is cut off there, and reading it fails (a 4xx). A service may keep a
 * smaller limit of its own (order-service: 64 KB).
 */
public final class RequestBodyLimit extends OncePerRequestFilter {

  private final ObjectMapper json;
  private final long maxBytes;

  public RequestBodyLimit(ObjectMapper json, long maxBytes) {
    this.json = json;
    this.maxBytes = maxBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      Problems.write(
          json,
          request,
          response,
          Problems.refusal(
              HttpStatus.PAYLOAD_TOO_LARGE,
              "body-too-large",
              "Request body too large",
              List.of(new Problems.FieldProblem("body", "must be at most " + maxBytes + " bytes")),
              request),
          Map.of(HttpHeaders.CONNECTION, "close"));
      return;
    }
    chain.doFilter(
        request.getContentLengthLong() < 0 ? new Limited(request, maxBytes) : request, response);
  }

  /** A request whose body stream ends in an error past the limit. */
  private static final class Limited extends HttpServletRequestWrapper {

    private final long maxBytes;
    private ServletInputStream limited;

    Limited(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        ServletInputStream in = super.getInputStream();
        limited =
            new ServletInputStream() {
              private long read;

              @Override
              public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                  count(1);
                }
                return b;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                  count(n);
                }
                return n;
              }

              private void count(int n) throws IOException {
                read += n;
                if (read > maxBytes) {
                  throw new IOException("the request body is larger than " + maxBytes + " bytes");
                }
              }

              @Override
              public boolean isFinished() {
                return in.isFinished();
              }

              @Override
              public boolean isReady() {
                return in.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
              }
            };
      }
      return limited;
    }
  }
}
