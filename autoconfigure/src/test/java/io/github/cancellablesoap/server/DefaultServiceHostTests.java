package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.core.CancellationTimer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The host state machine and its admission control, without a server.
 */
class DefaultServiceHostTests {

	private final CancellationTimer timer = new CancellationTimer("test");

	private final DefaultServiceHost host = new DefaultServiceHost(
			ServiceHostSettings.of("orders", "/orders").withMaxConcurrentOperations(2), this.timer);

	@AfterEach
	void stopTimer() {
		this.timer.shutdown();
	}

	@Test
	void followsTheStateTable() {
		assertThat(this.host.state()).isEqualTo(HostState.CREATED);
		assertThat(this.host.listenerState()).isEqualTo(ListenerState.CLOSED);
		this.host.open();
		this.host.open();
		assertThat(this.host.state()).isEqualTo(HostState.OPEN);
		assertThat(this.host.listenerState()).isEqualTo(ListenerState.OPEN);
		assertThat(this.host.abort("test")).isTrue();
		assertThat(this.host.state()).isEqualTo(HostState.FAULTED);
		assertThat(this.host.listenerState()).isEqualTo(ListenerState.FAULTED);
		this.host.close();
		assertThat(this.host.state()).isEqualTo(HostState.CLOSED);
		this.host.close();
		assertThat(this.host.abort(null)).isFalse();
		this.host.reset();
		assertThat(this.host.state()).isEqualTo(HostState.CREATED);
		this.host.open();
		this.host.close();
		assertThat(this.host.state()).isEqualTo(HostState.CLOSED);
		assertThat(this.host.listenerState()).isEqualTo(ListenerState.CLOSED);
	}

	@Test
	void refusesCallsInTheWrongStateNamingHostAndState() {
		assertThatIllegalStateException().isThrownBy(this.host::reset)
			.withMessage("Cannot reset service host 'orders': it is CREATED");
		assertThatIllegalStateException().isThrownBy(this.host::resetListener).withMessageContaining("'orders'");
		assertThat(this.host.abort(null)).isFalse();
		assertThat(this.host.abortListener(null)).isFalse();
		this.host.open();
		assertThatIllegalStateException().isThrownBy(this.host::reset)
			.withMessage("Cannot reset service host 'orders': it is OPEN");
		this.host.abort(null);
		assertThatIllegalStateException().isThrownBy(this.host::open)
			.withMessage("Cannot open service host 'orders': it is FAULTED");
	}

	@Test
	void admitsOnlyWhileOpenWithAnOpenListenerAndBelowTheLimit() {
		assertThat(this.host.admit("a", null, null).refusal()).contains("is CREATED and its listener CLOSED");
		this.host.open();
		Operation first = this.host.admit("a", "c-1", null).operation();
		Operation second = this.host.admit("a", null, null).operation();
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		assertThat(this.host.execute(first)).isNull();
		assertThat(this.host.execute(second)).isNull();
		assertThat(this.host.admit("a", null, null).refusal()).contains("maximum of 2");
		this.host.finish(first);
		Operation third = this.host.admit("a", null, null).operation();
		assertThat(third).isNotNull();
		this.host.abortListener("test");
		assertThat(this.host.admit("a", null, null).refusal()).contains("is OPEN and its listener FAULTED");
		this.host.resetListener();
		this.host.finish(second);
		this.host.finish(third);
		assertThat(this.host.operations()).isEmpty();
	}

	@Test
	void abortOfAClosingHostCancelsItsOperationsAndEndsClosed() throws Exception {
		this.host.open();
		Operation operation = this.host.admit("a", null, null).operation();
		assertThat(operation).isNotNull();
		operation.onCancel((reason) -> this.host.finish(operation));
		Thread closer = new Thread(this.host::close);
		closer.start();
		await().until(() -> this.host.state() == HostState.CLOSING);
		assertThat(this.host.abort("now")).isTrue();
		closer.join(5000);
		assertThat(this.host.state()).isEqualTo(HostState.CLOSED);
		assertThat(operation.cancelReason()).contains(CancelReason.HOST_ABORTED);
	}

	@Test
	void deadlineCancelsTheOperationAndEndingCancelsTheTimerTask() {
		this.host.open();
		Operation late = this.host.admit("a", null, Duration.ofMillis(20)).operation();
		Operation early = this.host.admit("a", null, Duration.ofMinutes(5)).operation();
		assertThat(late).isNotNull();
		assertThat(early).isNotNull();
		await().until(late::isCancellationRequested);
		assertThat(late.cancelReason()).contains(CancelReason.DEADLINE_EXCEEDED);
		this.host.finish(late);
		this.host.finish(early);
		assertThat(this.timer.queued()).isZero();
		assertThat(early.isCancellationRequested()).isFalse();
	}

	@Test
	void exactlyOneOfManyConcurrentAbortsWins() throws Exception {
		for (int round = 0; round < 200; round++) {
			this.host.open();
			CountDownLatch start = new CountDownLatch(1);
			AtomicInteger winners = new AtomicInteger();
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				Thread thread = new Thread(() -> {
					try {
						start.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						return;
					}
					if (this.host.abort("race")) {
						winners.incrementAndGet();
					}
				});
				thread.start();
				threads.add(thread);
			}
			start.countDown();
			for (Thread thread : threads) {
				thread.join(5000);
			}
			assertThat(winners).hasValue(1);
			assertThat(this.host.state()).isEqualTo(HostState.FAULTED);
			this.host.reset();
		}
	}

	@Test
	void everyOperationAdmittedBeforeAnAbortIsCancelledAndNoneAfter() throws Exception {
		DefaultServiceHost racing = new DefaultServiceHost(ServiceHostSettings.of("racing", "/racing")
			.withAbortGrace(Duration.ofMillis(20))
			.withMaxConcurrentOperations(1_000_000), this.timer);
		racing.open();
		Queue<Operation> admitted = new ConcurrentLinkedQueue<>();
		AtomicInteger refusedAfterAbort = new AtomicInteger();
		CountDownLatch running = new CountDownLatch(4);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread thread = new Thread(() -> {
				running.countDown();
				while (refusedAfterAbort.get() < 100) {
					Operation operation = racing.admit("a", null, null).operation();
					if (operation != null) {
						admitted.add(operation);
					}
					else {
						refusedAfterAbort.incrementAndGet();
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		await().until(() -> admitted.size() > 100);
		assertThat(racing.abort("race")).isTrue();
		for (Thread thread : threads) {
			thread.join(5000);
		}
		assertThat(admitted)
			.allSatisfy((operation) -> assertThat(operation.cancelReason()).contains(CancelReason.HOST_ABORTED));
		admitted.forEach(racing::finish);
		assertThat(racing.operations()).isEmpty();
	}

	@Test
	void manyThreadsAdmittingRunningAndFinishingNeverPassTheBoundsAndLeaveNothingCounted() throws Exception {
		int maxRunning = 3;
		int maxReceiving = 2;
		DefaultServiceHost bounded = new DefaultServiceHost(ServiceHostSettings.of("bounded", "/bounded")
			.withMaxConcurrentOperations(maxRunning)
			.withMaxReceivingRequests(maxReceiving), this.timer);
		bounded.open();
		AtomicInteger runningNow = new AtomicInteger();
		AtomicInteger peakRunning = new AtomicInteger();
		AtomicInteger peakReceiving = new AtomicInteger();
		AtomicInteger ran = new AtomicInteger();
		AtomicInteger ranCancelled = new AtomicInteger();
		AtomicInteger cancelled = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			int seed = t;
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < 500; i++) {
					Operation operation = bounded.admit("a", null, null).operation();
					peakReceiving.accumulateAndGet(bounded.receiving(), Math::max);
					if (operation == null) {
						refused.incrementAndGet();
						continue;
					}
					boolean cancel = (i + seed) % 10 == 0;
					if (cancel) {
						assertThat(bounded.cancel(operation.operationId(), "race")).isTrue();
						cancelled.incrementAndGet();
					}
					if (bounded.execute(operation) == null) {
						if (cancel) {
							ranCancelled.incrementAndGet();
						}
						else {
							peakRunning.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
							ran.incrementAndGet();
							// hold the slot a moment, so that the others press against
							// the bound
							LockSupport.parkNanos(100_000);
							runningNow.decrementAndGet();
						}
					}
					bounded.finish(operation);
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(30_000);
			assertThat(thread.isAlive()).isFalse();
		}
		assertThat(peakRunning.get()).as("operations running at once").isLessThanOrEqualTo(maxRunning);
		assertThat(peakReceiving.get()).as("bodies being received at once").isLessThanOrEqualTo(maxReceiving);
		assertThat(ran.get()).isPositive();
		assertThat(ranCancelled.get()).as("a cancelled operation always runs to answer its fault")
			.isPositive()
			.isEqualTo(cancelled.get());
		assertThat(refused.get()).as("requests refused at the receiving bound").isPositive();
		assertThat(bounded.running()).isZero();
		assertThat(bounded.receiving()).isZero();
		assertThat(bounded.operations()).isEmpty();
	}

	@Test
	void validatesSettings() {
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceHostSettings.of("bad name", "/x"))
			.withMessageContaining("bad name");
		assertThatIllegalArgumentException().isThrownBy(() -> ServiceHostSettings.of("x", "/x/"))
			.withMessageContaining("/x/");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceHostSettings.of("x", "/x").withAbortGrace(Duration.ZERO))
			.withMessageContaining("abort grace");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServiceHostSettings.of("x", "/x").withMaxConcurrentOperations(0))
			.withMessageContaining("at least 1");
		assertThat(ServiceHostSettings.of("x", "/soap/x").urlMappings()).containsExactly("/soap/x", "/soap/x/*");
	}

	@Test
	void serviceHostsLooksUpByName() {
		ServiceHosts hosts = new ServiceHosts(List.of(this.host));
		assertThat(hosts.find("orders")).containsSame(this.host);
		assertThat(hosts.find("none")).isEmpty();
		assertThat(hosts.all()).containsExactly(this.host);
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceHosts(List.of(this.host, this.host)));
	}

}
