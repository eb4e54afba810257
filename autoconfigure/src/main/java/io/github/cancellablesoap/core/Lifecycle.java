package io.github.cancellablesoap.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The state table that service proxies and service hosts share, and the resource (a
 * proxy's transport) that must run exactly while the target is open.
 * <p>
 * <table>
 * <caption>Verbs by state</caption>
 * <tr>
 * <th>verb</th>
 * <th>CREATED</th>
 * <th>OPENING</th>
 * <th>OPEN</th>
 * <th>CLOSING</th>
 * <th>CLOSED</th>
 * <th>FAULTED</th>
 * </tr>
 * <tr>
 * <td>open</td>
 * <td>OPENING, OPEN</td>
 * <td>ISE</td>
 * <td>no-op</td>
 * <td>ISE</td>
 * <td>ISE</td>
 * <td>ISE</td>
 * </tr>
 * <tr>
 * <td>close</td>
 * <td>CLOSED</td>
 * <td>ISE</td>
 * <td>CLOSING, CLOSED</td>
 * <td>no-op</td>
 * <td>no-op</td>
 * <td>CLOSING, CLOSED</td>
 * </tr>
 * <tr>
 * <td>abort</td>
 * <td>no-op</td>
 * <td>CREATED</td>
 * <td>FAULTED</td>
 * <td>CLOSED</td>
 * <td>no-op</td>
 * <td>no-op</td>
 * </tr>
 * <tr>
 * <td>reset</td>
 * <td>ISE</td>
 * <td>ISE</td>
 * <td>ISE</td>
 * <td>ISE</td>
 * <td>CREATED</td>
 * <td>CREATED</td>
 * </tr>
 * </table>
 * <p>
 * Every transition happens under the owner's lock and bumps a version, so that a verb
 * that does its slow part outside the lock (an open starting the transport, a close
 * draining calls) finishes only the transition it began: an abort, reset and re-open in
 * between (open, abort, open) is seen as a different version and never taken for its own.
 * The {@link Observer} hears every transition under the same lock, so that state kept
 * beside it (a host's listener) changes atomically with it.
 * <p>
 * The resource is started only by the open that owns the current OPENING, and stopped by
 * {@link #settle()} whenever the state is CREATED, CLOSED or FAULTED; starts and stops
 * are serialised on a lock of their own, never the owner's lock. A settle that finds
 * another thread starting or stopping leaves the work to it, so an abort never waits for
 * a start in progress, and once every verb has returned the resource runs exactly when
 * the state is OPEN.
 * <p>
 * Thread-safe: every method may be called from any thread.
 * <p>
 * Longer than most classes here on purpose: the state table, the versioned transitions
 * and the settling of the resource are one invariant, kept in one file so that it can be
 * read and checked at once; the nested types are the table's vocabulary.
 *
 * @author Cancellable SOAP
 */
public final class Lifecycle {

	private final String target;

	private final Object lock;

	private final Resource resource;

	private final Observer observer;

	private final ReentrantLock settling = new ReentrantLock();

	private final AtomicBoolean unsettled = new AtomicBoolean();

	private volatile State state = State.CREATED;

	/** Written under {@link #lock}; read without it. */
	private volatile long version;

	/** Guarded by {@link #settling}. */
	private boolean running;

	/**
	 * Create a lifecycle in state CREATED.
	 * @param target what the lifecycle belongs to, for error messages, such as
	 * {@code proxy 'quotes'}
	 * @param lock the owner's lock; transitions happen under it
	 * @param resource what must run while the target is open
	 * @param observer hears every transition, under the lock
	 */
	public Lifecycle(String target, Object lock, Resource resource, Observer observer) {
		this.target = target;
		this.lock = lock;
		this.resource = resource;
		this.observer = observer;
	}

	/**
	 * The current state; a volatile read.
	 * @return the state
	 */
	public State state() {
		return this.state;
	}

	/**
	 * Open: CREATED to OPENING, start the resource, then OPENING to OPEN. A no-op when
	 * OPEN.
	 * @return the transition to OPEN, or a no-change transition when already OPEN
	 * @throws IllegalStateException when the state is neither CREATED nor OPEN, or when
	 * an abort ended the opening before it completed (the state is then what the abort
	 * left)
	 * @throws RuntimeException what starting the resource threw; the state is CREATED
	 * again
	 */
	public Transition open() {
		Transition opening;
		synchronized (this.lock) {
			State current = this.state;
			if (current == State.OPEN) {
				return new Transition(current, current, this.version);
			}
			if (current != State.CREATED) {
				throw notIn("open", current);
			}
			opening = move(State.OPENING);
		}
		try {
			startIfCurrent(opening);
		}
		catch (RuntimeException | Error ex) {
			synchronized (this.lock) {
				if (isCurrent(opening)) {
					move(State.CREATED);
				}
			}
			settle();
			throw ex;
		}
		settle();
		synchronized (this.lock) {
			if (!isCurrent(opening)) {
				throw new IllegalStateException(
						"Cannot open " + this.target + ": it was aborted while opening and is " + this.state);
			}
			move(State.OPEN);
			return new Transition(State.CREATED, State.OPEN, this.version);
		}
	}

	/**
	 * Begin a close: OPEN or FAULTED to CLOSING, CREATED straight to CLOSED (nothing to
	 * drain); CLOSING and CLOSED are no-ops.
	 * @return the transition made, or {@code null} for a no-op
	 * @throws IllegalStateException when OPENING
	 */
	public @Nullable Transition beginClose() {
		synchronized (this.lock) {
			State current = this.state;
			return switch (current) {
				case OPEN, FAULTED -> move(State.CLOSING);
				case CREATED -> move(State.CLOSED);
				case CLOSING, CLOSED -> null;
				case OPENING -> throw notIn("close", current);
			};
		}
	}

	/**
	 * End a close begun with {@link #beginClose()}: CLOSING to CLOSED, unless an abort
	 * already closed it. The caller then releases what is left and calls
	 * {@link #settle()}.
	 * @param closing what {@link #beginClose()} returned
	 * @return whether this made the transition (else an abort made it first)
	 */
	public boolean completeClose(Transition closing) {
		synchronized (this.lock) {
			if (!isCurrent(closing)) {
				return false;
			}
			move(State.CLOSED);
			return true;
		}
	}

	/**
	 * Abort: OPENING to CREATED, OPEN to FAULTED, CLOSING to CLOSED; elsewhere a no-op.
	 * The caller cancels its work and then calls {@link #settle()}.
	 * @return the transition made, or {@code null} for a no-op
	 */
	public @Nullable Transition abort() {
		synchronized (this.lock) {
			return switch (this.state) {
				case OPENING -> move(State.CREATED);
				case OPEN -> move(State.FAULTED);
				case CLOSING -> move(State.CLOSED);
				default -> null;
			};
		}
	}

	/**
	 * Reset: CLOSED or FAULTED to CREATED.
	 * @return the transition
	 * @throws IllegalStateException in any other state
	 */
	public Transition reset() {
		Transition reset;
		synchronized (this.lock) {
			State current = this.state;
			if (current != State.CLOSED && current != State.FAULTED) {
				throw notIn("reset", current);
			}
			reset = move(State.CREATED);
		}
		settle();
		return reset;
	}

	/**
	 * Whether no transition happened since the given one.
	 * @param transition a transition this lifecycle made
	 * @return {@code true} when the state is still the one it left
	 */
	public boolean isCurrent(Transition transition) {
		return this.version == transition.version();
	}

	/**
	 * Stop the resource when the state says it must not run (CREATED, CLOSED, FAULTED).
	 * Returns at once when another thread is starting or stopping it: that thread settles
	 * again before it returns.
	 */
	public void settle() {
		this.unsettled.set(true);
		while (this.unsettled.get() && this.settling.tryLock()) {
			try {
				while (this.unsettled.getAndSet(false)) {
					State current = this.state;
					if (this.running && current != State.OPENING && current != State.OPEN && current != State.CLOSING) {
						this.running = false;
						this.resource.stop();
					}
				}
			}
			finally {
				this.settling.unlock();
			}
		}
	}

	private void startIfCurrent(Transition opening) {
		this.settling.lock();
		try {
			if (!this.running && isCurrent(opening)) {
				this.resource.start();
				this.running = true;
			}
		}
		finally {
			this.settling.unlock();
		}
	}

	private Transition move(State to) {
		State from = this.state;
		this.version++;
		this.state = to;
		this.observer.transitioned(from, to);
		return new Transition(from, to, this.version);
	}

	private IllegalStateException notIn(String verb, State current) {
		return new IllegalStateException("Cannot " + verb + " " + this.target + ": it is " + current);
	}

	/**
	 * The states of proxies and hosts.
	 */
	public enum State {

		/** Built or reset, not open. */
		CREATED,

		/** Being opened. */
		OPENING,

		/** Open: serves calls or requests. */
		OPEN,

		/** Being closed: no new work, running work may finish. */
		CLOSING,

		/** Closed. */
		CLOSED,

		/** Aborted: refuses work until reset. */
		FAULTED

	}

	/**
	 * One transition a verb made.
	 *
	 * @param from the state before
	 * @param to the state after
	 * @param version the lifecycle's version after the transition
	 */
	public record Transition(State from, State to, long version) {

	}

	/**
	 * What must run exactly while the target is open. Starts and stops never overlap.
	 */
	public interface Resource {

		/** No resource. */
		Resource NONE = new Resource() {

			@Override
			public void start() {
			}

			@Override
			public void stop() {
			}

		};

		/**
		 * Acquire the resource.
		 */
		void start();

		/**
		 * Release the resource; must not throw and must not wait for I/O.
		 */
		void stop();

	}

	/**
	 * Hears every transition, under the owner's lock; must be quick and must not throw.
	 */
	@FunctionalInterface
	public interface Observer {

		/** An observer that does nothing. */
		Observer NONE = (from, to) -> {
		};

		/**
		 * The state changed.
		 * @param from the state before
		 * @param to the state after
		 */
		void transitioned(State from, State to);

	}

}
