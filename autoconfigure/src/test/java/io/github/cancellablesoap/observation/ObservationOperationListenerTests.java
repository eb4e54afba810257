package io.github.cancellablesoap.observation;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationListener.EndedOperation;
import io.github.cancellablesoap.server.OperationListener.ServingScope;
import io.github.cancellablesoap.server.OperationListener.StartedOperation;
import io.github.cancellablesoap.server.OperationOutcome;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.Kind;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code soap.server.operation} observation as {@link ObservationOperationListener}
 * makes it: a server-kind receiver context whose getter reads the request's headers while
 * the observation starts, current on the serving thread inside its scope, stopped once
 * with its keys, a cancellation as an event and not an error.
 */
class ObservationOperationListenerTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final Queue<String> extracted = new ConcurrentLinkedQueue<>();

	private final ObservationOperationListener listener = new ObservationOperationListener(this.registry);

	ObservationOperationListenerTests() {
		// what a propagating tracing handler does when the observation starts
		this.registry.observationConfig().observationHandler(new ObservationHandler<SoapServerObservationContext>() {

			@Override
			public void onStart(SoapServerObservationContext context) {
				String traceparent = context.getGetter().get(context.getCarrier(), "traceparent");
				ObservationOperationListenerTests.this.extracted.add(String.valueOf(traceparent));
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof SoapServerObservationContext;
			}

		});
	}

	@Test
	void theObservationIsAServerReceiverThatReadsTheRequestHeadersOnlyWhileItStarts() {
		Map<String, String> headers = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		Object state = this.listener.operationStarted(new StartedOperation("orders", "o-1", "c-9", headers::get));
		assertThat(this.extracted).containsExactly(headers.get("traceparent"));
		assertThat(state).isInstanceOfSatisfying(Observation.class, (observation) -> {
			SoapServerObservationContext context = (SoapServerObservationContext) observation.getContext();
			assertThat(context.getKind()).isEqualTo(Kind.SERVER);
			assertThat(context.getGetter().get(context.getCarrier(), "traceparent")).isNull();
			assertThat(context.getCarrier().operationId()).isEqualTo("o-1");
		});
		this.listener.operationEnded(ended(OperationOutcome.COMPLETED, null, null), state);
		TestObservationRegistryAssert.assertThat(this.registry)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasSingleObservationThat()
			.hasNameEqualTo(ObservationOperationListener.NAME)
			.hasContextualNameEqualTo("soap operation orders PlaceOrder")
			.hasLowCardinalityKeyValue("host", "orders")
			.hasLowCardinalityKeyValue("operation.name", "PlaceOrder")
			.hasLowCardinalityKeyValue("outcome", "COMPLETED")
			.hasLowCardinalityKeyValue("cancel.reason", "none")
			.hasHighCardinalityKeyValue("operation.id", "o-1")
			.hasHighCardinalityKeyValue("call.id", "c-9")
			.hasBeenStopped()
			.doesNotHaveError();
	}

	@Test
	void theObservationIsCurrentInsideItsServingScopeOnly() {
		Object state = this.listener.operationStarted(new StartedOperation("orders", "o-1", null));
		assertThat(this.registry.getCurrentObservation()).isNull();
		try (ServingScope scope = this.listener.operationServing(state)) {
			assertThat(this.registry.getCurrentObservation()).isSameAs(state);
			Observation child = Observation.start("downstream", this.registry);
			assertThat(child.getContext().getParentObservation()).isSameAs(state);
			child.stop();
		}
		assertThat(this.registry.getCurrentObservation()).isNull();
		this.listener.operationEnded(ended(OperationOutcome.COMPLETED, null, null), state);
		TestObservationRegistryAssert.assertThat(this.registry)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasNumberOfObservationsWithNameEqualTo(ObservationOperationListener.NAME, 1)
			.hasObservationWithNameEqualTo(ObservationOperationListener.NAME)
			.that()
			.doesNotHaveHighCardinalityKeyValueWithKey("call.id");
	}

	@Test
	void aCancellationIsAnEventWithItsReasonAndNotAnError() {
		Object state = this.listener.operationStarted(new StartedOperation("orders", "o-1", null));
		this.listener.operationEnded(
				ended(OperationOutcome.CANCELLED, CancelReason.OPERATOR, new IllegalStateException("interrupted")),
				state);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "CANCELLED")
			.hasLowCardinalityKeyValue("cancel.reason", "OPERATOR")
			.hasEvent(ObservationOperationListener.CANCELLED_EVENT, "operation o-1 cancelled: OPERATOR")
			.doesNotHaveError()
			.hasBeenStopped();
	}

	@Test
	void aFailureIsTheObservationsError() {
		IllegalStateException failure = new IllegalStateException("endpoint bug");
		Object state = this.listener.operationStarted(new StartedOperation("orders", "o-1", null));
		this.listener.operationEnded(ended(OperationOutcome.FAILED, null, failure), state);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "FAILED")
			.hasError(failure);
	}

	@Test
	void anApplicationsConventionReplacesTheDefault() {
		ObservationOperationListener renaming = new ObservationOperationListener(this.registry,
				new DefaultSoapServerObservationConvention() {

					@Override
					public String getName() {
						return "my.operation";
					}

					@Override
					public KeyValues getLowCardinalityKeyValues(SoapServerObservationContext context) {
						return super.getLowCardinalityKeyValues(context).and("team", "billing");
					}

				});
		Object state = renaming.operationStarted(new StartedOperation("orders", "o-1", null));
		renaming.operationEnded(ended(OperationOutcome.COMPLETED, null, null), state);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasSingleObservationThat()
			.hasNameEqualTo("my.operation")
			.hasLowCardinalityKeyValue("team", "billing")
			.hasLowCardinalityKeyValue("outcome", "COMPLETED");
	}

	@Test
	void withANoopRegistryNothingIsObservedAndTheScopeIsEmpty() {
		ObservationOperationListener noop = new ObservationOperationListener(ObservationRegistry.NOOP);
		Object state = noop.operationStarted(new StartedOperation("orders", "o-1", null));
		assertThat(state).isNull();
		assertThat(noop.operationServing(state)).isSameAs(ServingScope.NONE);
		noop.operationEnded(ended(OperationOutcome.COMPLETED, null, null), state);
	}

	@Test
	void theDocumentationListsTheKeysTheDefaultConventionsWrite() {
		assertThat(List.of(SoapObservationDocumentation.SERVER_OPERATION.getLowCardinalityKeyNames()))
			.extracting((key) -> key.asString())
			.containsExactly("host", "operation.name", "outcome", "cancel.reason");
		assertThat(List.of(SoapObservationDocumentation.SERVER_OPERATION.getHighCardinalityKeyNames()))
			.extracting((key) -> key.asString())
			.containsExactly("operation.id", "call.id");
		assertThat(SoapObservationDocumentation.ServerEvents.CANCELLED.getName())
			.isEqualTo(ObservationOperationListener.CANCELLED_EVENT);
		// the keys a call and the operation serving it share are one and the same
		assertThat(List.of(SoapObservationDocumentation.CLIENT_CALL.getLowCardinalityKeyNames()))
			.extracting((key) -> key.asString())
			.containsExactly("proxy", "operation.name", "outcome");
		assertThat(List.of(SoapObservationDocumentation.CLIENT_CALL.getHighCardinalityKeyNames()))
			.containsExactly(SoapObservationDocumentation.HighCardinalityKeyNames.CALL_ID);
	}

	private static EndedOperation ended(OperationOutcome outcome, @Nullable CancelReason reason,
			@Nullable Throwable failure) {
		return new EndedOperation("orders", "o-1", null, "PlaceOrder", outcome, reason, 1_000_000, failure);
	}

}
