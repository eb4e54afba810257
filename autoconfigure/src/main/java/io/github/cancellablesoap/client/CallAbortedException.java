package io.github.cancellablesoap.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown to a caller whose call's channel was aborted: its I/O was cancelled and its
 * socket closed.
 *
 * @author Cancellable SOAP
 */
public class CallAbortedException extends ServiceCallException {

	private final @Nullable String reason;

	public CallAbortedException(String callId, String proxyName, @Nullable String reason) {
		super("Call " + callId + " on proxy '" + proxyName + "' was aborted" + ((reason != null) ? ": " + reason : ""),
				callId, proxyName, CallOutcome.ABORTED, null);
		this.reason = reason;
	}

	/**
	 * Why the call was aborted, as the initiator said.
	 * @return the reason, or {@code null} when none was given
	 */
	public @Nullable String getReason() {
		return this.reason;
	}

}
