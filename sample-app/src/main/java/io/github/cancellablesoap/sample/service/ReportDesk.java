package io.github.cancellablesoap.sample.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.cancellablesoap.server.CancelReason;
import io.github.cancellablesoap.server.OperationContext;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Does the slow work behind {@code GetReport}: it waits for the requested delay, unless
 * the application stops first.
 * <p>
 * It stops before the web server's graceful shutdown, so that pending reports end at once
 * with a fault instead of holding the shutdown for up to their full delay.
 * <p>
 * Thread-safe: any number of threads may wait in {@link #work} while another stops the
 * desk.
 *
 * @author Cancellable SOAP
 */
@Component
public class ReportDesk implements SmartLifecycle {

	/** The longest delay a report may ask for. */
	public static final Duration MAX_DELAY = Duration.ofSeconds(120);

	private final Deque<Cancellation> cancellations = new ArrayDeque<>();

	private volatile CountDownLatch stopped = new CountDownLatch(1);

	private volatile boolean running;

	/**
	 * Work on a report for the given delay, or until the operation is cancelled.
	 * @param delay how long the report takes, at most {@link #MAX_DELAY}
	 * @param operation the operation serving the request: its cancellation ends the work
	 * @return how long the work took
	 * @throws ReportInterruptedException when the operation was cancelled, the
	 * application stopped or the thread was interrupted before the delay was over
	 */
	public Duration work(Duration delay, OperationContext operation) {
		if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
			throw new InvalidRequestException(
					"delayMs must be between 0 and " + MAX_DELAY.toMillis() + ", not " + delay.toMillis());
		}
		long start = System.nanoTime();
		CountDownLatch cancelled = new CountDownLatch(1);
		operation.onCancel((reason) -> {
			record(operation, reason);
			cancelled.countDown();
		});
		CountDownLatch stop = this.stopped;
		try {
			long deadline = start + delay.toNanos();
			while (cancelled.getCount() > 0 && stop.getCount() > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return Duration.ofNanos(System.nanoTime() - start);
				}
				// Wake up at least every 50 ms to notice a shutdown as well as a
				// cancellation.
				cancelled.await(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReportInterruptedException("The report was interrupted");
		}
		if (cancelled.getCount() == 0) {
			throw new ReportInterruptedException(
					"The report was cancelled: " + operation.cancelReason().map(Enum::name).orElse("unknown reason"));
		}
		throw new ReportInterruptedException("The report was stopped: the service is shutting down");
	}

	/**
	 * The last cancellations this desk saw, newest first.
	 * @return an immutable snapshot
	 */
	public List<Cancellation> cancellations() {
		synchronized (this.cancellations) {
			return List.copyOf(this.cancellations);
		}
	}

	private void record(OperationContext operation, CancelReason reason) {
		Cancellation cancellation = new Cancellation(operation.operationId(), operation.callerCallId().orElse(null),
				reason, Instant.now());
		synchronized (this.cancellations) {
			this.cancellations.addFirst(cancellation);
			while (this.cancellations.size() > 50) {
				this.cancellations.removeLast();
			}
		}
	}

	/**
	 * A report operation that was cancelled.
	 *
	 * @param operationId the server operation id
	 * @param callerCallId the caller's call id, when the caller sent one
	 * @param reason why it was cancelled
	 * @param at when
	 */
	public record Cancellation(String operationId, @Nullable String callerCallId, CancelReason reason, Instant at) {

	}

	@Override
	public void start() {
		this.stopped = new CountDownLatch(1);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.stopped.countDown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stop before the service proxy closes and before the web server drains requests.
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512;
	}

}
