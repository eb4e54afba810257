package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * The verbs an operator runs on a service proxy ({@code POST proxies/<name>}).
 *
 * @author Cancellable SOAP
 */
enum ProxyAction {

	/** Abort the proxy: every pending call's I/O is cancelled, the proxy goes FAULTED. */
	ABORT,

	/** Close the proxy gracefully, within its close timeout. */
	CLOSE,

	/** Open a CREATED proxy. */
	OPEN,

	/** Reset a CLOSED or FAULTED proxy to CREATED. */
	RESET,

	/** Abandon every pending call; the proxy stays as it is. */
	ABANDON_ALL;

	/**
	 * Parse a verb.
	 * @param action the verb as sent, or {@code null}
	 * @return the verb
	 * @throws OperatorRequestException (400) naming the verbs when none matches
	 */
	static ProxyAction from(@Nullable String action) {
		return OperatorInput.action(values(), action);
	}

	/**
	 * The verb as operators type it.
	 * @return for example {@code abandon-all}
	 */
	String word() {
		return OperatorInput.word(this);
	}

}
