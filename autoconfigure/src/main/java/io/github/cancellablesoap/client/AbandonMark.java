package io.github.cancellablesoap.client;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The one mark that abandoning a call and removing it from the {@link CallRegistry} race
 * for, so that a call that leaves the registry between being abandoned and being counted
 * is never counted, and one that was counted is uncounted exactly once.
 * <p>
 * Thread-safe: each method is one atomic step.
 */
final class AbandonMark {

	private static final int NOT_ABANDONED = 0;

	private static final int ABANDONED_COUNTED = 1;

	private static final int REMOVED = 2;

	private static final AtomicIntegerFieldUpdater<AbandonMark> MARK = AtomicIntegerFieldUpdater
		.newUpdater(AbandonMark.class, "mark");

	private volatile int mark = NOT_ABANDONED;

	/**
	 * Take the mark for an abandon.
	 * @return {@code false} when the call already left the registry (or was counted)
	 */
	boolean takeOnAbandon() {
		return MARK.compareAndSet(this, NOT_ABANDONED, ABANDONED_COUNTED);
	}

	/**
	 * Take the mark as the call leaves the registry.
	 * @return whether the call was counted as abandoned, and must now be uncounted
	 */
	boolean takeOnRemoval() {
		return MARK.getAndSet(this, REMOVED) == ABANDONED_COUNTED;
	}

	/**
	 * Whether the call is counted as abandoned.
	 * @return {@code true} from a counted abandon until the call leaves the registry
	 */
	boolean isCounted() {
		return this.mark == ABANDONED_COUNTED;
	}

}
