package dev.ordersaga.order.placing;

/**
 * One reason a request was refused.
 *
 * @param field where: a JSON path such as {@code items[0].quantity}, {@code body} for the whole
 *     body, or a header name such as {@code Idempotency-Key}
 * @param message what is wrong, for a person to read
 */
public record FieldError(String field, String message) {}
