package io.github.cancellablesoap.core;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delays of any length, however a peer's header made them, schedule without throwing.
 */
class CancellationTimerTests {

	@AutoClose("shutdown")
	private final CancellationTimer timer = new CancellationTimer("test");

	@Test
	void aDelayTooLongToCountInNanosecondsWaitsForEver() {
		for (Duration delay : new Duration[] { Duration.ofMillis(9_999_999_999_999L), Duration.ofMillis(Long.MAX_VALUE),
				Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), ChronoUnit.FOREVER.getDuration() }) {
			ScheduledFuture<?> task = this.timer.schedule(() -> {
			}, delay);
			// more than a century: Java 17's executor keeps about 292 years
			// (Long.MAX_VALUE
			// nanoseconds), Java 25's half of that; neither wraps round to "run now"
			assertThat(task.getDelay(TimeUnit.DAYS)).as(delay.toString()).isGreaterThan(365L * 100);
			task.cancel(false);
		}
		assertThat(this.timer.queued()).isZero();
	}

	@Test
	void aNegativeDelayRunsAtOnce() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(2);
		this.timer.schedule(ran::countDown, Duration.ofSeconds(-5));
		this.timer.schedule(ran::countDown, Duration.ofSeconds(Long.MIN_VALUE));
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void saturatesAtTheEdgesOfWhatALongCounts() {
		assertThat(CancellationTimer.saturatedNanos(Duration.ofNanos(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
		assertThat(CancellationTimer.saturatedNanos(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)))
			.isEqualTo(Long.MAX_VALUE);
		assertThat(CancellationTimer.saturatedNanos(Duration.ofSeconds(1))).isEqualTo(1_000_000_000L);
		assertThat(CancellationTimer.saturatedNanos(Duration.ZERO)).isZero();
	}

}
