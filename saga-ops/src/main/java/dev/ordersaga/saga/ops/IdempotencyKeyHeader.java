package dev.ordersaga.saga.ops;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents, on an operator action's handler, the optional {@value IdempotencyFilter#HEADER} header
 * that {@link IdempotencyFilter} honours: one declaration for the OpenAPI document of every action.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Parameter(
    name = IdempotencyFilter.HEADER,
    in = ParameterIn.HEADER,
    schema = @Schema(type = "string"),
    description =
        "makes the action safe to repeat: the same key and request answer the first answer")
@interface IdempotencyKeyHeader {}
