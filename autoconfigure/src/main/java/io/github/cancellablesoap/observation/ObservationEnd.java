package io.github.cancellablesoap.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * How the observation of a call or an operation ends, the rule both sides share: a
 * cancellation is an event, not an error; otherwise a failure, when one is known, is the
 * error; then the observation is stopped, once.
 * <p>
 * Thread-safe: stateless; each observation is ended by the one thread that ends its call
 * or operation.
 *
 * @author Cancellable SOAP
 */
final class ObservationEnd {

	private ObservationEnd() {
	}

	/**
	 * End an observation.
	 * @param observation the observation
	 * @param cancellation the event of the cancellation that ended it, or {@code null}
	 * @param failure what failed, or {@code null}
	 */
	static void end(Observation observation, Observation.@Nullable Event cancellation, @Nullable Throwable failure) {
		if (cancellation != null) {
			observation.event(cancellation);
		}
		else if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

}
