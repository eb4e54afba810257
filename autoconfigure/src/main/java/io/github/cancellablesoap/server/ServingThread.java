package io.github.cancellablesoap.server;

import org.jspecify.annotations.Nullable;

/**
 * The thread that runs an operation's endpoint, held so that a host abort can interrupt
 * it, and only while it serves the operation: the container's pooled thread goes back
 * clean.
 * <p>
 * Thread-safe: {@link #attach} and {@link #detach} run on the serving thread,
 * {@link #interrupt()} on an aborting one; one lock makes an interrupt and a detach
 * exclude each other.
 */
final class ServingThread {

	private final Object lock = new Object();

	private @Nullable Thread thread;

	void attach(Thread serving) {
		synchronized (this.lock) {
			this.thread = serving;
		}
	}

	/**
	 * Detach the serving thread; once this returns no interrupt can reach it, and an
	 * interrupt that did is cleared.
	 * @return whether the thread had been interrupted
	 */
	boolean detach() {
		synchronized (this.lock) {
			this.thread = null;
		}
		return Thread.interrupted();
	}

	/**
	 * Interrupt the serving thread if one is attached.
	 * @return {@code true} when a thread was interrupted
	 */
	boolean interrupt() {
		synchronized (this.lock) {
			if (this.thread == null) {
				return false;
			}
			this.thread.interrupt();
			return true;
		}
	}

}
