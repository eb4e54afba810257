package io.github.cancellablesoap.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ThreadCounts}.
 */
class ThreadCountsTests {

	@Test
	void liveCountsRunningThreadsByNamePrefixOnly() throws InterruptedException {
		String prefix = "thread-counts-test-" + System.nanoTime() + "-";
		CountDownLatch stop = new CountDownLatch(1);
		Thread first = new Thread(() -> awaitQuietly(stop), prefix + "a");
		Thread second = new Thread(() -> awaitQuietly(stop), prefix + "b");
		Thread notStarted = new Thread(() -> awaitQuietly(stop), prefix + "c");
		first.start();
		second.start();
		try {
			assertThat(ThreadCounts.live(prefix)).isEqualTo(2);
			assertThat(ThreadCounts.liveNames(prefix)).containsExactly(prefix + "a", prefix + "b");
			assertThat(ThreadCounts.live(prefix + "a")).isOne();
		}
		finally {
			stop.countDown();
			first.join(TimeUnit.SECONDS.toMillis(5));
			second.join(TimeUnit.SECONDS.toMillis(5));
		}

		assertThat(ThreadCounts.live(prefix)).isZero();
		assertThat(notStarted.isAlive()).isFalse();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
