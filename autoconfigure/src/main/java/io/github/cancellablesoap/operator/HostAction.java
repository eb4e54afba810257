package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * The verbs an operator runs on a service host ({@code POST hosts/<name>}), in the order
 * error messages list them:
 * <ul>
 * <li>{@code abort}: running operations are cancelled (HOST_ABORTED), the listener is
 * aborted, the host goes FAULTED;</li>
 * <li>{@code close}: graceful, within the host's close timeout;</li>
 * <li>{@code open}: a CREATED host;</li>
 * <li>{@code reset}: a CLOSED or FAULTED host back to CREATED;</li>
 * <li>{@code abort-listener}: new requests are refused, running operations go on;</li>
 * <li>{@code reset-listener}: an OPEN host admits requests again after its listener was
 * aborted.</li>
 * </ul>
 * <p>
 * Thread-safe: immutable; {@code from} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
enum HostAction implements OperatorWord {

	ABORT, CLOSE, OPEN, RESET, ABORT_LISTENER, RESET_LISTENER;

	/**
	 * Parse a verb.
	 * @param action the verb as sent, or {@code null}
	 * @return the verb
	 * @throws OperatorRequestException (400) naming the verbs when none matches
	 */
	static HostAction from(@Nullable String action) {
		return OperatorInput.action(values(), action);
	}

}
