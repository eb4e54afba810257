package io.github.cancellablesoap.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown to a caller whose call timeout passed before a response arrived.
 *
 * @author Cancellable SOAP
 */
public class CallTimedOutException extends ServiceCallException {

	private final Duration timeout;

	private final @Nullable String inheritedFrom;

	public CallTimedOutException(String callId, String proxyName, Duration timeout, TimeoutAction action) {
		this(callId, proxyName, timeout, action, null);
	}

	/**
	 * A timeout that may come from an upstream deadline.
	 * @param callId the call id
	 * @param proxyName the proxy's name
	 * @param timeout the timeout that passed
	 * @param action what was done to the call's I/O
	 * @param inheritedFrom what the deadline was inherited from, such as
	 * {@code operation o-12}, or {@code null} when it was the call's own
	 */
	public CallTimedOutException(String callId, String proxyName, Duration timeout, TimeoutAction action,
			@Nullable String inheritedFrom) {
		super("Call " + callId + " on proxy '" + proxyName + "' timed out after " + timeout.toMillis() + " ms"
				+ ((inheritedFrom != null) ? " (the deadline inherited from upstream " + inheritedFrom + ")" : "")
				+ ((action == TimeoutAction.ABORT) ? "; its channel was aborted" : "; its I/O was abandoned"), callId,
				proxyName, CallOutcome.TIMED_OUT, null);
		this.timeout = timeout;
		this.inheritedFrom = inheritedFrom;
	}

	/**
	 * The timeout that passed.
	 * @return the call timeout, or the shorter time its upstream operation had left when
	 * the deadline was {@link #getInheritedFrom() inherited}
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * What the deadline that passed was inherited from: the operation current when the
	 * call was made, when its deadline came before the call's own timeout.
	 * @return the upstream, such as {@code operation o-12}, or {@code null} when the
	 * call's own timeout passed
	 */
	public @Nullable String getInheritedFrom() {
		return this.inheritedFrom;
	}

}
