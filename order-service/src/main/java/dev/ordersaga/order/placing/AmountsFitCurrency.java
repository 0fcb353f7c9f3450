package dev.ordersaga.order.placing;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.Optional;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * The amounts of an {@link OrderRequest} against its currency: no unit price has more decimal
 * places than the currency ({@code items[i].unitPrice}: "has more decimal places than EUR allows
 * (2)"), and the lines add up to at most {@value OrderRequest#MAX_TOTAL} ({@code items}). Checked
 * only where the currency is one orders are paid in, and the total only when every line is
 * otherwise valid; the field constraints tell the rest.
 */
@Documented
@Constraint(validatedBy = AmountsFitCurrency.Check.class)
@Target(TYPE)
@Retention(RUNTIME)
public @interface AmountsFitCurrency {

  String message() default "amounts do not fit the currency";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check of {@link AmountsFitCurrency}. */
  final class Check implements ConstraintValidator<AmountsFitCurrency, OrderRequest> {

    private static final BigDecimal MAX_UNIT_PRICE = new BigDecimal(OrderRequest.MAX_UNIT_PRICE);
    private static final BigInteger MAX_QUANTITY = BigInteger.valueOf(OrderRequest.MAX_QUANTITY);
    private static final BigDecimal MAX_TOTAL = new BigDecimal(OrderRequest.MAX_TOTAL);

    @Override
    public boolean isValid(OrderRequest request, ConstraintValidatorContext context) {
      Optional<Currency> payable = CurrencyCode.Check.payable(request.currency());
      if (payable.isEmpty() || request.items() == null) {
        return true;
      }
      Currency currency = payable.get();
      HibernateConstraintValidatorContext hibernate =
          context.unwrap(HibernateConstraintValidatorContext.class);
      hibernate.disableDefaultConstraintViolation();
      hibernate
          .addMessageParameter("currency", currency.getCurrencyCode())
          .addMessageParameter("digits", currency.getDefaultFractionDigits());
      boolean valid = true;
      BigDecimal total = BigDecimal.ZERO;
      boolean complete = true;
      for (int i = 0; i < request.items().size(); i++) {
        OrderRequest.Line line = request.items().get(i);
        BigDecimal price = line == null ? null : line.unitPrice();
        if (price == null
            || price.signum() <= 0
            || price.compareTo(MAX_UNIT_PRICE) > 0
            || line.quantity() == null
            || line.quantity().signum() <= 0
            || line.quantity().compareTo(MAX_QUANTITY) > 0) {
          complete = false;
          continue;
        }
        if (Pricing.decimalPlaces(price) > currency.getDefaultFractionDigits()) {
          valid = false;
          complete = false;
          hibernate
              .buildConstraintViolationWithTemplate(
                  "has more decimal places than {currency} allows ({digits})")
              .addPropertyNode("items")
              .addPropertyNode("unitPrice")
              .inIterable()
              .atIndex(i)
              .addConstraintViolation();
          continue;
        }
        total = total.add(price.multiply(new BigDecimal(line.quantity())));
      }
      if (complete && total.compareTo(MAX_TOTAL) > 0) {
        valid = false;
        hibernate
            .addMessageParameter("total", Pricing.atCurrencyScale(total, currency).toPlainString())
            .buildConstraintViolationWithTemplate(
                "add up to {total} {currency}, more than the maximum order total of "
                    + MAX_TOTAL.toPlainString())
            .addPropertyNode("items")
            .addConstraintViolation();
      }
      return valid;
    }
  }
}
