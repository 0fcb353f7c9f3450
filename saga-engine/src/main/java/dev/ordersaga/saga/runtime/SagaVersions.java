package dev.ordersaga.saga.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.saga.OrderSaga;
import dev.ordersaga.saga.OrderSagaV2;
import dev.ordersaga.saga.SagaStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The versions of the saga's definition this engine runs side by side, and which one a new saga
 * starts on. Every saga records the version that started it ({@link SagaRecord#sagaVersion()}; a
 * saga stored before versions were recorded is {@value #V1}) and finishes on it, whatever new sagas
 * start on: looking its version up costs nothing, it is in the saga's document the step reads
 * anyway. New sagas start on the stable version unless the {@link Router} (the canary) sends one to
 * another.
 */
public final class SagaVersions {

  /** The first version: {@link OrderSaga}, and the version of every saga stored without one. */
  public static final String V1 = "v1";

  /** {@link OrderSagaV2}: declines orders above its amount limit before charging. */
  public static final String V2 = "v2";

  /** Which version a new saga starts on. */
  @FunctionalInterface
  public interface Router {
    /**
     * @return a version name, or {@code null} for the stable version
     */
    String versionFor(String orderId);
  }

  /** Told of every step a saga took, with its version (the canary compares outcomes by it). */
  @FunctionalInterface
  public interface Observer {
    /**
     * @param before the saga's status before the step ({@code null} before its first)
     */
    void stepped(String version, SagaStatus before, SagaStatus after);
  }

  private final Map<String, SagaDefinition<?>> definitions = new LinkedHashMap<>();
  private final String stable;
  private volatile Router router = orderId -> null;
  private volatile Observer observer = (version, before, after) -> {};

  /**
   * @param stable the version new sagas start on unless routed elsewhere
   */
  public SagaVersions(String stable, List<SagaDefinition<?>> deployed) {
    for (SagaDefinition<?> definition : deployed) {
      if (definitions.putIfAbsent(definition.version(), definition) != null) {
        throw new IllegalArgumentException("saga version " + definition.version() + " twice");
      }
    }
    if (!definitions.containsKey(stable)) {
      throw new IllegalArgumentException(
          "the stable saga version " + stable + " is none of " + definitions.keySet());
    }
    this.stable = stable;
  }

  /** The order saga's versions, {@value #V1} and {@value #V2}, with {@code stable} as stable. */
  public static SagaVersions orderSaga(String stable, ObjectMapper sagaJson) {
    return new SagaVersions(
        stable,
        List.of(
            SagaDefinition.of(V1, OrderSaga.class, sagaJson),
            SagaDefinition.of(V2, OrderSagaV2.class, sagaJson)));
  }

  public String stable() {
    return stable;
  }

  /** Every version deployed here, in the order given. */
  public Set<String> versions() {
    return definitions.keySet();
  }

  public Optional<SagaDefinition<?>> find(String version) {
    return Optional.ofNullable(definitions.get(version == null ? V1 : version));
  }

  /**
   * The definition a saga of {@code version} runs on ({@code null}: {@value #V1}).
   *
   * @throws IllegalStateException when this engine does not run that version (the message is
   *     retried, then parked: deploy the version again to finish its sagas)
   */
  public SagaDefinition<?> of(String version) {
    return find(version)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "saga version " + version + " is not deployed in this engine"));
  }

  /** The definition a new saga of {@code orderId} starts on. */
  public SagaDefinition<?> forNewSaga(String orderId) {
    String routed = router.versionFor(orderId);
    return routed == null ? definitions.get(stable) : find(routed).orElse(definitions.get(stable));
  }

  /** From now on, new sagas start where {@code router} says. */
  public void routeBy(Router router) {
    this.router = router;
  }

  /** From now on, {@code observer} is told of every step stored. */
  public void observeBy(Observer observer) {
    this.observer = observer;
  }

  /** A step of a saga was stored (the runtime calls this; it reads nothing). */
  void stepped(SagaRecord before, SagaRecord after) {
    if (after.status() != null) {
      observer.stepped(after.versionName(), before.status(), after.status());
    }
  }
}
