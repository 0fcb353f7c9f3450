package dev.ordersaga.order.placing;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Currency;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * A currency an order can be paid in: an ISO 4217 code in capitals ({@code EUR}) of a currency with
 * a minor unit ({@code XXX} and {@code XAU} have none and are refused, naming the code). {@code
 * null} is valid.
 */
@Documented
@Constraint(validatedBy = CurrencyCode.Check.class)
@Target({FIELD, PARAMETER, RECORD_COMPONENT})
@Retention(RUNTIME)
public @interface CurrencyCode {

  String message() default "must be an ISO 4217 currency code such as EUR, USD or KRW";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check of {@link CurrencyCode}. */
  final class Check implements ConstraintValidator<CurrencyCode, String> {

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      Optional<Currency> currency = iso(value);
      if (currency.isEmpty()) {
        return false;
      }
      if (currency.get().getDefaultFractionDigits() < 0) {
        context.disableDefaultConstraintViolation();
        context
            .unwrap(HibernateConstraintValidatorContext.class)
            .addMessageParameter("code", value)
            .buildConstraintViolationWithTemplate("{code} is not a currency orders can be paid in")
            .addConstraintViolation();
        return false;
      }
      return true;
    }

    /** The currency of a code this constraint takes, if it is one. */
    static Optional<Currency> payable(String code) {
      return iso(code).filter(currency -> currency.getDefaultFractionDigits() >= 0);
    }

    private static Optional<Currency> iso(String code) {
      if (code == null || !CODE.matcher(code).matches()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Currency.getInstance(code));
      } catch (IllegalArgumentException unknown) {
        return Optional.empty();
      }
    }
  }
}
