package io.github.cancellablesoap.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.core.XmlStructureGuard;

/**
 * The immutable settings of one {@link ServiceHost}, validated on construction. Safe to
 * share between threads.
 * <p>
 * Defaults ({@link #of}): close timeout 5 s; abort grace 5 s (long enough for an endpoint
 * to notice its cancellation, roll back and answer; short enough that a shutdown is not
 * held up); at most 200 concurrent operations (Tomcat's default worker pool size: each
 * running operation holds one worker thread, so a larger limit would only queue in
 * Tomcat); serves unbound endpoints off; request bodies of at most 10 MB; at most 500
 * request bodies being received at once (they hold no thread, only their bytes so far:
 * the intake's memory is bounded by this count times the maximum request size); 30 s for
 * a request body to arrive; callers' time budgets cut to 1 hour; XML nested at most 256
 * elements deep; rejections answered with HTTP 503 and {@code Retry-After: 1}, and the
 * application's only WSDL definition published ({@link HostWire#DEFAULT}).
 *
 * @param name the host's name: 1 to 63 letters, digits, '.', '_' or '-', starting with a
 * letter or digit ({@link Names})
 * @param path the servlet path the host serves, starting with '/', for example
 * {@code /orders}
 * @param closeTimeout how long {@link ServiceHost#close()} lets running operations finish
 * before cancelling them
 * @param abortGrace how long an abort (or a close that timed out) waits for cancelled
 * operations to return before interrupting their threads
 * @param maxConcurrentOperations how many operations may run (execute their endpoint) at
 * once; requests beyond are refused with HTTP 503
 * @param servesUnboundEndpoints whether the host also serves endpoints that carry no
 * {@link HostedBy} annotation
 * @param maxRequestBytes the largest request body accepted, in bytes; larger ones are
 * refused with HTTP 413 as soon as their declared length or their bytes so far exceed it
 * @param maxReceivingRequests how many request bodies may be in the course of arriving at
 * once; requests beyond are refused with HTTP 503
 * @param requestBodyTimeout how long a request body may take to arrive in full; a slower
 * one is refused with HTTP 408 and its connection closed
 * @param maxCallTimeout the longest deadline a caller's time budget
 * ({@code Soap-Call-Timeout}) can give an operation; a longer budget is cut to it
 * @param maxXmlDepth the deepest element nesting a request may have; a deeper one is
 * refused with HTTP 400 while it arrives
 * @param wire how the host answers beyond SOAP itself: the status of its rejections and
 * the WSDL it publishes
 * @author Cancellable SOAP
 */
public record ServiceHostSettings(String name, String path, Duration closeTimeout, Duration abortGrace,
		int maxConcurrentOperations, boolean servesUnboundEndpoints, long maxRequestBytes, int maxReceivingRequests,
		Duration requestBodyTimeout, Duration maxCallTimeout, int maxXmlDepth, HostWire wire) {

	/** The default close timeout. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** The default abort grace. */
	public static final Duration DEFAULT_ABORT_GRACE = Duration.ofSeconds(5);

	/** The default limit of concurrent operations. */
	public static final int DEFAULT_MAX_CONCURRENT_OPERATIONS = 200;

	/** The default largest request body: 10 MB. */
	public static final long DEFAULT_MAX_REQUEST_BYTES = 10L * 1024 * 1024;

	/** The default limit of request bodies being received at once. */
	public static final int DEFAULT_MAX_RECEIVING_REQUESTS = 500;

	/** The default time a request body may take to arrive. */
	public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);

	/** The default longest deadline a caller's budget can give. */
	public static final Duration DEFAULT_MAX_CALL_TIMEOUT = Duration.ofHours(1);

	/** The default deepest element nesting of a request. */
	public static final int DEFAULT_MAX_XML_DEPTH = XmlStructureGuard.DEFAULT_MAX_DEPTH;

	/** The largest request body that can be configured: what one byte array holds. */
	public static final long MAX_REQUEST_BYTES_LIMIT = Integer.MAX_VALUE - 8;

	/**
	 * Check the settings.
	 * @param name the host's name
	 * @param path the servlet path
	 * @param closeTimeout the close timeout
	 * @param abortGrace the abort grace
	 * @param maxConcurrentOperations the limit of concurrent operations
	 * @param servesUnboundEndpoints whether unannotated endpoints are served
	 * @param maxRequestBytes the largest request body
	 * @param maxReceivingRequests the limit of request bodies being received
	 * @param requestBodyTimeout the time a request body may take to arrive
	 * @param maxCallTimeout the longest deadline a caller's budget can give
	 * @param maxXmlDepth the deepest element nesting of a request
	 * @param wire the status of rejections and the WSDL published
	 */
	public ServiceHostSettings {
		Objects.requireNonNull(wire, "wire");
		Names.requireName("service host", name);
		Names.requirePath(name, path);
		requirePositive(name, "close timeout", closeTimeout);
		requirePositive(name, "abort grace", abortGrace);
		requirePositive(name, "request body timeout", requestBodyTimeout);
		requirePositive(name, "max call timeout", maxCallTimeout);
		requireAtLeastOne(name, "max concurrent operations", maxConcurrentOperations);
		requireAtLeastOne(name, "max receiving requests", maxReceivingRequests);
		requireAtLeastOne(name, "max XML depth", maxXmlDepth);
		if (maxRequestBytes < 1 || maxRequestBytes > MAX_REQUEST_BYTES_LIMIT) {
			throw new IllegalArgumentException("The max request size of service host '" + name
					+ "' must be between 1 and " + MAX_REQUEST_BYTES_LIMIT + " bytes, not " + maxRequestBytes);
		}
	}

	private static void requirePositive(String name, String what, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					"The " + what + " of service host '" + name + "' must be positive, not " + value);
		}
	}

	private static void requireAtLeastOne(String name, String what, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(
					"The " + what + " of service host '" + name + "' must be at least 1, not " + value);
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
				DEFAULT_MAX_CONCURRENT_OPERATIONS, false, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RECEIVING_REQUESTS,
				DEFAULT_REQUEST_BODY_TIMEOUT, DEFAULT_MAX_CALL_TIMEOUT, DEFAULT_MAX_XML_DEPTH, HostWire.DEFAULT);
	}

	/**
	 * A copy with another close timeout.
	 * @param value the close timeout
	 * @return the new settings
	 */
	public ServiceHostSettings withCloseTimeout(Duration value) {
		return new ServiceHostSettings(this.name, this.path, value, this.abortGrace, this.maxConcurrentOperations,
				this.servesUnboundEndpoints, this.maxRequestBytes, this.maxReceivingRequests, this.requestBodyTimeout,
				this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another abort grace.
	 * @param value the abort grace
	 * @return the new settings
	 */
	public ServiceHostSettings withAbortGrace(Duration value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, value, this.maxConcurrentOperations,
				this.servesUnboundEndpoints, this.maxRequestBytes, this.maxReceivingRequests, this.requestBodyTimeout,
				this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another limit of concurrent operations.
	 * @param value the limit
	 * @return the new settings
	 */
	public ServiceHostSettings withMaxConcurrentOperations(int value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace, value,
				this.servesUnboundEndpoints, this.maxRequestBytes, this.maxReceivingRequests, this.requestBodyTimeout,
				this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy that does or does not serve unbound endpoints.
	 * @param value whether endpoints without {@link HostedBy} are served
	 * @return the new settings
	 */
	public ServiceHostSettings withServesUnboundEndpoints(boolean value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, value, this.maxRequestBytes, this.maxReceivingRequests,
				this.requestBodyTimeout, this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another largest request body.
	 * @param value the largest request body in bytes
	 * @return the new settings
	 */
	public ServiceHostSettings withMaxRequestBytes(long value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, this.servesUnboundEndpoints, value, this.maxReceivingRequests,
				this.requestBodyTimeout, this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another limit of request bodies being received.
	 * @param value the limit
	 * @return the new settings
	 */
	public ServiceHostSettings withMaxReceivingRequests(int value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, this.servesUnboundEndpoints, this.maxRequestBytes, value,
				this.requestBodyTimeout, this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another time a request body may take to arrive.
	 * @param value the timeout
	 * @return the new settings
	 */
	public ServiceHostSettings withRequestBodyTimeout(Duration value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, this.servesUnboundEndpoints, this.maxRequestBytes,
				this.maxReceivingRequests, value, this.maxCallTimeout, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another longest deadline a caller's budget can give.
	 * @param value the longest deadline
	 * @return the new settings
	 */
	public ServiceHostSettings withMaxCallTimeout(Duration value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, this.servesUnboundEndpoints, this.maxRequestBytes,
				this.maxReceivingRequests, this.requestBodyTimeout, value, this.maxXmlDepth, this.wire);
	}

	/**
	 * A copy with another deepest element nesting.
	 * @param value the deepest nesting
	 * @return the new settings
	 */
	public ServiceHostSettings withMaxXmlDepth(int value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, this.servesUnboundEndpoints, this.maxRequestBytes,
				this.maxReceivingRequests, this.requestBodyTimeout, this.maxCallTimeout, value, this.wire);
	}

	/**
	 * A copy with another status of rejections, Retry-After and published WSDL.
	 * @param value the new wire settings
	 * @return the new settings
	 */
	public ServiceHostSettings withWire(HostWire value) {
		return new ServiceHostSettings(this.name, this.path, this.closeTimeout, this.abortGrace,
				this.maxConcurrentOperations, this.servesUnboundEndpoints, this.maxRequestBytes,
				this.maxReceivingRequests, this.requestBodyTimeout, this.maxCallTimeout, this.maxXmlDepth, value);
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
