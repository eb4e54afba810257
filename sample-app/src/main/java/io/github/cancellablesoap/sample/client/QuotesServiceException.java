package io.github.cancellablesoap.sample.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link QuotesClient} when the quotes service answered a SOAP fault, or the
 * exchange with it failed, or its answer could not be read: it names the call, and keeps
 * what the service said in its cause only, since that text is the remote side's to choose
 * and must not reach a caller as it is.
 *
 * @author Cancellable SOAP
 */
public class QuotesServiceException extends RuntimeException {

	private final @Nullable String callId;

	/**
	 * Create an exception.
	 * @param callId the call that failed, or {@code null} when it failed before it
	 * started
	 * @param cause what the proxy or the template threw
	 */
	public QuotesServiceException(@Nullable String callId, RuntimeException cause) {
		super("Call " + ((callId != null) ? callId : "(not started)") + " to the quotes service failed", cause);
		this.callId = callId;
	}

	/**
	 * The call that failed.
	 * @return the call id, or {@code null} when the call never started
	 */
	public @Nullable String getCallId() {
		return this.callId;
	}

}
