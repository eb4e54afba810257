package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.observation.MeterCallListener;
import io.github.cancellablesoap.observation.MeterOperationListener;
import io.github.cancellablesoap.observation.ObservationOperationListener;
import io.github.cancellablesoap.testsupport.RecordingOperationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The events a host gives its {@link OperationListener}: refusals, one start and exactly
 * one end per admitted operation (also when cancels, host aborts and ends race), aborts
 * and cancels; and the meters and observations recorded from them.
 */
class OperationListenerTests {

	private final CancellationTimer timer = new CancellationTimer("test");

	private final ExecutorService threads = Executors.newFixedThreadPool(8);

	private final RecordingOperationListener recorder = new RecordingOperationListener();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final DefaultServiceHost host = new DefaultServiceHost(ServiceHostSettings.of("orders", "/orders")
		.withAbortGrace(Duration.ofMillis(50))
		.withMaxConcurrentOperations(2), this.timer);

	@AfterEach
	void stop() {
		this.threads.shutdownNow();
		this.timer.shutdown();
	}

	/**
	 * Listen to the host with every listener, open it and admit one operation.
	 */
	private Operation openAndAdmit(@Nullable String callerCallId, @Nullable Duration budget) {
		listenWithAll(this.host);
		this.host.open();
		Operation operation = this.host.admit("a", callerCallId, budget).operation();
		assertThat(operation).isNotNull();
		return operation;
	}

	private void listenWithAll(DefaultServiceHost target) {
		target.setOperationListener(CompositeOperationListener.of(List.of(this.recorder,
				new MeterOperationListener(this.meters), new ObservationOperationListener(this.observations))));
	}

	@Test
	void refusalsAreReportedWithTheirCategoryAndCountedAsRejectedWithZeroDuration() {
		listenWithAll(this.host);
		assertThat(this.host.admit("a", null, null).operation()).isNull();
		this.host.open();
		Operation first = this.host.admit("a", null, null).operation();
		Operation second = this.host.admit("a", null, null).operation();
		assertThat(this.host.execute(first)).isNull();
		assertThat(this.host.execute(second)).isNull();
		assertThat(this.host.admit("a", null, null).operation()).isNull();
		this.host.abortListener("test");
		assertThat(this.host.admit("a", null, null).operation()).isNull();

		assertThat(this.recorder.rejections).extracting(OperationListener.Rejection::reason)
			.containsExactly("host-not-open", "over-capacity", "listener-not-open");
		assertThat(this.recorder.started).hasSize(2);
		assertThat(this.recorder.ended).isEmpty();
		Timer rejected = this.meters.get(MeterOperationListener.OPERATIONS)
			.tags("host", "orders", "operation", "none", "outcome", "REJECTED", "cancel.reason", "none")
			.timer();
		assertThat(rejected.count()).isEqualTo(3);
		assertThat(rejected.totalTime(TimeUnit.NANOSECONDS)).isZero();
		assertThat(abortCount("listener", "requested", "application")).isEqualTo(1);
		finish(first, OperationOutcome.COMPLETED);
		finish(second, OperationOutcome.FAULT);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo(ObservationOperationListener.NAME, 2);
	}

	@Test
	void endIsReportedOnceWithTheAnswerAndTheStartedState() {
		Operation operation = openAndAdmit("c-7", null);
		operation.name("urn:orders/PlaceOrder");
		operation.mapped("PlaceOrder");
		operation.answered(OperationOutcome.FAULT);
		operation.endpointFailed(new IllegalArgumentException("no such order"));
		this.host.finish(operation);
		this.host.finish(operation);

		assertThat(this.recorder.ended).hasSize(1);
		OperationListener.EndedOperation ended = this.recorder.ended.peek();
		assertThat(ended.operationId()).isEqualTo(operation.operationId());
		assertThat(ended.callerCallId()).isEqualTo("c-7");
		assertThat(ended.operation()).isEqualTo("PlaceOrder");
		assertThat(ended.outcome()).isEqualTo(OperationOutcome.FAULT);
		assertThat(ended.cancelReason()).isNull();
		assertThat(ended.failure()).hasMessage("no such order");
		assertThat(ended.durationNanos()).isPositive();
		assertThat(this.recorder.endedWithForeignState).hasValue(0);
		TestObservationRegistryAssert.assertThat(this.observations)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasSingleObservationThat()
			.hasNameEqualTo(ObservationOperationListener.NAME)
			.hasLowCardinalityKeyValue("host", "orders")
			.hasLowCardinalityKeyValue("operation.name", "PlaceOrder")
			.hasLowCardinalityKeyValue("outcome", "FAULT")
			.hasLowCardinalityKeyValue("cancel.reason", "none")
			.hasHighCardinalityKeyValue("operation.id", operation.operationId())
			.hasHighCardinalityKeyValue("call.id", "c-7")
			.hasError();
	}

	@Test
	void anOperationWithoutAServedEndpointIsTaggedNoneAndOneEndedWithoutAnswerFailed() {
		Operation operation = openAndAdmit(null, null);
		operation.name("Unmapped");
		this.host.finish(operation);
		assertThat(this.meters.get(MeterOperationListener.OPERATIONS)
			.tags("operation", "none", "outcome", "FAILED", "cancel.reason", "none")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void aCancelledOperationEndsCancelledWithItsReasonAsAnEventNotAnError() {
		Operation operation = openAndAdmit(null, null);
		assertThat(this.host.cancel(operation.operationId(), "operator")).isTrue();
		assertThat(this.host.cancel(operation.operationId(), "again")).isFalse();
		operation.answered(OperationOutcome.CANCELLED);
		this.host.finish(operation);

		assertThat(this.meters.get(MeterOperationListener.OPERATIONS)
			.tags("outcome", "CANCELLED", "cancel.reason", "OPERATOR")
			.timer()
			.count()).isEqualTo(1);
		assertThat(abortCount("operation", "operator", "application")).isEqualTo(1);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "CANCELLED")
			.hasLowCardinalityKeyValue("cancel.reason", "OPERATOR")
			.hasEvent(ObservationOperationListener.CANCELLED_EVENT)
			.doesNotHaveError();
	}

	@Test
	void aDeadlineIsAHostInitiatedCancel() {
		Operation operation = openAndAdmit(null, Duration.ofMillis(10));
		await().atMost(Duration.ofSeconds(5)).until(operation::isCancellationRequested);
		this.host.finish(operation);
		assertThat(abortCount("operation", "deadline-exceeded", "host")).isEqualTo(1);
		assertThat(this.recorder.ended.peek().cancelReason()).isEqualTo(CancelReason.DEADLINE_EXCEEDED);
	}

	@Test
	void aFailingListenerBreaksNeitherAdmissionNorCancelNorTheEnd() {
		this.host.setOperationListener(new ThrowingOperationListener());
		assertThat(this.host.admit("a", null, null).refusal()).contains("CREATED");
		this.host.open();
		Operation operation = this.host.admit("a", null, null).operation();
		assertThat(operation).isNotNull();
		Queue<Boolean> completed = new ConcurrentLinkedQueue<>();
		operation.onComplete(() -> completed.add(true));
		assertThat(this.host.cancel(operation.operationId(), null)).isTrue();
		this.host.finish(operation);
		// completion callbacks run on the callback executor
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(completed).containsExactly(true));
		assertThat(operation.hasEnded()).isTrue();
		assertThat(this.host.operations()).isEmpty();
		assertThat(this.host.abortListener(null)).isTrue();
		assertThat(this.host.abort(null)).isTrue();
	}

	@Test
	void endIsReportedExactlyOncePerOperationWhenCancelsRaceCompletion() throws Exception {
		DefaultServiceHost racing = new DefaultServiceHost(
				ServiceHostSettings.of("racing", "/racing").withMaxConcurrentOperations(1_000_000), this.timer);
		listenWithAll(racing);
		racing.open();
		int rounds = 2000;
		AtomicInteger cancelWins = new AtomicInteger();
		List<Operation> admitted = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			Operation operation = racing.admit("a", null, null).operation();
			assertThat(operation).isNotNull();
			admitted.add(operation);
			CyclicBarrier start = new CyclicBarrier(4);
			List<Future<?>> tasks = new ArrayList<>();
			// the serving thread: decides the answer as the dispatcher does, then ends
			tasks.add(this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				operation.answered(
						operation.isCancellationRequested() ? OperationOutcome.CANCELLED : OperationOutcome.COMPLETED);
				racing.finish(operation);
				return null;
			}));
			// a second end, as when a dropped connection and the serving thread both end
			// it
			tasks.add(this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				racing.finish(operation);
				return null;
			}));
			for (int i = 0; i < 2; i++) {
				tasks.add(this.threads.submit(() -> {
					start.await(5, TimeUnit.SECONDS);
					if (racing.cancel(operation.operationId(), "race")) {
						cancelWins.incrementAndGet();
					}
					return null;
				}));
			}
			for (Future<?> task : tasks) {
				task.get(5, TimeUnit.SECONDS);
			}
		}

		assertThat(cancelWins).as("cancels won some races").hasPositiveValue();
		assertThat(this.recorder.started).hasSize(rounds);
		assertThat(this.recorder.endedById).hasSize(rounds).allSatisfy((id, count) -> assertThat(count).hasValue(1));
		assertThat(this.recorder.endedWithForeignState).hasValue(0);
		assertThat(this.recorder.ended).allSatisfy((ended) -> {
			assertThat(ended.outcome()).isIn(OperationOutcome.COMPLETED, OperationOutcome.CANCELLED,
					OperationOutcome.FAILED);
			assertThat(ended.cancelReason() != null).isEqualTo(ended.outcome() == OperationOutcome.CANCELLED);
		});
		long cancelled = this.recorder.ended.stream()
			.filter((ended) -> ended.outcome() == OperationOutcome.CANCELLED)
			.count();
		assertThat(cancelled).isLessThanOrEqualTo(cancelWins.get());
		assertThat(abortCount("operation", "operator", "application")).isEqualTo(cancelWins.get());
		assertThat(this.meters.get(MeterOperationListener.OPERATIONS).timers().stream().mapToLong(Timer::count).sum())
			.isEqualTo(rounds);
		// TestObservationRegistry throws on a second stop, so reaching here means none
		TestObservationRegistryAssert.assertThat(this.observations)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasNumberOfObservationsWithNameEqualTo(ObservationOperationListener.NAME, rounds)
			.forAllObservationsWithNameEqualTo(ObservationOperationListener.NAME,
					(observation) -> observation.hasLowCardinalityKeyValueWithKey("outcome"));
		assertThat(racing.operations()).isEmpty();
		assertThat(admitted).allSatisfy((operation) -> assertThat(operation.hasEnded()).isTrue());
	}

	@Test
	void endIsReportedExactlyOncePerOperationWhenAHostAbortRacesTheirEnds() throws Exception {
		DefaultServiceHost racing = new DefaultServiceHost(ServiceHostSettings.of("racing", "/racing")
			.withAbortGrace(Duration.ofSeconds(5))
			.withMaxConcurrentOperations(1_000_000), this.timer);
		listenWithAll(racing);
		for (int round = 0; round < 50; round++) {
			racing.open();
			List<Operation> admitted = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				admitted.add(racing.admit("a", null, null).operation());
			}
			CyclicBarrier start = new CyclicBarrier(5);
			List<Future<?>> tasks = new ArrayList<>();
			tasks.add(this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				racing.abort("race");
				return null;
			}));
			for (int worker = 0; worker < 4; worker++) {
				int first = worker;
				tasks.add(this.threads.submit(() -> {
					start.await(5, TimeUnit.SECONDS);
					for (int i = first; i < admitted.size(); i += 4) {
						Operation operation = admitted.get(i);
						operation.answered(operation.isCancellationRequested() ? OperationOutcome.CANCELLED
								: OperationOutcome.COMPLETED);
						racing.finish(operation);
					}
					return null;
				}));
			}
			for (Future<?> task : tasks) {
				task.get(10, TimeUnit.SECONDS);
			}
			assertThat(racing.state()).isEqualTo(HostState.FAULTED);
			racing.reset();
		}
		int operations = 50 * 40;
		assertThat(this.recorder.endedById).hasSize(operations)
			.allSatisfy((id, count) -> assertThat(count).hasValue(1));
		long cancels = this.recorder.aborts.stream().filter((event) -> event.target().equals("operation")).count();
		assertThat(abortCount("host", "requested", "application")).isEqualTo(50);
		assertThat(abortCount("operation", "host-aborted", "host")).isEqualTo(cancels);
		TestObservationRegistryAssert.assertThat(this.observations)
			.doesNotHaveAnyRemainingCurrentObservation()
			.hasNumberOfObservationsWithNameEqualTo(ObservationOperationListener.NAME, operations);
	}

	@Test
	void outcomeIsTheAnswerElseCancelledOrFailed() {
		assertThat(OperationEvents.outcome(null, null)).isEqualTo(OperationOutcome.FAILED);
		assertThat(OperationEvents.outcome(null, CancelReason.CALLER_GONE)).isEqualTo(OperationOutcome.CANCELLED);
		assertThat(OperationEvents.outcome(OperationOutcome.FAILED, CancelReason.HOST_ABORTED))
			.isEqualTo(OperationOutcome.CANCELLED);
		assertThat(OperationEvents.outcome(OperationOutcome.COMPLETED, CancelReason.OPERATOR))
			.isEqualTo(OperationOutcome.COMPLETED);
		assertThat(OperationEvents.outcome(OperationOutcome.REJECTED, null)).isEqualTo(OperationOutcome.REJECTED);
		assertThat(OperationEvents.category(CancelReason.HOST_CLOSE_TIMED_OUT)).isEqualTo("host-close-timed-out");
	}

	@Test
	void aCompositeOfNoneIsNoneAndOfOneIsThatOne() {
		assertThat(CompositeOperationListener.of(List.of())).isSameAs(OperationListener.NONE);
		assertThat(CompositeOperationListener.of(List.of(this.recorder))).isSameAs(this.recorder);
	}

	private void finish(@Nullable Operation operation, OperationOutcome answer) {
		assertThat(operation).isNotNull();
		operation.answered(answer);
		this.host.finish(operation);
	}

	private double abortCount(String target, String reason, String initiator) {
		return this.meters.get(MeterCallListener.ABORTS)
			.tags("target", target, "reason", reason, "initiator", initiator)
			.counter()
			.count();
	}

}
