package dev.ordersaga.saga.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Gives a saga its resources: each {@code @Autowired} field gets the first resource of its type, as
 * Axon's resource injectors do. The fields are found once per saga class (Axon's injector looks
 * them up, with every method's annotations, on every injection: a tenth of a step's CPU).
 */
final class SagaResources {

  private final List<Field> fields = new ArrayList<>();

  SagaResources(Class<?> sagaType) {
    for (Class<?> type = sagaType; type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (field.isAnnotationPresent(Autowired.class)
            && !Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          fields.add(field);
        }
      }
    }
  }

  /** Sets every resource field of {@code saga} from {@code resources}; others stay as they are. */
  void inject(Object saga, List<Object> resources) {
    for (Field field : fields) {
      for (Object resource : resources) {
        if (field.getType().isInstance(resource)) {
          try {
            field.set(saga, resource);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + field, e);
          }
          break;
        }
      }
    }
  }
}
