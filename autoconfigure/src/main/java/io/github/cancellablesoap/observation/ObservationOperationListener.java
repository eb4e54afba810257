package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.core.InlineListener;
import io.github.cancellablesoap.observation.SoapObservationDocumentation.ServerEvents;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.OperationOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each service host operation a Micrometer {@code soap.server.operation}
 * observation ({@link SoapObservationDocumentation#SERVER_OPERATION}), started when the
 * operation is admitted and stopped exactly once when it ends, and current on the serving
 * thread while the endpoint runs. A cancellation is an event
 * ({@code soap.server.operation.cancelled}) on the observation, not an error; a failure
 * or fault records its exception, when one is known, as the error. Refused requests are
 * not observed (they are counted by {@link MeterOperationListener}).
 * <p>
 * With Micrometer Tracing, a propagating handler continues the caller's trace from the
 * request's headers (W3C {@code traceparent}, B3, ... as the caller sent; a request
 * without them starts a new trace), and because the observation is current while the
 * endpoint runs, the calls its proxies make are child spans of the operation's span.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ObservationOperationListener implements OperationListener, InlineListener {

	/** The observation's name. */
	public static final String NAME = "soap.server.operation";

	/** The name of the event of a cancellation. */
	public static final String CANCELLED_EVENT = "soap.server.operation.cancelled";

	private final ObservationRegistry registry;

	private final @Nullable SoapServerObservationConvention customConvention;

	/**
	 * Observe operations with the default convention, or one registered on the registry.
	 * @param registry the registry
	 */
	public ObservationOperationListener(ObservationRegistry registry) {
		this(registry, null);
	}

	/**
	 * Observe operations with a convention of the application's.
	 * @param registry the registry
	 * @param customConvention the convention that replaces the default one and any
	 * registered on the registry, or {@code null} for those
	 */
	public ObservationOperationListener(ObservationRegistry registry,
			@Nullable SoapServerObservationConvention customConvention) {
		this.registry = registry;
		this.customConvention = customConvention;
	}

	@Override
	public @Nullable Object operationStarted(StartedOperation operation) {
		if (this.registry.isNoop()) {
			return null;
		}
		SoapServerObservationContext context = new SoapServerObservationContext(operation);
		Observation observation = SoapObservationDocumentation.SERVER_OPERATION
			.observation(this.customConvention, DefaultSoapServerObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		context.forgetRequestHeaders();
		return observation;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Opens the operation's observation scope, closed by the host on the same thread.
	 */
	@Override
	public ServingScope operationServing(@Nullable Object state) {
		if (!(state instanceof Observation observation)) {
			return ServingScope.NONE;
		}
		Observation.Scope scope = observation.openScope();
		return scope::close;
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		OperationOutcome outcome = operation.outcome();
		// stopping runs the application's observation handlers: never on a product thread
		ObservationEnd.offProductThreads(() -> ObservationEnd.end(state, (observation) -> {
			if (observation.getContext() instanceof SoapServerObservationContext context) {
				context.setOperation(operation.operation());
				context.setOutcome(outcome);
				context.setCancelReason(operation.cancelReason());
			}
		}, (outcome != OperationOutcome.CANCELLED) ? null
				: ServerEvents.CANCELLED.format(operation.operationId(), operation.cancelReason()),
				operation.failure()));
	}

}
