package io.github.cancellablesoap.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelCloseTests {

	@Test
	void runsTheClosesAtOnceOnNamedDaemonThreadsAndWaitsForAll() throws Exception {
		int count = 4;
		CountDownLatch started = new CountDownLatch(count);
		CountDownLatch release = new CountDownLatch(1);
		List<Thread> threads = new CopyOnWriteArrayList<>();
		AtomicInteger closed = new AtomicInteger();
		Map<String, Runnable> closes = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			closes.put("proxy '" + i + "'", () -> {
				threads.add(Thread.currentThread());
				started.countDown();
				await(release);
				closed.incrementAndGet();
			});
		}
		CompletableFuture<Void> run = CompletableFuture.runAsync(() -> ParallelClose.run("soap-test-close", closes));
		assertThat(started.await(5, TimeUnit.SECONDS)).as("all closes run at the same time").isTrue();
		assertThat(run).isNotDone();
		release.countDown();
		run.get(5, TimeUnit.SECONDS);
		assertThat(closed).hasValue(count);
		assertThat(threads).hasSize(count).allSatisfy((thread) -> {
			assertThat(thread.isDaemon()).isTrue();
			assertThat(thread.getName()).startsWith("soap-test-close-");
		});
		assertThat(threads.stream().distinct()).hasSize(count);
	}

	@Test
	void runsAtMostItsBoundOfClosesAtOnceAndTheRestAfterThem() throws Exception {
		int count = ParallelClose.MAX_THREADS * 2 + 3;
		CountDownLatch started = new CountDownLatch(ParallelClose.MAX_THREADS);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostRunning = new AtomicInteger();
		AtomicInteger entered = new AtomicInteger();
		AtomicInteger closed = new AtomicInteger();
		Map<String, Runnable> closes = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			closes.put("host '" + i + "'", () -> {
				entered.incrementAndGet();
				mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
				started.countDown();
				await(release);
				running.decrementAndGet();
				closed.incrementAndGet();
			});
		}
		CompletableFuture<Void> run = CompletableFuture.runAsync(() -> ParallelClose.run("soap-test-close", closes));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(entered).as("the others wait for a thread").hasValue(ParallelClose.MAX_THREADS);
		release.countDown();
		run.get(10, TimeUnit.SECONDS);
		assertThat(closed).hasValue(count);
		assertThat(mostRunning).hasValue(ParallelClose.MAX_THREADS);
	}

	@Test
	void aCloseThatThrowsStopsNoOther() {
		AtomicInteger closed = new AtomicInteger();
		Map<String, Runnable> closes = new LinkedHashMap<>();
		closes.put("proxy 'a'", () -> {
			throw new IllegalStateException("boom");
		});
		closes.put("proxy 'b'", closed::incrementAndGet);
		closes.put("proxy 'c'", closed::incrementAndGet);
		ParallelClose.run("soap-test-close", closes);
		assertThat(closed).hasValue(2);
	}

	@Test
	void anInterruptOfTheWaitingThreadIsKeptAndTheWaitGoesOn() {
		AtomicInteger closed = new AtomicInteger();
		Thread.currentThread().interrupt();
		try {
			ParallelClose.run("soap-test-close",
					Map.of("proxy 'a'", closed::incrementAndGet, "proxy 'b'", closed::incrementAndGet));
			assertThat(closed).hasValue(2);
		}
		finally {
			assertThat(Thread.interrupted()).isTrue();
		}
	}

	@Test
	void startReturnsAtOnceAndCompletesWhenTheLastCloseReturned() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> all = ParallelClose.start("soap-test-close",
				Map.of("host 'a'", () -> await(release), "host 'b'", () -> {
				}));
		assertThat(all).isNotDone();
		release.countDown();
		all.get(5, TimeUnit.SECONDS);
		assertThat(ParallelClose.start("soap-test-close", Map.of())).isDone();
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
