package io.github.cancellablesoap.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.core.Ticker;

/**
 * When a call started and when its timeout runs out, on the proxy's monotonic
 * {@link Ticker}; the wall-clock start is kept only for display.
 * <p>
 * Immutable and thread-safe.
 *
 * @param ticker the clock
 * @param timeout the call timeout
 * @param startNanos when the call started, on the ticker
 * @param startTime when the call started, on the wall clock
 * @param deadlineNanos when the call times out, on the ticker
 */
record CallDeadline(Ticker ticker, Duration timeout, long startNanos, Instant startTime, long deadlineNanos) {

	/**
	 * The longest timeout a call keeps (about 73 years); longer ones are cut to it, so
	 * that deadline arithmetic on the monotonic clock cannot overflow.
	 */
	static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

	/**
	 * Start the clock on a call.
	 * @param ticker the clock
	 * @param timeout the call timeout
	 * @return the deadline
	 */
	static CallDeadline start(Ticker ticker, Duration timeout) {
		long now = ticker.nanoTime();
		return new CallDeadline(ticker, timeout, now, Instant.now(), now + timeoutNanos(timeout));
	}

	private static long timeoutNanos(Duration timeout) {
		if (timeout.getSeconds() >= MAX_TIMEOUT_NANOS / 1_000_000_000L) {
			return MAX_TIMEOUT_NANOS;
		}
		return timeout.toNanos();
	}

	/**
	 * The time left, which is zero or negative once the deadline passed.
	 * @return nanoseconds
	 */
	long untilNanos() {
		return this.deadlineNanos - this.ticker.nanoTime();
	}

	boolean passed() {
		return untilNanos() <= 0;
	}

	/**
	 * The time left before the call times out.
	 * @return nanoseconds, at least 1
	 */
	long remainingNanos() {
		return Math.max(1, untilNanos());
	}

	/**
	 * The time left before the call times out.
	 * @return milliseconds, at least 1
	 */
	long remainingMillis() {
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilNanos()));
	}

	Duration elapsed(long nowNanos) {
		return Duration.ofNanos(nowNanos - this.startNanos);
	}

}
