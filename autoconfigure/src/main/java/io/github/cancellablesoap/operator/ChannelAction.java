package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * The verbs an operator runs on a channel ({@code POST channels/<id>}).
 * <p>
 * Thread-safe: immutable; {@code from} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
enum ChannelAction implements OperatorWord {

	/** Abort the channel: its call fails, the proxy stays OPEN. */
	ABORT;

	/**
	 * Parse a verb.
	 * @param action the verb as sent, or {@code null}
	 * @return the verb
	 * @throws OperatorRequestException (400) naming the verbs when none matches
	 */
	static ChannelAction from(@Nullable String action) {
		return OperatorInput.action(values(), action);
	}

}
