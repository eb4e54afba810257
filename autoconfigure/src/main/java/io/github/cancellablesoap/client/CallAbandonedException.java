package io.github.cancellablesoap.client;

/**
 * Thrown to a caller whose call was abandoned: the caller is released while the exchange
 * goes on in the background and its late result is dropped.
 *
 * @author Cancellable SOAP
 */
public class CallAbandonedException extends ServiceCallException {

	public CallAbandonedException(String callId, String proxyName) {
		super("Call " + callId + " on proxy '" + proxyName + "' was abandoned", callId, proxyName,
				CallOutcome.ABANDONED, null);
	}

}
