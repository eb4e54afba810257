package io.github.cancellablesoap.server.detect;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Detects a gone caller on Apache Tomcat by polling
 * {@link ServletInputStream#available()} of requests whose body was read completely in
 * non-blocking mode: Tomcat then tries a non-blocking read on the socket, which fails
 * when the peer closed, and reports one byte available (or throws).
 * <p>
 * This relies on Tomcat's behaviour (tested against Tomcat 11); on other containers it
 * may never fire. It is not safe with a client that pipelines its next request on the
 * same connection before the response: when the next request's bytes arrived with the end
 * of the body, Tomcat has already passed them to the body's reader, and the read that
 * {@code available()} starts discards them, so the next request is lost and Tomcat fails
 * to finish the exchange ({@code newPosition < 0}); when they arrive later, the caller is
 * taken for gone. SOAP clients do not pipeline; where the kernel's tables can be read,
 * {@link ProcNetTcpDetector} has neither problem. One daemon thread polls every watched
 * request each interval; one poll is one non-blocking {@code read} system call per
 * watched request.
 * <p>
 * Thread-safe. Call {@link #close()} to stop the polling thread.
 *
 * @author Cancellable SOAP
 */
public final class AvailableProbeDetector implements CallerGoneDetector, AutoCloseable {

	/** The default interval between polls. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

	private static final Log logger = LogFactory.getLog(AvailableProbeDetector.class);

	private static final AtomicInteger COUNT = new AtomicInteger();

	private final Set<Probe> probes = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService poller;

	/**
	 * Create a detector that polls every {@link #DEFAULT_INTERVAL}.
	 */
	public AvailableProbeDetector() {
		this(DEFAULT_INTERVAL);
	}

	/**
	 * Create a detector.
	 * @param interval the interval between polls
	 */
	public AvailableProbeDetector(Duration interval) {
		this.poller = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "soap-caller-probe-" + COUNT.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.poller.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public Watch watch(HttpServletRequest request, Runnable onGone) {
		ServletInputStream input;
		try {
			input = request.getInputStream();
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Cannot watch the request's connection", ex);
			return () -> {
			};
		}
		Probe probe = new Probe(input, onGone);
		this.probes.add(probe);
		return () -> {
			probe.close();
			this.probes.remove(probe);
		};
	}

	/**
	 * The number of requests being watched, for tests and diagnostics.
	 * @return the count
	 */
	public int watched() {
		return this.probes.size();
	}

	private void poll() {
		for (Probe probe : this.probes) {
			if (probe.isGone()) {
				this.probes.remove(probe);
				probe.fire();
			}
		}
	}

	/**
	 * Stop the polling thread.
	 */
	@Override
	public void close() {
		this.poller.shutdownNow();
		this.probes.clear();
	}

	private static final class Probe {

		private final ServletInputStream input;

		private @Nullable Runnable onGone;

		private boolean closed;

		Probe(ServletInputStream input, Runnable onGone) {
			this.input = input;
			this.onGone = onGone;
		}

		synchronized boolean isGone() {
			if (this.closed) {
				return false;
			}
			try {
				return this.input.available() > 0;
			}
			catch (IOException ex) {
				return true;
			}
			catch (RuntimeException ex) {
				// The probe runs beside the container's own threads; a state the
				// container
				// reports as an unchecked exception says nothing about the peer.
				logger.debug("Probe of a request's connection failed; taken as still there", ex);
				return false;
			}
		}

		void fire() {
			Runnable callback;
			synchronized (this) {
				callback = this.onGone;
				this.onGone = null;
				if (this.closed) {
					return;
				}
			}
			if (callback != null) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Caller-gone callback failed", ex);
				}
			}
		}

		synchronized void close() {
			this.closed = true;
			this.onGone = null;
		}

	}

}
