package io.github.cancellablesoap.server;

/**
 * Why a running operation was cancelled.
 *
 * @author Cancellable SOAP
 */
public enum CancelReason {

	/** Its host was aborted. */
	HOST_ABORTED,

	/** Its host was closed and the operation did not finish within the close timeout. */
	HOST_CLOSE_TIMED_OUT,

	/** The caller's connection closed while the operation ran. */
	CALLER_GONE,

	/** The caller told the host that it gave up on the call. */
	CALLER_CANCELLED,

	/** The time budget the caller sent ran out. */
	DEADLINE_EXCEEDED,

	/** An operator cancelled the operation. */
	OPERATOR

}
