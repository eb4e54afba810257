package io.github.cancellablesoap.server;

/**
 * How a request to a service host ended; exactly one is decided per request, and it is
 * what the caller saw.
 *
 * @author Cancellable SOAP
 */
public enum OperationOutcome {

	/** The endpoint answered with a normal response. */
	COMPLETED,

	/**
	 * The endpoint answered with a SOAP fault (typically an endpoint exception that an
	 * exception resolver turned into a fault).
	 */
	FAULT,

	/**
	 * The operation was cancelled (see {@link CancelReason}) before its answer was
	 * decided: the caller got the cancellation fault, or nothing when it had gone.
	 */
	CANCELLED,

	/**
	 * The request could not be served: no endpoint of the host maps it, the request could
	 * not be read, the endpoint threw an exception no resolver handled, or the answer
	 * could not be written.
	 */
	FAILED,

	/**
	 * The request was refused with HTTP 503 and the rejection fault: the host or its
	 * listener was not open or the host was at its maximum of concurrent operations, at
	 * admission (never admitted) or while its body was still being received.
	 */
	REJECTED

}
