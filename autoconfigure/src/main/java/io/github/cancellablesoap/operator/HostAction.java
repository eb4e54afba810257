package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * The verbs an operator runs on a service host ({@code POST hosts/<name>}).
 *
 * @author Cancellable SOAP
 */
enum HostAction {

	/** Abort the host: its operations are cancelled, its listener aborted. */
	ABORT,

	/** Close the host gracefully, within its close timeout. */
	CLOSE,

	/** Open a CREATED host. */
	OPEN,

	/** Reset a CLOSED or FAULTED host to CREATED. */
	RESET,

	/** Refuse new requests for the host; running operations go on. */
	ABORT_LISTENER,

	/** Admit requests again after the listener was aborted. */
	RESET_LISTENER;

	/**
	 * Parse a verb.
	 * @param action the verb as sent, or {@code null}
	 * @return the verb
	 * @throws OperatorRequestException (400) naming the verbs when none matches
	 */
	static HostAction from(@Nullable String action) {
		return OperatorInput.action(values(), action);
	}

	/**
	 * The verb as operators type it.
	 * @return for example {@code abort-listener}
	 */
	String word() {
		return OperatorInput.word(this);
	}

}
