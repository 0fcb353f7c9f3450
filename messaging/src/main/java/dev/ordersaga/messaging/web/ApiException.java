package dev.ordersaga.messaging.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request an API answers with a problem other than bad input (that is {@link
 * BadRequestException}): no such thing (404), a refusal or a conflict (409). {@link
 * ApiExceptionHandler} answers it as {@code application/problem+json} typed {@code
 * urn:order-saga:problem:<title in kebab case>}, with the given extra properties.
 */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String title;
  private final transient Map<String, Object> properties;

  public ApiException(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.title = title;
    this.properties = new LinkedHashMap<>(properties);
  }

  /** 404 titled {@code Not found}. */
  public static ApiException notFound(String detail) {
    return new ApiException(HttpStatus.NOT_FOUND, "Not found", detail, Map.of());
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The problem's type after {@link Problems#TYPE_PREFIX}: the title in kebab case. */
  public String type() {
    return typeOf(title);
  }

  /** A title in kebab case, the problem type of {@code title}. */
  public static String typeOf(String title) {
    return title.toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
