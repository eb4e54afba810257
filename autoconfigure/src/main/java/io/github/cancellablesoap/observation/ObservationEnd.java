package io.github.cancellablesoap.observation;

import java.util.function.Consumer;

import io.github.cancellablesoap.core.ProductThreads;
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
	 * End the observation a listener started, if it started one.
	 * @param state what the listener's start returned: the observation, or {@code null}
	 * when none was started (a no-op registry)
	 * @param describe adds what is known only at the end (outcome, operation, ...)
	 * @param cancellation the event of the cancellation that ended it, or {@code null}
	 * @param failure what failed, or {@code null}
	 */
	static void end(@Nullable Object state, Consumer<Observation> describe, Observation.@Nullable Event cancellation,
			@Nullable Throwable failure) {
		if (!(state instanceof Observation observation)) {
			return;
		}
		describe.accept(observation);
		if (cancellation != null) {
			observation.event(cancellation);
		}
		else if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

	/**
	 * Run an observation's end at once, or, on a product thread, on an application
	 * thread: stopping an observation runs the application's handlers, filters and
	 * conventions, which must never hold a thread the product shares.
	 * @param end the end
	 */
	static void offProductThreads(Runnable end) {
		if (ProductThreads.isCurrent()) {
			ProductThreads.application().execute(end);
		}
		else {
			end.run();
		}
	}

}
