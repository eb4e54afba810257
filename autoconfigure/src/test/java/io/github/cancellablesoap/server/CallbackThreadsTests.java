package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.cancellablesoap.core.CallbackExecutor;
import io.github.cancellablesoap.core.CancellationTimer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancel and completion callbacks run on the callback executor, never on the thread that
 * cancels (the timer, an aborting thread): one that blocks for ever delays no other
 * operation's callbacks, an abort stays within its grace, and one that throws breaks
 * nothing.
 */
class CallbackThreadsTests {

	private static final Logger logger = LoggerFactory.getLogger(CallbackThreadsTests.class);

	private static final int OPERATIONS = 1000;

	private static final Duration ABORT_GRACE = Duration.ofSeconds(1);

	private static final Duration SLACK = Duration.ofSeconds(5);

	private final CancellationTimer timer = new CancellationTimer("callbacks-test");

	private final CallbackExecutor callbacks = new CallbackExecutor(8);

	private final CountDownLatch forever = new CountDownLatch(1);

	private final ExecutorService threads = Executors.newFixedThreadPool(4);

	private final DefaultServiceHost host = new DefaultServiceHost(ServiceHostSettings.of("callbacks", "/callbacks")
		.withAbortGrace(ABORT_GRACE)
		.withMaxConcurrentOperations(OPERATIONS + 10)
		.withMaxReceivingRequests(OPERATIONS + 10), this.timer, this.callbacks);

	private final Map<String, String> callbackThreads = new ConcurrentHashMap<>();

	private final Queue<String> events = new ConcurrentLinkedQueue<>();

	@AfterEach
	void stop() {
		this.forever.countDown();
		this.threads.shutdownNow();
		this.callbacks.close();
		this.timer.shutdown();
	}

	@Test
	void hostAbortRunsAThousandCallbacksBesideOneThatBlocksForEverAndReturnsWithinItsGrace() throws Exception {
		this.host.open();
		Operation blocker = admit(null);
		blocker.onCancel((reason) -> awaitQuietly(this.forever));
		CountDownLatch cancelled = new CountDownLatch(OPERATIONS);
		List<Operation> operations = new ArrayList<>();
		for (int i = 0; i < OPERATIONS; i++) {
			Operation operation = admit(null);
			operations.add(operation);
			boolean throwing = i % 10 == 0;
			operation.onCancel((reason) -> {
				recordThread(operation);
				cancelled.countDown();
				if (throwing) {
					throw new IllegalStateException("callback bug");
				}
				// the endpoint notices and returns, as a well-behaved one does
				this.threads.execute(() -> this.host.finish(operation));
			});
			operation.onComplete(() -> this.events.add(operation.operationId()));
		}
		long start = System.nanoTime();
		Future<Long> abort = this.threads.submit(() -> {
			this.host.abort("test");
			return System.nanoTime() - start;
		});

		assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("every other cancel callback ran").isTrue();
		long callbacksTook = System.nanoTime() - start;
		long took = abort.get(ABORT_GRACE.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
		logger.info(
				"host abort of {} operations, one callback blocked: all other callbacks ran in {} ms, "
						+ "abort returned in {} ms (grace {} ms)",
				OPERATIONS + 1, callbacksTook / 1_000_000, took / 1_000_000, ABORT_GRACE.toMillis());
		assertThat(Duration.ofNanos(took)).isLessThan(ABORT_GRACE.plus(SLACK));
		assertThat(this.host.state()).isEqualTo(HostState.FAULTED);
		assertThat(this.callbackThreads).hasSize(OPERATIONS)
			.allSatisfy((id, thread) -> assertThat(thread).startsWith(this.callbacks.threadNamePrefix()));
		// the throwing callbacks did not finish their operations: end them as their
		// serving threads would
		for (int i = 0; i < OPERATIONS; i += 10) {
			this.host.finish(operations.get(i));
		}
		awaitCompletions(OPERATIONS);
		this.host.finish(blocker);
		assertThat(this.host.operations()).isEmpty();
	}

	@Test
	void deadlineCallbacksDoNotWaitForOneThatBlocksForEver() throws Exception {
		this.host.open();
		Duration budget = Duration.ofSeconds(2);
		Operation blocker = admit(budget);
		blocker.onCancel((reason) -> awaitQuietly(this.forever));
		CountDownLatch cancelled = new CountDownLatch(OPERATIONS);
		AtomicInteger wrongReason = new AtomicInteger();
		List<Operation> operations = new ArrayList<>();
		for (int i = 0; i < OPERATIONS; i++) {
			Operation operation = admit(budget);
			operations.add(operation);
			assertThat(operation.isCancellationRequested()).as("registered before the deadline").isFalse();
			operation.onCancel((reason) -> {
				if (reason != CancelReason.DEADLINE_EXCEEDED) {
					wrongReason.incrementAndGet();
				}
				recordThread(operation);
				cancelled.countDown();
			});
		}
		long start = System.nanoTime();
		assertThat(cancelled.await(15, TimeUnit.SECONDS)).as("every other deadline callback ran").isTrue();
		logger.info(
				"{} deadline callbacks (due 2 s after admission) beside one blocked: the last ran {} ms after registration ended",
				OPERATIONS, (System.nanoTime() - start) / 1_000_000);
		assertThat(wrongReason).hasValue(0);
		assertThat(this.callbackThreads).hasSize(OPERATIONS)
			.allSatisfy((id, thread) -> assertThat(thread).startsWith(this.callbacks.threadNamePrefix())
				.doesNotStartWith("soap-timer-"));
		operations.forEach(this.host::finish);
		this.host.finish(blocker);
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void completionCallbacksFollowTheCancelCallbackWhenCancelAndEndRace() throws Exception {
		this.host.open();
		Map<String, Queue<String>> perOperation = new ConcurrentHashMap<>();
		List<Operation> operations = new ArrayList<>();
		int cancelsWon = 0;
		// at least 500 rounds, and on until a cancel has won at least once (a loaded
		// machine can let the end win many rounds in a row), so both orders are checked
		for (int round = 0; round < 500 || (cancelsWon == 0 && round < 20_000); round++) {
			Operation operation = admit(null);
			operations.add(operation);
			Queue<String> seen = new ConcurrentLinkedQueue<>();
			perOperation.put(operation.operationId(), seen);
			operation.onCancel((reason) -> seen.add("cancel"));
			operation.onComplete(() -> seen.add("complete"));
			CyclicBarrier start = new CyclicBarrier(2);
			Future<Boolean> cancelling = this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				return this.host.cancel(operation.operationId(), "race");
			});
			Future<?> ending = this.threads.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				this.host.finish(operation);
				return null;
			});
			if (cancelling.get(5, TimeUnit.SECONDS)) {
				cancelsWon++;
			}
			ending.get(5, TimeUnit.SECONDS);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		for (Operation operation : operations) {
			assertThat(operation.awaitEnd(deadline)).isTrue();
		}
		assertThat(perOperation.values())
			.allSatisfy((seen) -> assertThat(String.join(",", seen)).isIn("cancel,complete", "complete"));
		assertThat(perOperation.values()).anySatisfy((seen) -> assertThat(seen).contains("cancel"));
		assertThat(perOperation.values()).filteredOn((seen) -> seen.contains("cancel")).hasSize(cancelsWon);
	}

	private Operation admit(@Nullable Duration budget) {
		Operation operation = this.host.admit("127.0.0.1:1", null, budget).operation();
		assertThat(operation).isNotNull();
		return operation;
	}

	private void recordThread(Operation operation) {
		this.callbackThreads.put(operation.operationId(), Thread.currentThread().getName());
	}

	private void awaitCompletions(int count) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.events).hasSize(count));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
