package io.github.cancellablesoap.server.detect;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Watches the connection of a request being served and reports when the client has closed
 * it.
 * <p>
 * Where detection is available: {@link AvailableProbeDetector} on Apache Tomcat (the
 * default embedded server), {@link ProcNetTcpDetector} on any container on Linux. Jetty
 * and Undertow on other systems have no working detector; there {@link #NONE} is used and
 * a caller that goes away is only noticed when the response is written. (Jetty and
 * Undertow were not tested: the {@code available()} probe relies on Tomcat's behaviour.)
 * <p>
 * Both detectors watch HTTP/1.1 connections; an HTTP/2 stream's cancellation is not
 * detected. A client that half-closes its sending side after the request, while still
 * waiting for the response, is taken for gone by both.
 * <p>
 * Implementations must be thread-safe.
 *
 * @author Cancellable SOAP
 */
@FunctionalInterface
public interface CallerGoneDetector {

	/** A detector that never detects anything. */
	CallerGoneDetector NONE = (request, onGone) -> () -> {
	};

	/**
	 * Start watching the connection of a request. Called on the serving thread after the
	 * request body was read completely through a {@link jakarta.servlet.ReadListener
	 * ReadListener}, so the request is in asynchronous, non-blocking mode.
	 * @param request the request, as the container handed it over
	 * @param onGone what to run, at most once and on a thread of the detector, when the
	 * client is gone; it must be short
	 * @return the watch; {@link Watch#cancel()} must be called before the request
	 * completes
	 */
	Watch watch(HttpServletRequest request, Runnable onGone);

	/**
	 * A running watch.
	 */
	@FunctionalInterface
	interface Watch {

		/**
		 * Stop watching. Once this returns the detector no longer touches the request and
		 * starts no callback; one that already started may still be running, so the
		 * callback must be harmless after the request ended.
		 */
		void cancel();

	}

}
