package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.cancellablesoap.core.CancellationTimer;
import io.github.cancellablesoap.core.Ticker;
import io.github.cancellablesoap.testsupport.Racers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The call registry on its own, with many threads: admission never lets more than
 * {@code max-pending-calls} calls in, abandoned calls keep their slot until their I/O
 * ends, and every gauge goes back to zero.
 */
class CallRegistryTests {

	private static final int MAX = 8;

	private static final int THREADS = 32;

	private final CancellationTimer timer = new CancellationTimer("registry-test");

	private final CallEnvironment environment = CallEnvironment.of(
			ProxySettings.builder("registry", URI.create("http://127.0.0.1/ws")).maxPendingCalls(MAX).build(),
			Ticker.SYSTEM, this.timer);

	private final CallRegistry registry = this.environment.registry();

	private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

	private final AtomicInteger ids = new AtomicInteger();

	@AfterEach
	void stop() throws InterruptedException {
		this.threads.shutdownNow();
		this.threads.awaitTermination(10, TimeUnit.SECONDS);
		this.timer.shutdown();
	}

	@Test
	void admitsExactlyTheQuotaWhenManyThreadsRaceForIt() throws Exception {
		for (int round = 0; round < 100; round++) {
			Queue<Call> admitted = new ConcurrentLinkedQueue<>();
			AtomicInteger rejected = new AtomicInteger();
			CountDownLatch attempted = new CountDownLatch(THREADS);
			Racers.race(this.threads, THREADS, Duration.ofSeconds(10), (racer) -> {
				try {
					admitted.add(admit());
				}
				catch (CallRejectedException ex) {
					assertThat(ex.getMessage()).contains("max-pending-calls");
					rejected.incrementAndGet();
				}
				attempted.countDown();
			});
			assertThat(attempted.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(admitted).hasSize(MAX);
			assertThat(rejected.get()).isEqualTo(THREADS - MAX);
			assertThat(this.registry.pending()).isEqualTo(MAX);
			assertThat(this.registry.snapshot()).containsExactlyInAnyOrderElementsOf(admitted);
			for (Call call : admitted) {
				call.callerLeft();
			}
			assertIdle();
		}
	}

	@Test
	void neverHoldsMoreThanTheQuotaWhileCallsComeAndGo() throws Exception {
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger mostInside = new AtomicInteger();
		AtomicInteger admittedCount = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		AtomicBoolean overQuota = new AtomicBoolean();
		int perThread = 2_000;
		Racers.race(this.threads, THREADS, Duration.ofSeconds(60), (thread) -> {
			for (int i = 0; i < perThread; i++) {
				Call call;
				try {
					call = admit();
				}
				catch (CallRejectedException ex) {
					rejected.incrementAndGet();
					continue;
				}
				admittedCount.incrementAndGet();
				int now = inside.incrementAndGet();
				mostInside.accumulateAndGet(now, Math::max);
				if (this.registry.pending() > MAX || this.registry.abandoned() > MAX) {
					overQuota.set(true);
				}
				if (thread < MAX && i == 0) {
					// The first MAX threads hold their first call until the quota turned
					// someone away, so the race always reaches the boundary.
					await().atMost(Duration.ofSeconds(10)).until(() -> rejected.get() > 0);
				}
				if ((thread + i) % 3 == 0) {
					assertThat(call.abandon().changed()).isTrue();
				}
				inside.decrementAndGet();
				call.callerLeft();
			}
		});
		assertThat(mostInside.get()).isPositive().isLessThanOrEqualTo(MAX);
		assertThat(overQuota).isFalse();
		assertThat(admittedCount.get() + rejected.get()).isEqualTo(THREADS * perThread);
		assertThat(rejected.get()).as("contention must reach the quota").isPositive();
		assertIdle();
	}

	@Test
	void abandonedCallsKeepTheirSlotUntilTheirIoEnds() {
		RecordingChannel channel = new RecordingChannel();
		Call[] calls = new Call[MAX];
		for (int i = 0; i < MAX; i++) {
			calls[i] = admit();
			calls[i].attach(channel);
			assertThat(calls[i].abandon().changed()).isTrue();
			calls[i].callerLeft();
		}
		assertThat(this.registry.pending()).isEqualTo(MAX);
		assertThat(this.registry.abandoned()).isEqualTo(MAX);
		assertThat(this.registry.findByChannel("ch-test")).isNotNull();
		assertThatExceptionOfType(CallRejectedException.class).isThrownBy(this::admit)
			.withMessageContaining("abandoned calls included");
		calls[0].exchangeEnded();
		assertThat(this.registry.pending()).isEqualTo(MAX - 1);
		assertThat(this.registry.abandoned()).isEqualTo(MAX - 1);
		Call next = admit();
		next.callerLeft();
		assertThat(CallRegistry.abortAll(this.registry.snapshot(), "test").affected()).isEqualTo(MAX - 1);
		assertThat(channel.aborts.get()).isEqualTo(MAX - 1);
		for (int i = 1; i < MAX; i++) {
			calls[i].exchangeEnded();
		}
		assertIdle();
	}

	@Test
	void abandonAllAbandonsEachUndecidedCallOnceAndFindsCallsUntilTheyLeave() {
		Call first = admit();
		Call second = admit();
		assertThat(second.abortCaller("decided first")).isTrue();
		assertThat(this.registry.abandonAll()).isOne();
		assertThat(this.registry.abandonAll()).isZero();
		assertThat(this.registry.abandoned()).isOne();
		assertThat(this.registry.find(first.callId())).isSameAs(first);
		assertThat(this.registry.snapshotByStart()).containsExactly(first, second);
		first.callerLeft();
		second.callerLeft();
		assertThat(this.registry.find(first.callId())).isNull();
		assertIdle();
	}

	@Test
	void abandonAllRacingCallsThatLeaveNeverLeavesACountBehind() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicBoolean negative = new AtomicBoolean();
		Future<?> abandoner = this.threads.submit(() -> {
			while (running.get()) {
				this.registry.abandonAll();
				if (this.registry.abandoned() < 0) {
					negative.set(true);
				}
				Thread.onSpinWait();
			}
		});
		List<Future<?>> callers = new ArrayList<>();
		for (int t = 0; t < THREADS - 1; t++) {
			callers.add(this.threads.submit(() -> {
				for (int i = 0; i < 2_000; i++) {
					try {
						admit().callerLeft();
					}
					catch (CallRejectedException ex) {
						// the quota is full for a moment; the next call tries again
					}
				}
			}));
		}
		for (Future<?> caller : callers) {
			caller.get(60, TimeUnit.SECONDS);
		}
		running.set(false);
		abandoner.get(10, TimeUnit.SECONDS);
		assertThat(negative).isFalse();
		assertIdle();
	}

	@Test
	void awaitIdleReturnsOnceTheLastCallLeaves() throws Exception {
		Call call = admit();
		CountDownLatch waiting = new CountDownLatch(1);
		// the check runs under the registry's lock right before the waiter waits, so only
		// the last call's wake-up can end the wait within the 30 s
		Future<Boolean> waiter = this.threads
			.submit(() -> this.registry.awaitIdle(Duration.ofSeconds(30).toNanos(), () -> {
				waiting.countDown();
				return true;
			}));
		assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
		call.callerLeft();
		assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
		assertIdle();
	}

	private Call admit() {
		return this.registry.admit("c" + this.ids.incrementAndGet(),
				(id) -> new Call(this.environment, id, Duration.ofSeconds(30)));
	}

	private void assertIdle() {
		assertThat(this.registry.pending()).isZero();
		assertThat(this.registry.abandoned()).isZero();
		assertThat(this.registry.snapshot()).isEmpty();
		assertThat(this.registry.awaitIdle(0, () -> true)).isTrue();
	}

	private static final class RecordingChannel implements Channel {

		private final AtomicInteger aborts = new AtomicInteger();

		@Override
		public String id() {
			return "ch-test";
		}

		@Override
		public boolean abort() {
			this.aborts.incrementAndGet();
			return true;
		}

	}

}
