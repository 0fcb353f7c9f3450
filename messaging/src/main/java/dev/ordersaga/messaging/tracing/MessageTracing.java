package dev.ordersaga.messaging.tracing;

import dev.ordersaga.messaging.Envelope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Spans for messages (Micrometer Tracing; on OpenTelemetry in the apps): a producer span for each
 * publish, a consumer span around each handler, and spans for work done later on behalf of a
 * message (a notice sent, a timer fired). The W3C trace context travels in each message's AMQP
 * headers ({@code traceparent}, {@code tracestate}, the publish span's) and in the envelope's
 * {@code trace} (the context of the step that made the message, kept with the message wherever it
 * is stored, so a re-send or a later piece of work joins the same trace).
 *
 * <p>{@link #NONE} records nothing: publishing and consuming work the same without a tracer.
 */
public final class MessageTracing {

  /** Records nothing. */
  public static final MessageTracing NONE = new MessageTracing(Tracer.NOOP, Propagator.NOOP);

  private static final Propagator.Getter<Map<String, ?>> MAP_GETTER =
      (carrier, key) -> {
        Object value = carrier.get(key);
        return value == null ? null : value.toString(); // AMQP header values are LongStrings
      };

  private final Tracer tracer;
  private final Propagator propagator;

  public MessageTracing(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /**
   * Starts the producer span of one publish, a child of the envelope's trace context, and writes
   * the span's context into the message's headers. The caller ends it once the message is handed to
   * the broker.
   */
  public Span startPublish(Envelope<?> envelope, String exchange, Map<String, Object> headers) {
    Span span =
        propagator
            .extract(envelope.trace(), MAP_GETTER)
            .kind(Span.Kind.PRODUCER)
            .name("publish " + envelope.type())
            .remoteServiceName("rabbitmq")
            .tag("messaging.system", "rabbitmq")
            .tag("messaging.destination.name", exchange)
            .tag("messaging.message.id", envelope.messageId())
            .tag("saga.id", envelope.sagaId())
            .start();
    propagator.inject(span.context(), headers, Map::put);
    return span;
  }

  /**
   * Runs a handler in a consumer span: a child of the publish span whose context the message's AMQP
   * headers carry, or else of the envelope's own trace context.
   */
  public <E extends Exception> void consume(
      Envelope<?> envelope, String queue, Map<String, Object> amqpHeaders, Work<E> work) throws E {
    Map<String, ?> carrier =
        amqpHeaders != null && amqpHeaders.get("traceparent") != null
            ? amqpHeaders
            : envelope.trace();
    Span span =
        propagator
            .extract(carrier, MAP_GETTER)
            .kind(Span.Kind.CONSUMER)
            .name("consume " + envelope.type())
            .remoteServiceName("rabbitmq")
            .tag("messaging.system", "rabbitmq")
            .tag("messaging.destination.name", queue)
            .tag("messaging.message.id", envelope.messageId())
            .tag("saga.id", envelope.sagaId())
            .start();
    run(span, work);
  }

  /**
   * Runs work in a span of its own: a child of the current span, or, when there is none, of the
   * given trace context (what a stored message or notice carries), or a new trace.
   *
   * @param parent a W3C trace context ({@code traceparent}, {@code tracestate}); may be empty
   */
  public <T> T inSpan(
      String name, Map<String, String> parent, Map<String, String> tags, Supplier<T> work) {
    Span.Builder builder =
        tracer.currentSpan() != null
            ? tracer.spanBuilder().setParent(tracer.currentSpan().context())
            : propagator.extract(parent, MAP_GETTER);
    builder.name(name);
    tags.forEach(builder::tag);
    Span span = builder.start();
    Object[] result = new Object[1];
    run(span, () -> result[0] = work.get());
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }

  private <E extends Exception> void run(Span span, Work<E> work) throws E {
    Tracer.SpanInScope scope = tracer.withSpan(span);
    try {
      work.run();
    } catch (Exception | Error e) {
      span.error(e);
      throw e;
    } finally {
      scope.close();
      span.end();
    }
  }

  /** Work that may throw. */
  @FunctionalInterface
  public interface Work<E extends Exception> {
    void run() throws E;
  }
}
