package io.github.cancellablesoap.server.detect;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private final PolledWatches<ServletInputStream> probes;

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
		this.probes = new PolledWatches<>("soap-caller-probe", interval,
				(probes) -> probes.fireGone(probes.snapshot(), AvailableProbeDetector::isGone));
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
		return this.probes.add(input, onGone);
	}

	/**
	 * The number of requests being watched, for tests and diagnostics.
	 * @return the count
	 */
	public int watched() {
		return this.probes.size();
	}

	private static boolean isGone(ServletInputStream input) {
		try {
			return input.available() > 0;
		}
		catch (IOException ex) {
			return true;
		}
		catch (RuntimeException ex) {
			// the probe runs beside the container's own threads; a state the container
			// reports as an unchecked exception says nothing about the peer
			logger.debug("Probe of a request's connection failed; taken as still there", ex);
			return false;
		}
	}

	/**
	 * Stop the polling thread.
	 */
	@Override
	public void close() {
		this.probes.close();
	}

}
