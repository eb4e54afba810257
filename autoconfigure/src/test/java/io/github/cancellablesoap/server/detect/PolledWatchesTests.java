package io.github.cancellablesoap.server.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bookkeeping both polling detectors share, raced from many threads against a poller
 * that runs every millisecond: a cancelled watch is never judged again, a callback runs
 * at most once, a target that is gone and stays watched fires exactly once, and nothing
 * stays watched.
 */
class PolledWatchesTests {

	private static final int THREADS = 8;

	private static final int WATCHES_PER_THREAD = 400;

	private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void stop() {
		this.threads.shutdownNow();
	}

	@Test
	void cancelAndPollRaceWithoutLateJudgementsOrSecondCallbacks() throws Exception {
		try (PolledWatches<Target> watches = polling(Target::judge)) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<List<Target>>> workers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				workers.add(this.threads.submit(() -> {
					start.await();
					List<Target> targets = new ArrayList<>();
					for (int i = 0; i < WATCHES_PER_THREAD; i++) {
						Target target = new Target(i % 3);
						targets.add(target);
						CallerGoneDetector.Watch watch = watches.add(target, target.fired::incrementAndGet);
						if (target.kind != Target.STAYS_WATCHED) {
							target.gone.set(target.kind == Target.GONE_THEN_CANCELLED);
							watch.cancel();
							target.cancelled = true;
						}
						else {
							target.gone.set(true);
						}
					}
					return targets;
				}));
			}
			start.countDown();
			List<Target> all = new ArrayList<>();
			for (Future<List<Target>> worker : workers) {
				all.addAll(worker.get(30, TimeUnit.SECONDS));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> watches.size() == 0);
			for (Target target : all) {
				assertThat(target.judgedAfterCancel).as("judged after its watch was cancelled").hasValue(0);
				assertThat(target.fired.get()).as("callbacks of one watch").isLessThanOrEqualTo(1);
				if (target.kind == Target.STAYS_WATCHED) {
					assertThat(target.fired).as("a gone target that stays watched fires").hasValue(1);
				}
				if (target.kind == Target.CANCELLED_WHILE_THERE) {
					assertThat(target.fired).as("a target that never went fires nothing").hasValue(0);
				}
			}
		}
	}

	@Test
	void aCallbackThatThrowsBreaksNeitherThePollerNorTheOtherWatches() {
		try (PolledWatches<AtomicBoolean> watches = polling(AtomicBoolean::get)) {
			AtomicInteger fired = new AtomicInteger();
			watches.add(new AtomicBoolean(true), () -> {
				throw new IllegalStateException("callback bug");
			});
			await().atMost(Duration.ofSeconds(5)).until(() -> watches.size() == 0);
			AtomicBoolean later = new AtomicBoolean();
			watches.add(later, fired::incrementAndGet);
			later.set(true);
			await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
			assertThat(watches.size()).isZero();
		}
	}

	@Test
	void aPollThatThrowsDoesNotStopTheLaterOnes() {
		AtomicInteger polls = new AtomicInteger();
		try (PolledWatches<Object> watches = new PolledWatches<>("test-poller", Duration.ofMillis(1), (ignored) -> {
			if (polls.incrementAndGet() == 1) {
				throw new IllegalStateException("poll bug");
			}
		})) {
			await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() >= 3);
		}
	}

	/**
	 * Watches polled every millisecond, each poll judging every watch with a predicate.
	 */
	private static <T> PolledWatches<T> polling(Predicate<T> gone) {
		return new PolledWatches<>("test-poller", Duration.ofMillis(1),
				(watches) -> watches.fireGone(watches.snapshot(), gone));
	}

	private static final class Target {

		static final int STAYS_WATCHED = 0;

		static final int GONE_THEN_CANCELLED = 1;

		static final int CANCELLED_WHILE_THERE = 2;

		final int kind;

		final AtomicBoolean gone = new AtomicBoolean();

		final AtomicInteger fired = new AtomicInteger();

		final AtomicInteger judgedAfterCancel = new AtomicInteger();

		volatile boolean cancelled;

		Target(int kind) {
			this.kind = kind;
		}

		boolean judge() {
			if (this.cancelled) {
				this.judgedAfterCancel.incrementAndGet();
			}
			return this.gone.get();
		}

	}

}
