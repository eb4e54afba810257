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
 */
final class CallDeadline {

	/**
	 * The longest timeout a call keeps (about 73 years); longer ones are cut to it, so
	 * that deadline arithmetic on the monotonic clock cannot overflow.
	 */
	static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

	private final Ticker ticker;

	private final Duration timeout;

	private final long startNanos;

	private final Instant startTime;

	private final long deadlineNanos;

	CallDeadline(Ticker ticker, Duration timeout) {
		this.ticker = ticker;
		this.timeout = timeout;
		this.startNanos = ticker.nanoTime();
		this.startTime = Instant.now();
		this.deadlineNanos = this.startNanos + timeoutNanos(timeout);
	}

	private static long timeoutNanos(Duration timeout) {
		if (timeout.getSeconds() >= MAX_TIMEOUT_NANOS / 1_000_000_000L) {
			return MAX_TIMEOUT_NANOS;
		}
		return timeout.toNanos();
	}

	Duration timeout() {
		return this.timeout;
	}

	long startNanos() {
		return this.startNanos;
	}

	Instant startTime() {
		return this.startTime;
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
