package io.github.cancellablesoap.server;

/**
 * The states of a host's listener, the intake that admits new requests.
 *
 * @author Cancellable SOAP
 */
public enum ListenerState {

	/** New requests are admitted. */
	OPEN,

	/**
	 * The listener was aborted (alone or with its host): new requests are refused at once
	 * and requests still being received are dropped.
	 */
	FAULTED,

	/** The host is not open (created, closing or closed): new requests are refused. */
	CLOSED

}
