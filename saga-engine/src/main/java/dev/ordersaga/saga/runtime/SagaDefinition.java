package dev.ordersaga.saga.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.annotation.MessageHandlerInterceptorMemberChain;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.SagaCreationPolicy;
import org.axonframework.modelling.saga.SagaMethodMessageHandlingMember;
import org.axonframework.modelling.saga.metamodel.AnnotationSagaMetaModelFactory;
import org.axonframework.modelling.saga.metamodel.SagaModel;

/**
 * One version of the saga's definition: an Axon-annotated saga class under a version name, with
 * what running it needs, found once (its handler model, its interceptors, its resource fields) and
 * how its state is written into the saga's document.
 *
 * @param <T> the annotated saga class
 */
public final class SagaDefinition<T> {

  private final String version;
  private final Class<T> type;
  private final SagaModel<T> model;
  private final MessageHandlerInterceptorMemberChain<T> interceptors;
  private final SagaResources injector;
  private final ObjectMapper json;
  private final Map<Class<?>, Boolean> starting = new ConcurrentHashMap<>();

  private SagaDefinition(String version, Class<T> type, ObjectMapper json) {
    this.version = version;
    this.type = type;
    this.json = json;
    AnnotationSagaMetaModelFactory factory = new AnnotationSagaMetaModelFactory();
    this.model = factory.modelOf(type);
    this.interceptors = factory.chainedInterceptor(type);
    this.injector = new SagaResources(type);
  }

  /**
   * @param json writes and reads the saga's state
   */
  public static <T> SagaDefinition<T> of(String version, Class<T> type, ObjectMapper json) {
    if (version == null || !version.matches("[A-Za-z0-9._-]{1,40}")) {
      throw new IllegalArgumentException("a saga version is 1 to 40 of [A-Za-z0-9._-]: " + version);
    }
    return new SagaDefinition<>(version, type, json);
  }

  public String version() {
    return version;
  }

  public Class<T> type() {
    return type;
  }

  /** A saga of this version before its first message. */
  public T create() {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (InstantiationException
        | IllegalAccessException
        | InvocationTargetException
        | NoSuchMethodException e) {
      throw new IllegalStateException("cannot create a saga " + type.getName(), e);
    }
  }

  /** The saga as its document holds it. */
  public T read(String state) {
    try {
      return json.readValue(state, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read a stored saga of version " + version, e);
    }
  }

  /** The saga's state, for its document. */
  public String write(Object saga) {
    try {
      return json.writeValueAsString(saga);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store saga " + saga, e);
    }
  }

  /**
   * Whether {@code event} starts a saga of this version. The saga's handlers are chosen by the
   * payload's type, so the answer is kept per type.
   */
  public boolean starts(EventMessage<?> event) {
    return starting.computeIfAbsent(event.getPayloadType(), type -> hasStartHandler(event));
  }

  private boolean hasStartHandler(EventMessage<?> event) {
    return model.findHandlerMethods(event).stream()
        .anyMatch(
            handler ->
                handler
                    .unwrap(SagaMethodMessageHandlingMember.class)
                    .map(saga -> saga.getCreationPolicy() != SagaCreationPolicy.NONE)
                    .orElse(false));
  }

  /**
   * Lets the saga handle {@code event} (Axon's {@link AnnotatedSaga}) with {@code resources} in its
   * {@code @Autowired} fields; returns whether the saga is still active after it.
   */
  public boolean handle(
      String orderId, Object saga, List<Object> resources, EventMessage<?> event) {
    T typed = type.cast(saga);
    injector.inject(typed, resources);
    AnnotatedSaga<T> annotated =
        new AnnotatedSaga<>(
            orderId, Set.of(new AssociationValue("orderId", orderId)), typed, model, interceptors);
    annotated.handle(event);
    return annotated.isActive();
  }

  @Override
  public String toString() {
    return version + " (" + type.getSimpleName() + ")";
  }
}
