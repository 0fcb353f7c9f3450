package dev.ordersaga.saga.journal;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.codec.MessageTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Every kind of message a saga's journal can hold: the order saga's contracts ({@link
 * MessageTypes#orderSaga()}) and the saga-internal records (found by their {@link WireType} under
 * {@code dev.ordersaga.saga}, such as {@code saga.StepTimedOut}). The journal stores a payload by
 * its Java class name; analysts filter by wire type, service (the part of the wire type before the
 * dot) and direction, so each is translated here into the class names to look for.
 */
public final class JournalTypes {

  /** Where saga-internal messages live. */
  static final String SAGA_PACKAGE = "dev.ordersaga.saga";

  private final Map<String, Kind> byWireType = new LinkedHashMap<>();
  private final Map<String, Kind> byClassName = new LinkedHashMap<>();

  /** One kind of journal entry. */
  public record Kind(Class<? extends Message> type, String wireType, int revision) {

    /** The participant prefix of the wire type: order, payment, shipping, notification, saga. */
    public String service() {
      return wireType.substring(0, wireType.indexOf('.'));
    }

    /** {@code out} for the commands a saga sends, {@code in} for the events it receives. */
    public Direction direction() {
      return Command.class.isAssignableFrom(type) ? Direction.OUT : Direction.IN;
    }
  }

  public JournalTypes(Collection<Class<? extends Message>> types) {
    for (Class<? extends Message> type : types) {
      boolean command = Command.class.isAssignableFrom(type);
      boolean event = Event.class.isAssignableFrom(type);
      if (command == event) {
        throw new IllegalArgumentException(
            type.getName() + " must be either a Command or an Event to be journaled");
      }
      WireType wireType = Envelope.wireTypeOf(type);
      if (wireType.name().indexOf('.') < 1) {
        throw new IllegalArgumentException(
            "wire type " + wireType.name() + " has no participant prefix");
      }
      Kind kind = new Kind(type, wireType.name(), wireType.revision());
      byWireType.putIfAbsent(kind.wireType(), kind);
      byClassName.put(type.getName(), kind);
    }
  }

  /** The order saga's contracts and every {@code @WireType} record of saga-engine. */
  public static JournalTypes orderSaga() {
    List<Class<? extends Message>> types = new ArrayList<>(MessageTypes.orderSaga().all());
    types.addAll(sagaInternal());
    return new JournalTypes(types);
  }

  /** Messages saga-engine defines itself and records in the journal (deadlines and the like). */
  static List<Class<? extends Message>> sagaInternal() {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(WireType.class));
    ClassLoader loader = JournalTypes.class.getClassLoader();
    return scanner.findCandidateComponents(SAGA_PACKAGE).stream()
        .map(definition -> ClassUtils.resolveClassName(definition.getBeanClassName(), loader))
        .filter(Message.class::isAssignableFrom)
        .map(JournalTypes::asMessage)
        .sorted(Comparator.comparing(Class::getName))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Message> asMessage(Class<?> type) {
    return (Class<? extends Message>) type;
  }

  /** Every kind, in the order of the contracts, then the saga-internal ones. */
  public Collection<Kind> all() {
    return List.copyOf(byClassName.values());
  }

  public Optional<Kind> ofWireType(String wireType) {
    return Optional.ofNullable(byWireType.get(wireType));
  }

  /** The kind of a stored payload type (a Java class name); empty for a class not known here. */
  public Optional<Kind> ofClassName(String className) {
    return Optional.ofNullable(byClassName.get(className));
  }

  /** Every service prefix, sorted. */
  public Set<String> services() {
    return all().stream().map(Kind::service).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every wire type, in the order of {@link #all()}. */
  public Set<String> wireTypes() {
    return new LinkedHashSet<>(byWireType.keySet());
  }
}
