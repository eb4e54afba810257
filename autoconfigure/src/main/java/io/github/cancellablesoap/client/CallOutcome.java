package io.github.cancellablesoap.client;

/**
 * The terminal outcome of a service proxy call; exactly one is decided per call.
 *
 * @author Cancellable SOAP
 */
public enum CallOutcome {

	/** A response was received and handed to the caller. */
	COMPLETED,

	/** A SOAP fault was received. */
	FAULT,

	/** A transport or marshalling error ended the call. */
	FAILED,

	/**
	 * The caller was released by an abandon; the exchange may still run in the
	 * background.
	 */
	ABANDONED,

	/** The call's channel was aborted: its I/O was cancelled. */
	ABORTED,

	/** The call timeout passed before a response arrived. */
	TIMED_OUT,

	/**
	 * The call never started: the proxy was not open or its pending-call quota was full.
	 */
	REJECTED;

	/**
	 * Whether this outcome is a cancellation (the caller was released before a response).
	 * @return {@code true} for abandoned, aborted and timed out calls
	 */
	public boolean isCancellation() {
		return this == ABANDONED || this == ABORTED || this == TIMED_OUT;
	}

}
