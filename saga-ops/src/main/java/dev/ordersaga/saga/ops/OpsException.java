package dev.ordersaga.saga.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A request the operator API answers with a problem: bad input, no such saga, a refusal. */
public class OpsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String title;
  private final transient Map<String, Object> properties;

  OpsException(HttpStatus status, String title, String detail, Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.title = title;
    this.properties = new LinkedHashMap<>(properties);
  }

  /** Bad input: 400, naming the field (a body field path, a query parameter, or a path part). */
  static OpsException badRequest(String field, String detail) {
    return new OpsException(
        HttpStatus.BAD_REQUEST, "Invalid request", field + ": " + detail, Map.of("field", field));
  }

  static OpsException notFound(String detail) {
    return new OpsException(HttpStatus.NOT_FOUND, "Not found", detail, Map.of());
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
