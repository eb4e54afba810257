package io.github.cancellablesoap.operator;

import io.github.cancellablesoap.operator.OperatorAnswer.Status;
import org.jspecify.annotations.Nullable;

/**
 * How an operator ends one call ({@code DELETE calls/<id>?mode=...}).
 * <p>
 * Thread-safe: immutable; {@code from} may be called from any thread.
 *
 * @author Cancellable SOAP
 */
enum CallRemoval implements OperatorWord {

	/** Release the caller at once; the I/O goes on in the background. The default. */
	ABANDON,

	/** Abort the call's channel: its I/O is cancelled. */
	ABORT;

	/**
	 * Parse a mode.
	 * @param mode the mode as sent, or {@code null} for {@link #ABANDON}
	 * @return the mode
	 * @throws OperatorRequestException (400) naming the modes when none matches
	 */
	static CallRemoval from(@Nullable String mode) {
		if (mode == null) {
			return ABANDON;
		}
		String word = OperatorInput.word(mode);
		CallRemoval removal = OperatorInput.find(values(), word);
		if (removal == null) {
			throw new OperatorRequestException(Status.BAD_REQUEST, "Unknown mode '"
					+ OperatorInput.clean(word, OperatorInput.MAX_WORD_LENGTH) + "'; use abandon or abort");
		}
		return removal;
	}

}
