package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.core.OperationNames;
import io.github.cancellablesoap.server.OperationListener;
import io.github.cancellablesoap.server.OperationOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each service host operation a Micrometer {@code soap.server.operation}
 * observation, started when the operation is admitted and stopped exactly once when it
 * ends. Low-cardinality keys: {@code host}, {@code operation.name} (Spring WS's key;
 * {@code none} when no served endpoint was found), {@code outcome}, {@code cancel.reason}
 * ({@code none} unless cancelled); high-cardinality: {@code operation.id} and, when the
 * caller sent one, {@code call.id} (the caller's call id, the key the proxies'
 * {@code soap.client.call} observation uses). A cancellation is an event
 * ({@code soap.server.operation.cancelled}) on the observation, not an error; a failure
 * or fault records its exception, when one is known, as the error. Refused requests are
 * not observed (they are counted by {@link MeterOperationListener}).
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ObservationOperationListener implements OperationListener {

	/** The observation's name. */
	public static final String NAME = "soap.server.operation";

	/** The name of the event of a cancellation. */
	public static final String CANCELLED_EVENT = NAME + ".cancelled";

	private static final String NONE = "none";

	private final ObservationRegistry registry;

	public ObservationOperationListener(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object operationStarted(StartedOperation operation) {
		if (this.registry.isNoop()) {
			return null;
		}
		Observation observation = Observation.createNotStarted(NAME, this.registry)
			.contextualName("soap operation " + operation.host())
			.lowCardinalityKeyValue("host", operation.host())
			.highCardinalityKeyValue("operation.id", operation.operationId());
		if (operation.callerCallId() != null) {
			observation.highCardinalityKeyValue("call.id", operation.callerCallId());
		}
		return observation.start();
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		OperationOutcome outcome = operation.outcome();
		ObservationEnd.end(state,
				(observation) -> observation
					.lowCardinalityKeyValue(OperationNames.OBSERVATION_KEY,
							(operation.operation() != null) ? operation.operation() : NONE)
					.lowCardinalityKeyValue("outcome", outcome.name())
					.lowCardinalityKeyValue("cancel.reason",
							(operation.cancelReason() != null) ? operation.cancelReason().name() : NONE),
				(outcome != OperationOutcome.CANCELLED) ? null
						: Observation.Event.of(CANCELLED_EVENT,
								"operation " + operation.operationId() + " cancelled: " + operation.cancelReason()),
				operation.failure());
	}

}
