package io.github.cancellablesoap.operator;

import org.jspecify.annotations.Nullable;

/**
 * What an operator write did.
 * <p>
 * Immutable, so thread-safe.
 *
 * @param target the kind of object acted on: {@code proxy}, {@code host},
 * {@code listener}, {@code channel}, {@code call} or {@code operation}
 * @param name the name or id of that object
 * @param action the verb, as requested
 * @param previousState the object's state before the verb
 * @param newState the object's state after it
 * @param outcome {@code changed} or {@code no change}
 * @param ioCancelled whether running I/O was cancelled
 * @param affected how many calls or operations the verb reached
 * @param elapsedMillis how long the verb took
 * @param reason the sanitized reason, or {@code null}
 * @author Cancellable SOAP
 */
public record ActionResult(String target, String name, String action, String previousState, String newState,
		String outcome, boolean ioCancelled, int affected, long elapsedMillis, @Nullable String reason) {

	/** The outcome of a verb that changed something. */
	public static final String CHANGED = "changed";

	/** The outcome of a verb that found nothing to do; repeating a verb gives this. */
	public static final String NO_CHANGE = "no change";

	/**
	 * Whether the verb changed anything.
	 * @return {@code true} when the outcome is {@link #CHANGED}
	 */
	public boolean changed() {
		return CHANGED.equals(this.outcome);
	}

}
