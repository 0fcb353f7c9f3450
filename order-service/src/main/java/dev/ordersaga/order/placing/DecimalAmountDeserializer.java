package dev.ordersaga.order.placing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * An amount from a JSON number or a plain decimal string ({@code 12.50}, {@code "12.50"}, {@code
 * "-1"}), read exactly, never through a double. A string with an exponent, a sign {@code +}, spaces
 * or no digit before the point ({@code "1e3"}, {@code ".5"}) is refused.
 */
final class DecimalAmountDeserializer extends StdScalarDeserializer<BigDecimal> {

  private static final long serialVersionUID = 1L;

  private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");

  DecimalAmountDeserializer() {
    super(BigDecimal.class);
  }

  @Override
  public BigDecimal deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDecimalValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      if (PLAIN_DECIMAL.matcher(text).matches()) {
        return new BigDecimal(text);
      }
      throw InvalidFormatException.from(
          parser, "not a plain decimal number", text, BigDecimal.class);
    }
    return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
  }
}
