package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.cancellablesoap.test.ThreadCounts;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The callback executor: named daemon threads, a bounded pool in which a blocked callback
 * holds only its own thread, isolation of throwing callbacks, and shutdown.
 */
@ExtendWith(OutputCaptureExtension.class)
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
	void aThrowingCallbackIsLoggedAndBreaksNothing(CapturedOutput output) throws Exception {
		CountDownLatch next = new CountDownLatch(8);
		for (int i = 0; i < 8; i++) {
			int n = i;
			this.executor.execute(() -> {
				throw new IllegalStateException("callback bug " + n);
			});
			this.executor.execute(next::countDown);
		}
		assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(WAIT).untilAsserted(() -> {
			for (int i = 0; i < 8; i++) {
				assertThat(output.getOut()).contains("java.lang.IllegalStateException: callback bug " + i);
			}
			assertThat(output.getOut().split("WARN.*Callback failed", -1)).hasSize(9);
		});
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
