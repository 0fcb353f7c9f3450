package dev.ordersaga.messaging.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of the span running on this
 * thread, for a message made now to carry: a reply made in a handler is a child of the handler's
 * span, a command made in a saga step a child of the step's span.
 */
public final class CurrentTrace {

  private CurrentTrace() {}

  /** The current span's context, or {@code otherwise} when no span runs on this thread. */
  public static Map<String, String> orElse(Map<String, String> otherwise) {
    Context context = Context.current();
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return otherwise;
    }
    Map<String, String> trace = new LinkedHashMap<>();
    W3CTraceContextPropagator.getInstance().inject(context, trace, Map::put);
    return trace;
  }
}
