package io.github.cancellablesoap.observation;

import java.util.Map;

import io.github.cancellablesoap.core.InlineListener;
import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallOutcome;
import io.github.cancellablesoap.observation.SoapObservationDocumentation.ClientEvents;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each service proxy call a Micrometer {@code soap.client.call} observation
 * ({@link SoapObservationDocumentation#CLIENT_CALL}), started when the call is admitted
 * and stopped exactly once when its caller is released. A cancelled call (abandoned,
 * aborted, timed out) is an event on the observation, not an error; a failed or faulted
 * call records its exception as the error.
 * <p>
 * With Micrometer Tracing, the call's span gives the trace id shown in the call's
 * {@code CallInfo}, and a propagating handler's headers (W3C {@code traceparent}, B3,
 * ...) are sent with the call's request.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ObservationCallListener implements CallListener, InlineListener {

	/** The observation's name. */
	public static final String NAME = "soap.client.call";

	private final ObservationRegistry registry;

	private final @Nullable SoapClientObservationConvention customConvention;

	/**
	 * Observe calls with the default convention, or one registered on the registry.
	 * @param registry the registry
	 */
	public ObservationCallListener(ObservationRegistry registry) {
		this(registry, null);
	}

	/**
	 * Observe calls with a convention of the application's.
	 * @param registry the registry
	 * @param customConvention the convention that replaces the default one and any
	 * registered on the registry, or {@code null} for those
	 */
	public ObservationCallListener(ObservationRegistry registry,
			@Nullable SoapClientObservationConvention customConvention) {
		this.registry = registry;
		this.customConvention = customConvention;
	}

	@Override
	public @Nullable Object callStarted(StartedCall call) {
		if (this.registry.isNoop()) {
			return null;
		}
		SoapClientObservationContext context = new SoapClientObservationContext(call.proxy(), call.callId());
		return SoapObservationDocumentation.CLIENT_CALL
			.observation(this.customConvention, DefaultSoapClientObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
	}

	@Override
	public @Nullable String traceId(@Nullable Object state) {
		return (state instanceof Observation observation) ? TraceIds.of(observation.getContext()) : null;
	}

	@Override
	public Map<String, String> requestHeaders(@Nullable Object state) {
		if (state instanceof Observation observation
				&& observation.getContext() instanceof SoapClientObservationContext context) {
			return context.getHeaders();
		}
		return Map.of();
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		// stopping runs the application's observation handlers and conventions: never on
		// a timer or detector thread the product shares (no scope is open here)
		ObservationEnd.offProductThreads(() -> ObservationEnd.end(state, (observation) -> {
			if (observation.getContext() instanceof SoapClientObservationContext context) {
				context.setOperation(call.operation());
				context.setOutcome(call.outcome());
			}
		}, cancellationEvent(call.outcome()), call.failure()));
	}

	private static @Nullable ClientEvents cancellationEvent(CallOutcome outcome) {
		return switch (outcome) {
			case ABANDONED -> ClientEvents.ABANDONED;
			case ABORTED -> ClientEvents.ABORTED;
			case TIMED_OUT -> ClientEvents.TIMED_OUT;
			default -> null;
		};
	}

}
