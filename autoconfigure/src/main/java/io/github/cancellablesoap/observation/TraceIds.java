package io.github.cancellablesoap.observation;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Reads the trace id of an observation's span, which Micrometer Tracing's handlers keep
 * in the observation's context. Micrometer Tracing is optional: without it on the class
 * path every observation has no trace id, and its classes are never loaded.
 * <p>
 * Stateless and thread-safe.
 */
final class TraceIds {

	private static final boolean TRACING_PRESENT = ClassUtils
		.isPresent("io.micrometer.tracing.handler.TracingObservationHandler", TraceIds.class.getClassLoader());

	private TraceIds() {
	}

	/**
	 * The trace id of the span that a tracing handler started for an observation.
	 * @param context the observation's context
	 * @return the trace id, or {@code null} when no tracing handler handled it
	 */
	static @Nullable String of(Observation.Context context) {
		return TRACING_PRESENT ? Tracing.traceId(context) : null;
	}

	/**
	 * The part that touches Micrometer Tracing, loaded only when it is present.
	 */
	private static final class Tracing {

		static @Nullable String traceId(Observation.Context context) {
			TracingObservationHandler.TracingContext tracing = context
				.get(TracingObservationHandler.TracingContext.class);
			Span span = (tracing != null) ? tracing.getSpan() : null;
			if (span == null || span.isNoop()) {
				return null;
			}
			String traceId = span.context().traceId();
			return (traceId == null || traceId.isEmpty()) ? null : traceId;
		}

	}

}
