package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * The verbs an operator runs on a service proxy ({@code POST proxies/<name>}), in the
 * order error messages list them:
 * <ul>
 * <li>{@code abort}: every pending call's I/O is cancelled, the proxy goes FAULTED;</li>
 * <li>{@code close}: graceful, within the proxy's close timeout;</li>
 * <li>{@code open}: a CREATED proxy;</li>
 * <li>{@code reset}: a CLOSED or FAULTED proxy back to CREATED;</li>
 * <li>{@code abandon-all}: every pending call is abandoned, the proxy stays as it
 * is.</li>
 * </ul>
 * <p>
 * Thread-safe: immutable; {@code from} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
enum ProxyAction implements OperatorWord {

	ABORT, CLOSE, OPEN, RESET, ABANDON_ALL;

	/**
	 * Parse a verb.
	 * @param action the verb as sent, or {@code null}
	 * @return the verb
	 * @throws OperatorRequestException (400) naming the verbs when none matches
	 */
	static ProxyAction from(@Nullable String action) {
		return OperatorInput.action(values(), action);
	}

}
