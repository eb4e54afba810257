package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cancellablesoap.testsupport.ThreadCounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The callback executor: named daemon threads, a bounded pool in which a blocked callback
 * holds only its own thread, isolation of throwing callbacks, and shutdown.
 */
class CallbackExecutorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final CountDownLatch release = new CountDownLatch(1);

	private final CallbackExecutor executor = new CallbackExecutor(4);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.executor.close();
	}

	@Test
	void runsCallbacksOnNamedDaemonThreadsOfItsOwn() throws Exception {
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		CountDownLatch ran = new CountDownLatch(1);
		this.executor.execute(() -> {
			ranOn.set(Thread.currentThread());
			ran.countDown();
		});
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(ranOn.get().getName()).startsWith(this.executor.threadNamePrefix()).startsWith("soap-callback-");
		assertThat(ranOn.get().isDaemon()).isTrue();
		assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
	}

	@Test
	void aCallbackThatBlocksForEverDelaysNoneOfAThousandOthers() throws Exception {
		CountDownLatch blocked = new CountDownLatch(1);
		this.executor.execute(() -> {
			blocked.countDown();
			awaitQuietly(this.release);
		});
		assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
		CountDownLatch others = new CountDownLatch(1000);
		for (int i = 0; i < 1000; i++) {
			this.executor.execute(others::countDown);
		}
		assertThat(others.await(10, TimeUnit.SECONDS)).as("all others ran while one callback blocks").isTrue();
		assertThat(this.release.getCount()).as("the blocking callback is still blocked").isEqualTo(1);
	}

	@Test
	void neverRunsMoreThreadsThanItsMaximumAndQueuesTheRest() {
		for (int i = 0; i < 10; i++) {
			this.executor.execute(() -> awaitQuietly(this.release));
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(this.executor.active()).isEqualTo(4);
			assertThat(this.executor.queued()).isEqualTo(6);
		});
		assertThat(ThreadCounts.live(this.executor.threadNamePrefix())).isEqualTo(4);
		this.release.countDown();
		await().atMost(WAIT).until(() -> this.executor.active() == 0 && this.executor.queued() == 0);
	}

	@Test
	void aThrowingCallbackIsLoggedAndBreaksNothing() throws Exception {
		Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
		Logger logger = Logger.getLogger(CallbackExecutor.class.getName());
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord record) {
				records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		logger.addHandler(handler);
		try {
			CountDownLatch next = new CountDownLatch(8);
			for (int i = 0; i < 8; i++) {
				this.executor.execute(() -> {
					throw new IllegalStateException("callback bug");
				});
				this.executor.execute(next::countDown);
			}
			assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(records)
					.filteredOn((record) -> record.getLevel() == Level.WARNING && record.getThrown() != null
							&& "callback bug".equals(record.getThrown().getMessage()))
					.hasSize(8));
		}
		finally {
			logger.removeHandler(handler);
		}
	}

	@Test
	void closeEndsItsThreadsAndALateCallbackStillRunsOnAThreadOfItsOwn() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		this.executor.execute(ran::countDown);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		this.executor.close();
		assertThat(this.executor.isClosed()).isTrue();
		await().atMost(WAIT).until(() -> ThreadCounts.live(this.executor.threadNamePrefix()) == 0);
		AtomicReference<String> lateThread = new AtomicReference<>();
		CountDownLatch late = new CountDownLatch(1);
		this.executor.execute(() -> {
			lateThread.set(Thread.currentThread().getName());
			late.countDown();
		});
		assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(lateThread.get()).startsWith("soap-callback-late-");
	}

	@Test
	void closeIsBoundedWhenACallbackBlocksForEver() {
		CountDownLatch never = new CountDownLatch(1);
		this.executor.execute(() -> awaitQuietly(never));
		long start = System.nanoTime();
		this.executor.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.isLessThan(CallbackExecutor.CLOSE_WAIT.plus(Duration.ofSeconds(5)));
		// the blocked callback was interrupted
		await().atMost(WAIT).until(() -> ThreadCounts.live(this.executor.threadNamePrefix()) == 0);
	}

	@Test
	void refusesLessThanOneThread() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CallbackExecutor(0))
			.withMessageContaining("at least 1 thread");
		assertThat(CallbackExecutor.common().maxThreads()).isEqualTo(CallbackExecutor.DEFAULT_MAX_THREADS);
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
