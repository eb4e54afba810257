package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CancellationScope;
import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The operation context's cancellation contract, including its races.
 */
class OperationTests {

	private static final CancelReason[] REASONS = CancelReason.values();

	private final ExecutorService threads = Executors.newFixedThreadPool(5);

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	private static Operation operation() {
		return new Operation("o-test", "main", Ticker.SYSTEM, "127.0.0.1:1", null, null);
	}

	@Test
	void cancelCallbackRunsExactlyOnceWhenRegistrationRacesManyCancellingThreads() throws Exception {
		for (int round = 0; round < 2000; round++) {
			Operation operation = operation();
			AtomicInteger callbacks = new AtomicInteger();
			AtomicReference<CancelReason> seen = new AtomicReference<>();
			int winners = race(operation, round, 4, () -> operation.onCancel((reason) -> {
				callbacks.incrementAndGet();
				seen.set(reason);
			}));
			assertThat(winners).isEqualTo(1);
			assertThat(callbacks).hasValue(1);
			assertThat(seen.get()).isEqualTo(operation.cancelReason().orElseThrow());
		}
	}

	@Test
	void cancelCallbackRegisteredAfterCancellationRunsDuringRegistration() {
		Operation operation = operation();
		assertThat(operation.cancel(CancelReason.OPERATOR, "why")).isTrue();
		assertThat(operation.cancel(CancelReason.HOST_ABORTED, null)).isFalse();
		Thread registering = Thread.currentThread();
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		operation.onCancel((reason) -> ranOn.set(Thread.currentThread()));
		assertThat(ranOn.get()).isSameAs(registering);
		assertThat(operation.cancelReason()).contains(CancelReason.OPERATOR);
		assertThat(operation.isCancellationRequested()).isTrue();
	}

	@Test
	void secondCancelCallbackIsRefused() {
		Operation operation = operation();
		operation.onCancel((reason) -> {
		});
		assertThatIllegalStateException().isThrownBy(() -> operation.onCancel((reason) -> {
		})).withMessageContaining("o-test");
	}

	@Test
	void operationThatEndedCannotBeCancelledAndNeverRunsItsCancelCallback() {
		Operation operation = operation();
		AtomicInteger callbacks = new AtomicInteger();
		operation.onCancel((reason) -> callbacks.incrementAndGet());
		operation.end();
		assertThat(operation.cancel(CancelReason.OPERATOR, null)).isFalse();
		assertThat(callbacks).hasValue(0);
		assertThat(operation.isCancellationRequested()).isFalse();
	}

	@Test
	void completionCallbacksRunAfterACancelCallbackStillRunningOnAnotherThread() throws Exception {
		Operation operation = operation();
		List<String> events = new CopyOnWriteArrayList<>();
		CountDownLatch inCallback = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		operation.onCancel((reason) -> {
			inCallback.countDown();
			try {
				release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			events.add("cancel");
		});
		operation.onComplete(() -> events.add("complete-1"));
		operation.onComplete(() -> events.add("complete-2"));
		Future<?> cancelling = this.threads.submit(() -> operation.cancel(CancelReason.CALLER_GONE, null));
		assertThat(inCallback.await(5, TimeUnit.SECONDS)).isTrue();
		Future<?> ending = this.threads.submit(() -> operation.end());
		assertThat(events).isEmpty();
		release.countDown();
		cancelling.get(5, TimeUnit.SECONDS);
		ending.get(5, TimeUnit.SECONDS);
		assertThat(events).containsExactly("cancel", "complete-1", "complete-2");
		operation.onComplete(() -> events.add("late"));
		assertThat(events).endsWith("late");
	}

	@Test
	void failingCallbacksDoNotStopTheOthers() {
		Operation operation = operation();
		List<String> events = new CopyOnWriteArrayList<>();
		operation.onCancel((reason) -> {
			throw new IllegalArgumentException("boom");
		});
		operation.onComplete(() -> {
			throw new IllegalArgumentException("boom");
		});
		operation.onComplete(() -> events.add("second"));
		assertThat(operation.cancel(CancelReason.OPERATOR, null)).isTrue();
		operation.end();
		assertThat(events).containsExactly("second");
	}

	@Test
	void interruptReachesOnlyAnAttachedThreadAndDetachClearsIt() {
		Operation operation = operation();
		assertThat(operation.interrupt()).isFalse();
		operation.attach(Thread.currentThread());
		assertThat(operation.interrupt()).isTrue();
		assertThat(operation.detach()).isTrue();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(operation.interrupt()).isFalse();
	}

	@Test
	void completionCallbacksFollowTheCancelCallbackWhenManyThreadsCancelWhileTheOperationEnds() throws Exception {
		ExecutorService lane = Executors.newFixedThreadPool(4);
		try {
			int cancelledRounds = 0;
			for (int round = 0; round < 2000; round++) {
				Operation operation = new Operation("o-race", "main", Ticker.SYSTEM, "127.0.0.1:1", null, null,
						OperationListener.NONE, lane);
				Queue<String> seen = new ConcurrentLinkedQueue<>();
				CountDownLatch settled = new CountDownLatch(1);
				operation.onCancel((reason) -> seen.add("cancel"));
				operation.onComplete(() -> {
					seen.add("complete");
					settled.countDown();
				});
				int winners = race(operation, round, 3, operation::end);
				assertThat(winners).isEqualTo(operation.isCancellationRequested() ? 1 : 0);
				assertThat(settled.await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(operation.awaitEnd(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isTrue();
				String expected = operation.isCancellationRequested() ? "cancel,complete" : "complete";
				assertThat(String.join(",", seen)).isEqualTo(expected);
				cancelledRounds += operation.isCancellationRequested() ? 1 : 0;
			}
			assertThat(cancelledRounds).as("rounds where a cancel won").isPositive();
		}
		finally {
			lane.shutdownNow();
		}
	}

	@Test
	void anAnsweredSealedOrFailedOperationCannotBeCancelled() {
		Operation answered = operation();
		assertThat(answered.answered(OperationOutcome.COMPLETED)).isTrue();
		assertThat(answered.cancel(CancelReason.CALLER_GONE, null)).isFalse();
		Operation sealed = operation();
		assertThat(sealed.seal()).isNull();
		assertThat(sealed.seal()).as("sealing twice").isNull();
		assertThat(sealed.cancel(CancelReason.OPERATOR, null)).isFalse();
		assertThat(sealed.answered(OperationOutcome.FAULT)).isTrue();
		Operation failed = operation();
		failed.failed(new IllegalStateException("boom"));
		assertThat(failed.cancel(CancelReason.HOST_ABORTED, null)).isFalse();
		assertThat(failed.isCancellationRequested()).isFalse();
		for (Operation operation : List.of(answered, sealed, failed)) {
			assertThat(operation.scope().isOpen()).isFalse();
			assertThat(operation.cancelReason()).isEmpty();
		}
	}

	@Test
	void aSealAfterACancellationReportsItsReasonAndDetail() {
		Operation operation = operation();
		assertThat(operation.cancel(CancelReason.CALLER_CANCELLED, "the caller said so")).isTrue();
		assertThat(operation.seal()).isEqualTo(CancelReason.CALLER_CANCELLED);
		assertThat(operation.answered(OperationOutcome.COMPLETED)).isFalse();
		assertThat(operation.answered(OperationOutcome.CANCELLED)).isTrue();
		assertThat(operation.cancelDetail()).isEqualTo("the caller said so");
		assertThat(operation.info().cancellationRequested()).isTrue();
	}

	@Test
	void theCallersBudgetCancelsWithDeadlineExceededOnTheCallbackExecutorAndLeavesTheTimerEmpty() throws Exception {
		CancellationTimer timer = new CancellationTimer("operation-test");
		ExecutorService lane = Executors.newSingleThreadExecutor();
		try {
			Operation expiring = new Operation("o-deadline", "main", Ticker.SYSTEM, "127.0.0.1:1", null, null,
					OperationListener.NONE, lane);
			CountDownLatch cancelled = new CountDownLatch(1);
			AtomicReference<String> ranOn = new AtomicReference<>();
			AtomicReference<CancelReason> seen = new AtomicReference<>();
			expiring.onCancel((reason) -> {
				seen.set(reason);
				ranOn.set(Thread.currentThread().getName());
				cancelled.countDown();
			});
			CancellationScope<CancelReason> downstream = expiring.scope().newChild();
			CountDownLatch downstreamCancelled = new CountDownLatch(1);
			downstream.addListener((why) -> downstreamCancelled.countDown(), Runnable::run);
			expiring.expireAfter(Duration.ofMillis(20), timer, "the caller's budget of 20 ms ran out");
			assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(seen.get()).isEqualTo(CancelReason.DEADLINE_EXCEEDED);
			assertThat(ranOn.get()).doesNotStartWith("soap-timer-");
			assertThat(expiring.cancelDetail()).contains("20 ms");
			assertThat(downstreamCancelled.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(downstream.reason()).as("a downstream call's scope").contains(CancelReason.DEADLINE_EXCEEDED);

			Operation answered = operation();
			answered.expireAfter(Duration.ofHours(1), timer, "unused");
			answered.expireAfter(Duration.ofMinutes(30), timer, "unused");
			assertThat(timer.queued()).as("a shorter deadline replaces the longer one").isEqualTo(1);
			answered.end();
			assertThat(timer.queued()).isZero();
			answered.expireAfter(Duration.ofHours(1), timer, "unused");
			assertThat(timer.queued()).as("a deadline set after the end").isZero();
			assertThat(answered.isCancellationRequested()).isFalse();
		}
		finally {
			lane.shutdownNow();
			timer.shutdown();
		}
	}

	/**
	 * Run cancelling threads (each with a reason of its own) and one other action at
	 * once.
	 * @return how many cancels won
	 */
	private int race(Operation operation, int round, int cancellers, Runnable other) throws Exception {
		CyclicBarrier start = new CyclicBarrier(cancellers + 1);
		AtomicInteger winners = new AtomicInteger();
		List<Future<?>> tasks = new ArrayList<>();
		for (int i = 0; i < cancellers; i++) {
			CancelReason reason = REASONS[(round + i) % REASONS.length];
			tasks.add(this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				if (operation.cancel(reason, null)) {
					winners.incrementAndGet();
				}
				return null;
			}));
		}
		tasks.add(this.threads.submit(() -> {
			start.await(5, TimeUnit.SECONDS);
			other.run();
			return null;
		}));
		for (Future<?> task : tasks) {
			task.get(5, TimeUnit.SECONDS);
		}
		return winners.get();
	}

}
