package io.github.cancellablesoap.client;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.WebServiceClientException;

/**
 * Base of the exceptions that release a service proxy caller without a response: it names
 * the call, its proxy and its outcome.
 *
 * @author Cancellable SOAP
 */
public abstract class ServiceCallException extends WebServiceClientException {

	private final String callId;

	private final String proxyName;

	private final CallOutcome outcome;

	protected ServiceCallException(String message, String callId, String proxyName, CallOutcome outcome,
			@Nullable Throwable cause) {
		super(message, cause);
		this.callId = callId;
		this.proxyName = proxyName;
		this.outcome = outcome;
	}

	/**
	 * The id of the call that ended.
	 * @return the call id
	 */
	public String getCallId() {
		return this.callId;
	}

	/**
	 * The name of the proxy that carried the call.
	 * @return the proxy name
	 */
	public String getProxyName() {
		return this.proxyName;
	}

	/**
	 * How the call ended.
	 * @return the outcome
	 */
	public CallOutcome getOutcome() {
		return this.outcome;
	}

}
