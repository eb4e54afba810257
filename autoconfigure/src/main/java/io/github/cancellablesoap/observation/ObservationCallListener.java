package io.github.cancellablesoap.observation;

import io.github.cancellablesoap.client.CallListener;
import io.github.cancellablesoap.client.CallOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each service proxy call a Micrometer {@code soap.client.call} observation,
 * started when the call is admitted and stopped exactly once when its caller is released.
 * Low-cardinality keys: {@code proxy}, {@code operation}, {@code outcome};
 * high-cardinality: {@code call.id}. A cancelled call (abandoned, aborted, timed out) is
 * an event on the observation, not an error; a failed or faulted call records its
 * exception as the error.
 * <p>
 * Thread-safe.
 *
 * @author Cancellable SOAP
 */
public class ObservationCallListener implements CallListener {

	/** The observation's name. */
	public static final String NAME = "soap.client.call";

	private final ObservationRegistry registry;

	public ObservationCallListener(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object callStarted(StartedCall call) {
		if (this.registry.isNoop()) {
			return null;
		}
		return Observation.createNotStarted(NAME, this.registry)
			.contextualName("soap call " + call.proxy())
			.lowCardinalityKeyValue("proxy", call.proxy())
			.highCardinalityKeyValue("call.id", call.callId())
			.start();
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		if (!(state instanceof Observation observation)) {
			return;
		}
		CallOutcome outcome = call.outcome();
		observation.lowCardinalityKeyValue("operation", (call.operation() != null) ? call.operation() : "none");
		observation.lowCardinalityKeyValue("outcome", outcome.name());
		if (outcome.isCancellation()) {
			observation.event(Observation.Event.of("soap.call." + outcome.name().toLowerCase(java.util.Locale.ROOT),
					"call " + call.callId() + " " + outcome.name().toLowerCase(java.util.Locale.ROOT)));
		}
		else if (call.failure() != null) {
			observation.error(call.failure());
		}
		observation.stop();
	}

}
