package io.github.cancellablesoap.server;

/**
 * Points between a request's admission and its dispatch at which a host's intake calls
 * out, so that tests can make each step fail and check that the operation is released
 * exactly once whatever throws there. The intake of a running application uses
 * {@link #NONE}.
 * <p>
 * Implementations must be thread-safe: every request of the host calls them.
 */
@FunctionalInterface
interface IntakeHooks {

	/** Calls out to nothing. */
	IntakeHooks NONE = (step) -> {
	};

	/**
	 * Called just before the intake takes a step for an admitted operation.
	 * @param step the step about to be taken
	 */
	void before(Step step);

	/**
	 * The steps of an admitted operation between its admission and the end of its
	 * dispatch.
	 */
	enum Step {

		/** The request goes asynchronous. */
		START_ASYNC,

		/** The body's read listener is registered. */
		SET_READ_LISTENER,

		/** The caller-gone detector starts watching the connection. */
		WATCH,

		/** The message is handed to Spring WS. */
		DISPATCH

	}

}
