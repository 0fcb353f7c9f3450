package dev.ordersaga.messaging.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A text without control characters (U+0000 to U+001F, U+007F to U+009F: the ones {@link
 * Character#isISOControl} names). {@code null} is valid: say {@code @NotNull} where it is required.
 */
@Documented
@Pattern(regexp = "[^\\x00-\\x1F\\x7F-\\x9F]*", message = PlainText.MESSAGE)
@Constraint(validatedBy = {})
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface PlainText {

  String MESSAGE = "must not contain control characters";

  String message() default MESSAGE;

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
