package io.github.cancellablesoap.sample.service;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

	private volatile CountDownLatch stopped = new CountDownLatch(1);

	private volatile boolean running;

	/**
	 * Work on a report for the given delay.
	 * @param delay how long the report takes, at most {@link #MAX_DELAY}
	 * @return how long the work took
	 * @throws ReportInterruptedException when the application stopped or the thread was
	 * interrupted before the delay was over
	 */
	public Duration work(Duration delay) {
		if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
			throw new InvalidRequestException(
					"delayMs must be between 0 and " + MAX_DELAY.toMillis() + ", not " + delay.toMillis());
		}
		long start = System.nanoTime();
		try {
			if (this.stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new ReportInterruptedException("The report was stopped: the service is shutting down");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReportInterruptedException("The report was interrupted");
		}
		return Duration.ofNanos(System.nanoTime() - start);
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
