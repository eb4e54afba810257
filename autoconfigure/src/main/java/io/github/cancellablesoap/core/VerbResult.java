package io.github.cancellablesoap.core;

/**
 * What one verb on a proxy, host, call or channel did, decided by the verb itself while
 * it acted, so that it never depends on what the target looks like a moment later.
 * <p>
 * Immutable.
 *
 * @param previousState the target's state the verb found
 * @param newState the state the verb left it in (the same as {@code previousState} when
 * the verb changed nothing)
 * @param changed whether the verb changed anything
 * @param ioCancelled whether the verb cancelled I/O that was still running (closed a
 * socket or a pending connect)
 * @param affected how many calls or operations the verb reached
 * @author Cancellable SOAP
 */
public record VerbResult(String previousState, String newState, boolean changed, boolean ioCancelled, int affected) {

	/**
	 * A verb that found nothing to do.
	 * @param state the target's state
	 * @return the result
	 */
	public static VerbResult unchanged(String state) {
		return new VerbResult(state, state, false, false, 0);
	}

}
