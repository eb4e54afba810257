package io.github.cancellablesoap.client;

/**
 * What a proxy does to a call's I/O when the call timeout passes.
 *
 * @author Cancellable SOAP
 */
public enum TimeoutAction {

	/** Cancel the exchange and close its socket (the default). */
	ABORT,

	/**
	 * Release the caller only; the exchange goes on as an abandoned call, as in WWSAPI.
	 */
	ABANDON

}
