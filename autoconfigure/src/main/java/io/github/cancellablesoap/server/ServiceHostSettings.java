package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The immutable settings of one {@link ServiceHost}, validated on construction. Safe to
 * share between threads.
 * <p>
 * Defaults ({@link #of}): close timeout 5 s; abort grace 5 s (long enough for an endpoint
 * to notice its cancellation, roll back and answer; short enough that a shutdown is not
 * held up); at most 200 concurrent operations (Tomcat's default worker pool size: each
 * running operation holds one worker thread, so a larger limit would only queue in
 * Tomcat); serves unbound endpoints off.
 *
 * @param name the host's name: letters, digits, '-' and '_'
 * @param path the servlet path the host serves, starting with '/', for example
 * {@code /orders}
 * @param closeTimeout how long {@link ServiceHost#close()} lets running operations finish
 * before cancelling them
 * @param abortGrace how long an abort (or a close that timed out) waits for cancelled
 * operations to return before interrupting their threads
 * @param maxConcurrentOperations how many operations may run at once; requests beyond are
 * refused with HTTP 503 at once
 * @param servesUnboundEndpoints whether the host also serves endpoints that carry no
 * {@link HostedBy} annotation
 * @author Cancellable SOAP
 */
public record ServiceHostSettings(String name, String path, Duration closeTimeout, Duration abortGrace,
		int maxConcurrentOperations, boolean servesUnboundEndpoints) {

	/** The default close timeout. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** The default abort grace. */
	public static final Duration DEFAULT_ABORT_GRACE = Duration.ofSeconds(5);

	/** The default limit of concurrent operations. */
	public static final int DEFAULT_MAX_CONCURRENT_OPERATIONS = 200;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	/**
	 * Check the settings.
	 * @param name the host's name
	 * @param path the servlet path
	 * @param closeTimeout the close timeout
	 * @param abortGrace the abort grace
	 * @param maxConcurrentOperations the limit of concurrent operations
	 * @param servesUnboundEndpoints whether unannotated endpoints are served
	 */
	public ServiceHostSettings {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"A service host name must be 1 to 64 letters, digits, '-' or '_', not '" + name + "'");
		}
		if (!PATH.matcher(path).matches()) {
			throw new IllegalArgumentException("The path of service host '" + name
					+ "' must look like /orders or /soap/orders (no trailing slash, no wildcards), not '" + path + "'");
		}
		requirePositive(name, "close timeout", closeTimeout);
		requirePositive(name, "abort grace", abortGrace);
		if (maxConcurrentOperations < 1) {
			throw new IllegalArgumentException("The max concurrent operations of service host '" + name
					+ "' must be at least 1, not " + maxConcurrentOperations);
		}
	}

	private static void requirePositive(String name, String what, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					"The " + what + " of service host '" + name + "' must be positive, not " + value);
		}
	}

	/**
	 * Settings with the defaults.
	 * @param name the host's name
	 * @param path the servlet path
	 * @return the settings
	 */
	public static ServiceHostSettings of(String name, String path) {
		return new ServiceHostSettings(name, path, DEFAULT_CLOSE_TIMEOUT, DEFAULT_ABORT_GRACE,
				DEFAULT_MAX_CONCURRENT_OPERATIONS, false);
	}

	/**
	 * A copy with another close timeout.
	 * @param value the close timeout
	 * @return the new settings
	 */
	public ServiceHostSettings withCloseTimeout(Duration value) {
		return new ServiceHostSettings(this.name, this.path, value, this.abortGrace, this.maxConcurrentOperations,
				this.servesUnboundEndpoints);
	}

	/**
	 * A copy with another abort grace.
	 * @param value the abort grace
	 * @return the new settings
	 */
	public ServiceHostSettings withAbortGrace(Duration value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, value, this.maxConcurrentOperations,
				this.servesUnboundEndpoints);
	}

	/**
	 * A copy with another limit of concurrent operations.
	 * @param value the limit
	 * @return the new settings
	 */
	public ServiceHostSettings withMaxConcurrentOperations(int value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace, value,
				this.servesUnboundEndpoints);
	}

	/**
	 * A copy that does or does not serve unbound endpoints.
	 * @param value whether endpoints without {@link HostedBy} are served
	 * @return the new settings
	 */
	public ServiceHostSettings withServesUnboundEndpoints(boolean value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, value);
	}

	/**
	 * The servlet URL patterns that map the host's path: the path itself and everything
	 * below it.
	 * @return the patterns
	 */
	public List<String> urlMappings() {
		return List.of(this.path, this.path + "/*");
	}

}
