package dev.ordersaga.saga.ops;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * An operator's reason, kept in the audit log: at most {@value #MAX} characters, no control
 * characters but line breaks and tabs (the console's reason is a text area). {@code null} is valid:
 * say {@code @NotNull @NotBlank} where a reason is required.
 */
@Documented
@Size(max = ReasonText.MAX, message = "is longer than " + ReasonText.MAX + " characters")
@Pattern(
    regexp = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*",
    message = "must not contain control characters other than line breaks and tabs")
@Constraint(validatedBy = {})
@Target({FIELD, PARAMETER, RECORD_COMPONENT})
@Retention(RUNTIME)
@interface ReasonText {

  int MAX = 500;

  String message() default "";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
