package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CancellationTimer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Once an operation's answer is decided, no cancellation wins any more: a caller that
 * closes its connection after reading the answer, or an operator, changes nothing, counts
 * no abort and runs no cancel callback; a cancellation that came first still turns a
 * completed answer into a cancelled one.
 */
class AnsweredOperationTests {

	private final CancellationTimer timer = new CancellationTimer("answered");

	private final Queue<OperationListener.AbortEvent> aborts = new ConcurrentLinkedQueue<>();

	private final Queue<OperationListener.EndedOperation> ended = new ConcurrentLinkedQueue<>();

	private final DefaultServiceHost host = new DefaultServiceHost(ServiceHostSettings.of("answered", "/answered"),
			this.timer);

	private final Queue<CancelReason> callbacks = new ConcurrentLinkedQueue<>();

	AnsweredOperationTests() {
		this.host.setOperationListener(new OperationListener() {

			@Override
			public void aborted(AbortEvent event) {
				AnsweredOperationTests.this.aborts.add(event);
			}

			@Override
			public void operationEnded(EndedOperation operation, @Nullable Object state) {
				AnsweredOperationTests.this.ended.add(operation);
			}

		});
		this.host.open();
	}

	@AfterEach
	void stop() {
		this.host.abort("test over");
		this.timer.shutdown();
	}

	@Test
	void aCancelAfterTheAnswerWasDecidedChangesNothing() {
		Operation operation = admit(null);
		assertThat(operation.answered(OperationOutcome.FAULT)).isTrue();

		assertThat(operation.cancel(CancelReason.CALLER_GONE, "the caller closed its connection")).isFalse();
		assertThat(this.host.cancel(operation.operationId(), "too late")).isFalse();
		assertThat(operation.isCancellationRequested()).isFalse();
		this.host.finish(operation);

		assertThat(this.callbacks).isEmpty();
		assertThat(this.aborts).isEmpty();
		assertThat(this.ended).singleElement().satisfies((end) -> {
			assertThat(end.outcome()).isEqualTo(OperationOutcome.FAULT);
			assertThat(end.cancelReason()).isNull();
		});
	}

	@Test
	void aCancellationThatCameFirstTurnsACompletedAnswerIntoACancelledOne() {
		Operation operation = admit(null);
		assertThat(this.host.cancel(operation.operationId(), "operator")).isTrue();

		assertThat(operation.answered(OperationOutcome.COMPLETED)).isFalse();
		assertThat(operation.answered(OperationOutcome.CANCELLED)).isTrue();
		this.host.finish(operation);

		// cancel callbacks run on the callback executor
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.callbacks).containsExactly(CancelReason.OPERATOR));
		assertThat(this.aborts).extracting(OperationListener.AbortEvent::reason).containsExactly("operator");
		assertThat(this.ended).singleElement().satisfies((end) -> {
			assertThat(end.outcome()).isEqualTo(OperationOutcome.CANCELLED);
			assertThat(end.cancelReason()).isEqualTo(CancelReason.OPERATOR);
		});
	}

	private Operation admit(@Nullable Duration budget) {
		Operation operation = this.host.admit("127.0.0.1:1", null, budget).operation();
		assertThat(operation).isNotNull();
		operation.onCancel(this.callbacks::add);
		return operation;
	}

}
