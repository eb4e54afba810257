package io.github.cancellablesoap.server;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.observation.ObservationOperationListener;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A composite isolates its listeners at every hook: one that throws is skipped, and the
 * listeners after it (an observation that must be stopped, a recorder) still hear every
 * event of a host.
 */
class CompositeOperationListenerTests {

	private final CancellationTimer timer = new CancellationTimer("composite-test");

	private final CallbackExecutor callbacks = new CallbackExecutor(2);

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final Queue<String> heard = new ConcurrentLinkedQueue<>();

	@AfterEach
	void stop() {
		this.callbacks.close();
		this.timer.shutdown();
	}

	@Test
	void aListenerThatThrowsAtEveryHookLeavesTheOthersHearingEveryEvent() {
		DefaultServiceHost host = new DefaultServiceHost(
				ServiceHostSettings.of("orders", "/orders").withMaxReceivingRequests(1), this.timer, this.callbacks);
		host.setOperationListener(CompositeOperationListener.of(List.of(new ThrowingOperationListener(),
				new ObservationOperationListener(this.observations), new Recording(this.heard))));

		assertThat(host.admit("a", null, null).operation()).isNull();
		host.open();
		Operation operation = host.admit("a", null, null).operation();
		assertThat(operation).isNotNull();
		assertThat(host.admit("a", null, null).operation()).isNull();
		assertThat(host.cancel(operation.operationId(), "test")).isTrue();
		host.finish(operation);
		assertThat(host.abort("test")).isTrue();

		assertThat(this.heard).containsExactly("rejected:host-not-open", "started", "rejected:over-capacity",
				"aborted:operation", "ended:CANCELLED:state", "aborted:host");
		TestObservationRegistryAssert.assertThat(this.observations)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasNumberOfObservationsWithNameEqualTo(ObservationOperationListener.NAME, 1)
			.hasObservationWithNameEqualTo(ObservationOperationListener.NAME)
			.that()
			.hasBeenStarted()
			.hasBeenStopped();
	}

	@Test
	void aListenerWhoseStartThrewNeverHearsTheEndOfThatOperation() {
		DefaultServiceHost host = new DefaultServiceHost(ServiceHostSettings.of("orders", "/orders"), this.timer,
				this.callbacks);
		Queue<String> failedStart = new ConcurrentLinkedQueue<>();
		host.setOperationListener(CompositeOperationListener.of(List.of(new Recording(failedStart) {

			@Override
			public Object operationStarted(StartedOperation operation) {
				super.operationStarted(operation);
				throw new IllegalStateException("listener bug");
			}

		}, new Recording(this.heard))));
		host.open();
		Operation operation = host.admit("a", null, null).operation();
		assertThat(operation).isNotNull();
		host.finish(operation);

		assertThat(failedStart).containsExactly("started");
		assertThat(this.heard).containsExactly("started", "ended:FAILED:state");
	}

	/**
	 * Records what it hears, and whether it got its own state back.
	 */
	private static class Recording implements OperationListener {

		private final Queue<String> heard;

		Recording(Queue<String> heard) {
			this.heard = heard;
		}

		@Override
		public void operationRejected(Rejection rejection) {
			this.heard.add("rejected:" + rejection.reason());
		}

		@Override
		public Object operationStarted(StartedOperation operation) {
			this.heard.add("started");
			return "state";
		}

		@Override
		public void operationEnded(EndedOperation operation, @Nullable Object state) {
			this.heard.add("ended:" + operation.outcome() + ":" + state);
		}

		@Override
		public void aborted(AbortEvent event) {
			this.heard.add("aborted:" + event.target());
		}

	}

}
