package io.github.cancellablesoap.client;

import java.time.Duration;

/**
 * Thrown to a caller whose call timeout passed before a response arrived.
 *
 * @author Cancellable SOAP
 */
public class CallTimedOutException extends ServiceCallException {

	private final Duration timeout;

	public CallTimedOutException(String callId, String proxyName, Duration timeout, TimeoutAction action) {
		super("Call " + callId + " on proxy '" + proxyName + "' timed out after " + timeout.toMillis() + " ms"
				+ ((action == TimeoutAction.ABORT) ? "; its channel was aborted" : "; its I/O was abandoned"), callId,
				proxyName, CallOutcome.TIMED_OUT, null);
		this.timeout = timeout;
	}

	/**
	 * The timeout that passed.
	 * @return the call timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}
