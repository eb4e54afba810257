package io.github.cancellablesoap.client;

/**
 * The lifecycle states of a {@link ServiceProxy}, after the WWSAPI service proxy state
 * machine.
 *
 * @author Cancellable SOAP
 */
public enum ProxyState {

	/** Built but not opened: calls are rejected. */
	CREATED,

	/** Being opened: calls are rejected. */
	OPENING,

	/** Accepting calls. */
	OPEN,

	/** Closing gracefully: new calls are rejected while pending ones drain. */
	CLOSING,

	/** Closed: calls are rejected until {@link ServiceProxy#reset()}. */
	CLOSED,

	/** Aborted: calls are rejected until {@link ServiceProxy#reset()}. */
	FAULTED

}
