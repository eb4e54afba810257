package io.github.cancellablesoap.client;

/**
 * Where a call is in its exchange; reported in {@link CallInfo} snapshots.
 *
 * @author Cancellable SOAP
 */
public enum CallPhase {

	/** The caller is building and marshalling the request; no I/O has started. */
	PREPARING,

	/** A connection is being leased or opened. */
	CONNECTING,

	/** The request is being written. */
	SENDING,

	/** The request was sent; the response headers have not arrived. */
	WAITING_FOR_RESPONSE,

	/** The response is being received. */
	RECEIVING,

	/** The response arrived; the caller is reading it. */
	PROCESSING

}
