package dev.ordersaga.messaging.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The REST error handler of a service that has none of its own (payment-service, shipping-service,
 * notifier): {@link ApiExceptionHandler} as it is.
 */
@RestControllerAdvice
public class DefaultApiProblems extends ApiExceptionHandler {}
