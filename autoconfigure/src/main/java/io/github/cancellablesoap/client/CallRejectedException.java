package io.github.cancellablesoap.client;

/**
 * Thrown when a call could not start: its proxy was not open, or its pending-call quota
 * was full. No I/O took place.
 *
 * @author Cancellable SOAP
 */
public class CallRejectedException extends ServiceCallException {

	public CallRejectedException(String message, String callId, String proxyName) {
		super(message, callId, proxyName, CallOutcome.REJECTED, null);
	}

}
