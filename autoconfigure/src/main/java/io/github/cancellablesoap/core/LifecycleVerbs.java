package io.github.cancellablesoap.core;

import org.jspecify.annotations.Nullable;

/**
 * The verbs that service proxies and service hosts share: a name, a state from the one
 * state table ({@link Lifecycle}), and open, abort, close and reset, each also in a form
 * that reports what it did.
 * <p>
 * Implementations make every method thread-safe; a verb called in a state where it is not
 * allowed throws {@link IllegalStateException} naming the target and its state.
 * {@link #abort} is idempotent and says whether it changed anything.
 *
 * @param <S> the state type, whose constants are those of {@link Lifecycle.State}
 * @author Cancellable SOAP
 */
public interface LifecycleVerbs<S extends Enum<S>> {

	/**
	 * The target's name, unique among targets of its kind in the application.
	 * @return the name
	 */
	String name();

	/**
	 * The current state.
	 * @return the state
	 */
	S state();

	/**
	 * Open: CREATED to OPEN; a no-op when OPEN.
	 * @throws IllegalStateException when neither CREATED nor OPEN, or when aborted while
	 * opening
	 * @see #openAndReport()
	 */
	default void open() {
		openAndReport();
	}

	/**
	 * Open, as {@link #open()} does, and say what that did.
	 * @return the states before and after
	 * @throws IllegalStateException when neither CREATED nor OPEN, or when aborted while
	 * opening
	 */
	VerbResult openAndReport();

	/**
	 * Abort: OPEN to FAULTED, CLOSING to CLOSED, OPENING to CREATED; elsewhere nothing
	 * happens. Never waits for I/O.
	 * @param reason why; may be {@code null}
	 * @return {@code true} when the state changed
	 * @see #abortAndReport(String)
	 */
	default boolean abort(@Nullable String reason) {
		return abortAndReport(reason).changed();
	}

	/**
	 * Abort, as {@link #abort(String)} does, and say what that did.
	 * @param reason why; may be {@code null}
	 * @return the states before and after and what the abort reached
	 */
	VerbResult abortAndReport(@Nullable String reason);

	/**
	 * Close gracefully, within the target's close timeout: OPEN or FAULTED to CLOSED
	 * through CLOSING, CREATED to CLOSED at once; CLOSING and CLOSED are no-ops.
	 * @throws IllegalStateException when OPENING
	 * @see #closeAndReport()
	 */
	default void close() {
		closeAndReport();
	}

	/**
	 * Close, as {@link #close()} does, and say what that did.
	 * @return the states before and after and what the close reached
	 * @throws IllegalStateException when OPENING
	 */
	VerbResult closeAndReport();

	/**
	 * Make a CLOSED or FAULTED target CREATED again, ready to be opened.
	 * @throws IllegalStateException when neither CLOSED nor FAULTED
	 * @see #resetAndReport()
	 */
	default void reset() {
		resetAndReport();
	}

	/**
	 * Reset, as {@link #reset()} does, and say what that did.
	 * @return the states before and after
	 * @throws IllegalStateException when neither CLOSED nor FAULTED
	 */
	VerbResult resetAndReport();

}
