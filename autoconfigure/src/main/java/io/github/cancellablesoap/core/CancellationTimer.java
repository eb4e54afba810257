package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs deferred cancellations (hard limits on abandoned I/O, bounded waits) on one daemon
 * thread. A scheduled task that is cancelled leaves the queue at once, so many
 * short-lived schedules cost no memory.
 * <p>
 * Thread-safe: {@link #schedule} and {@link #shutdown} may be called from any thread.
 * Tasks must be short and must not block: they run one after the other on the timer
 * thread.
 *
 * @author Cancellable SOAP
 */
public final class CancellationTimer {

	private static final AtomicInteger COUNT = new AtomicInteger();

	private final ScheduledThreadPoolExecutor executor;

	/**
	 * Create a timer with its own daemon thread.
	 * @param name what the timer serves, used in its thread's name
	 */
	public CancellationTimer(String name) {
		this.executor = new ScheduledThreadPoolExecutor(1, ProductThreads.factory("soap-timer-" + name + "-", COUNT));
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Run a task once after a delay.
	 * @param task what to run; an exception it throws is dropped
	 * @param delay how long to wait; a delay too long to count in nanoseconds (about 292
	 * years) waits for ever, a negative one runs the task at once
	 * @return a handle whose {@code cancel} stops the task from running
	 */
	public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.executor.schedule(task, saturatedNanos(delay), TimeUnit.NANOSECONDS);
	}

	/**
	 * A delay in nanoseconds that never overflows: {@link Duration#toNanos()} throws for
	 * a duration beyond what a long counts, which a peer's header can reach.
	 * @param delay the delay
	 * @return the delay in nanoseconds, saturated at {@link Long#MAX_VALUE} and at 0
	 */
	static long saturatedNanos(Duration delay) {
		if (delay.isNegative()) {
			return 0;
		}
		if (delay.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
			return Long.MAX_VALUE;
		}
		return delay.toNanos();
	}

	/**
	 * The number of tasks waiting to run, for tests and diagnostics.
	 * @return the queue length
	 */
	public int queued() {
		return this.executor.getQueue().size();
	}

	/**
	 * Stop the timer thread; tasks not yet run are dropped.
	 */
	public void shutdown() {
		this.executor.shutdownNow();
	}

}
