package io.github.cancellablesoap.client;

import io.github.cancellablesoap.core.VerbResult;

/**
 * What an abort of one call did, and the verb result an operator sees of it. Immutable.
 *
 * @param won whether it decided the call (and so released the caller)
 * @param ioCancelled whether it cancelled running I/O
 * @param before the call's state as the abort found it
 */
record CallAborted(boolean won, boolean ioCancelled, String before) {

	boolean changed() {
		return this.won || this.ioCancelled;
	}

	VerbResult result() {
		String after = this.won ? CallOutcome.ABORTED.name() : this.before;
		return new VerbResult(this.before, after, changed(), this.ioCancelled, changed() ? 1 : 0);
	}

}
