package io.github.cancellablesoap.core;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Names who asks for the aborts a block of code makes, so that
 * {@link CallListener.AbortEvent}s (and the {@code soap.aborts} meter) tell an operator's
 * abort from the application's own. Aborts made outside such a block are the
 * application's.
 * <p>
 * A thread-local: each block applies to the calling thread only.
 *
 * @author Cancellable SOAP
 */
public final class AbortInitiator {

	/** The initiator of aborts made by application code. */
	public static final String APPLICATION = "application";

	/** The initiator of aborts made by an operator. */
	public static final String OPERATOR = "operator";

	private static final ThreadLocal<@Nullable String> CURRENT = new ThreadLocal<>();

	private AbortInitiator() {
	}

	/**
	 * Run an action whose aborts are attributed to an initiator.
	 * @param <T> the action's result type
	 * @param initiator who asks, such as {@link #OPERATOR}
	 * @param action the action
	 * @return the action's result
	 */
	public static <T> T as(String initiator, Supplier<T> action) {
		String previous = CURRENT.get();
		CURRENT.set(initiator);
		try {
			return action.get();
		}
		finally {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		}
	}

	/**
	 * Who asks for the aborts made on this thread now.
	 * @return the initiator, {@link #APPLICATION} outside any block
	 */
	public static String current() {
		String initiator = CURRENT.get();
		return (initiator != null) ? initiator : APPLICATION;
	}

}
