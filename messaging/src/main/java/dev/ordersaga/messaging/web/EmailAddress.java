package dev.ordersaga.messaging.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * An e-mail address a notice can be sent to, as {@link RequestValues#isEmail} judges it (Apache
 * Commons Validator, a dot-atom local part, a domain name). Stricter than {@code @Email}, which
 * takes {@code name@localhost} and quoted local parts. {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = EmailAddress.Check.class)
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface EmailAddress {

  String message() default
      "must be an e-mail address such as name@example.com (no display name, quotes or address"
          + " literal)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check of {@link EmailAddress}. */
  final class Check implements ConstraintValidator<EmailAddress, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || RequestValues.isEmail(value);
    }
  }
}
