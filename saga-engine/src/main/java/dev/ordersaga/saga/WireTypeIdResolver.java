package dev.ordersaga.saga;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.MessageTypes;
import java.util.HashMap;
import java.util.Map;

/**
 * Names a message nested in a stored record (a saga's held reply, an operator's corrected command)
 * by its stable wire type, such as {@code shipping.ScheduleShipment}, never by its Java class.
 */
public final class WireTypeIdResolver extends TypeIdResolverBase {

  private static final Map<String, Class<? extends Message>> BY_NAME = new HashMap<>();

  static {
    for (Class<? extends Message> type : MessageTypes.orderSaga().all()) {
      BY_NAME.put(Envelope.wireTypeOf(type).name(), type);
    }
  }

  @Override
  public String idFromValue(Object value) {
    return idFromValueAndType(value, value.getClass());
  }

  @Override
  public String idFromValueAndType(Object value, Class<?> suggestedType) {
    return Envelope.wireTypeOf(suggestedType).name();
  }

  @Override
  public JavaType typeFromId(DatabindContext context, String id) {
    Class<? extends Message> type = BY_NAME.get(id);
    return type == null ? null : context.constructType(type);
  }

  @Override
  public JsonTypeInfo.Id getMechanism() {
    return JsonTypeInfo.Id.CUSTOM;
  }
}
