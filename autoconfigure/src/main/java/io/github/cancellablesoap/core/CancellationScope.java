package io.github.cancellablesoap.core;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work that can be cancelled once, with a reason, by any thread: the one
 * cancellation model under server operations and the downstream calls made inside them.
 * <p>
 * A scope is <em>open</em> until it is either <em>cancelled</em> ({@link #cancel}) or
 * <em>ended</em> ({@link #end}); whichever comes first is decided once, under the scope's
 * lock, and never changes. Only the winner of {@link #cancel} gets {@code true};
 * repeating it is harmless. The listeners are swapped out under the lock and run outside
 * it, each on the executor it was registered with, so a listener may take any lock,
 * cancel other scopes or register listeners without deadlocking a canceller; one that
 * throws is logged and breaks nothing else.
 * <p>
 * A {@link #newChild() child} is cancelled with its parent (with the parent's reason) but
 * can be cancelled or ended alone. A child that is cancelled or ended unlinks itself from
 * its parent, and an ended parent drops its links, so a long-lived parent holds no dead
 * children. A {@link #withDeadline deadline} is a cancel scheduled on a
 * {@link CancellationTimer}; the scheduled task is cancelled as soon as the scope is
 * cancelled or ended, so finished scopes leave nothing in the timer's queue. The
 * effective deadline of a child is the earlier of its own and its parent's. Time comes
 * from a {@link Ticker}, monotonic and replaceable.
 * <p>
 * A scope can be made {@link #current() current} on a thread ({@link #attach()}, as
 * grpc's {@code Context.attach}/{@code detach}): service proxies called on that thread
 * inherit its deadline and are aborted when it is cancelled. {@link #detached(Supplier)}
 * runs code with no current scope (grpc's {@code Context.ROOT.run}).
 * <p>
 * The model is grpc-java's {@code Context.CancellableContext}, with a typed reason in
 * place of a {@code Throwable} and an explicit end that cancels nothing. It stays one
 * class, longer than most here (half of it javadoc), because listeners, children, the
 * deadline and the thread's current scope share one lock and one decided-once state.
 * <p>
 * Thread-safe: every method may be called from any thread at any time; an
 * {@link Attachment} is closed on the thread that made it.
 *
 * @param <R> the type of the reasons a scope is cancelled for
 * @author Cancellable SOAP
 */
public final class CancellationScope<R> {

	private static final Log logger = LogFactory.getLog(CancellationScope.class);

	private static final Executor DIRECT = Runnable::run;

	private static final ThreadLocal<@Nullable CancellationScope<?>> CURRENT = new ThreadLocal<>();

	private final Object lock = new Object();

	private final Ticker ticker;

	private final String name;

	private volatile @Nullable CancellationScope<R> parent;

	private volatile @Nullable Cancellation<R> cancellation;

	private volatile boolean ended;

	// null once the scope was cancelled or ended: the decided-once state
	private @Nullable Set<Registration> listeners = new LinkedHashSet<>();

	private @Nullable Registration parentLink;

	private boolean hasDeadline;

	private long deadlineNanos;

	private @Nullable Future<?> pendingDeadline;

	private @Nullable Cancellation<R> expiry;

	private CancellationScope(Ticker ticker, String name, @Nullable CancellationScope<R> parent) {
		this.ticker = ticker;
		this.name = name;
		this.parent = parent;
	}

	/**
	 * A scope with no parent, timed by the system's monotonic clock.
	 * @param <R> the type of the cancellation reasons
	 * @return an open scope
	 */
	public static <R> CancellationScope<R> root() {
		return root(Ticker.SYSTEM);
	}

	/**
	 * A scope with no parent.
	 * @param <R> the type of the cancellation reasons
	 * @param ticker the clock its deadlines are read from, inherited by its children
	 * @return an open scope
	 */
	public static <R> CancellationScope<R> root(Ticker ticker) {
		return root(ticker, "scope");
	}

	/**
	 * A scope with no parent and a name that says what it stands for.
	 * @param <R> the type of the cancellation reasons
	 * @param ticker the clock its deadlines are read from, inherited by its children
	 * @param name what the scope is, such as {@code operation o-12}; inherited by its
	 * children and named in the reasons of what its cancellation aborts
	 * @return an open scope
	 */
	public static <R> CancellationScope<R> root(Ticker ticker, String name) {
		return new CancellationScope<>(ticker, name, null);
	}

	/**
	 * The scope current on this thread: the one last {@link #attach() attached} and not
	 * yet detached.
	 * @return the scope, or empty when none is current (or inside {@link #detached})
	 */
	public static Optional<CancellationScope<?>> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	/**
	 * Make this scope the current one on this thread until the attachment is closed,
	 * which restores the one current before.
	 * @return the attachment, to close on this thread (try-with-resources)
	 */
	public Attachment attach() {
		return new Attachment(this);
	}

	/**
	 * Run a task with no current scope: what it calls is detached from the scope current
	 * on this thread (no inherited deadline, not cancelled with it).
	 * @param <T> the task's result type
	 * @param task the task
	 * @return the task's result
	 */
	public static <T> T detached(Supplier<T> task) {
		try (Attachment none = new Attachment(null)) {
			return task.get();
		}
	}

	/**
	 * Run a task with no current scope; see {@link #detached(Supplier)}.
	 * @param task the task
	 */
	public static void detached(Runnable task) {
		try (Attachment none = new Attachment(null)) {
			task.run();
		}
	}

	/**
	 * A task that runs with this scope current, on whatever thread runs it.
	 * @param task the task
	 * @return the wrapped task
	 */
	public Runnable wrap(Runnable task) {
		return () -> {
			try (Attachment attached = attach()) {
				task.run();
			}
		};
	}

	/**
	 * A task that runs with this scope current, on whatever thread runs it.
	 * @param <V> the task's result type
	 * @param task the task
	 * @return the wrapped task
	 */
	public <V> Callable<V> wrap(Callable<V> task) {
		return () -> {
			try (Attachment attached = attach()) {
				return task.call();
			}
		};
	}

	/**
	 * What the scope stands for.
	 * @return the name given to its root
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Cancel the scope unless it was cancelled or ended before: fix the reason, cancel
	 * the pending deadline, unlink from the parent, then (outside the lock) run every
	 * listener, children's included.
	 * @param reason why
	 * @param detail free text for logs and faults, or {@code null}
	 * @return {@code true} when this call cancelled the scope; {@code false} for every
	 * other caller
	 */
	public boolean cancel(R reason, @Nullable String detail) {
		return cancel(new Cancellation<>(reason, detail));
	}

	private boolean cancel(Cancellation<R> why) {
		Set<Registration> notified;
		synchronized (this.lock) {
			notified = this.listeners;
			if (notified == null) {
				return false;
			}
			this.listeners = null;
			this.cancellation = why;
		}
		release();
		for (Registration registration : notified) {
			registration.dispatch(why);
		}
		return true;
	}

	/**
	 * End the scope without cancelling it, unless a cancellation came first: from now on
	 * no cancellation wins, listeners that did not run never will, the pending deadline
	 * is cancelled and the scope unlinks from its parent. Its children are not cancelled:
	 * they can no longer be cancelled through it.
	 * @return {@code true} when the scope is ended uncancelled (by this call or an
	 * earlier one); {@code false} when a cancellation had won
	 */
	public boolean end() {
		synchronized (this.lock) {
			if (this.listeners == null) {
				return this.cancellation == null;
			}
			this.listeners = null;
			this.ended = true;
		}
		release();
		return true;
	}

	/**
	 * Give up the deadline task and the link to the parent of a scope that was just
	 * decided.
	 */
	private void release() {
		Future<?> deadline;
		Registration link;
		synchronized (this.lock) {
			deadline = this.pendingDeadline;
			this.pendingDeadline = null;
			link = this.parentLink;
			this.parentLink = null;
		}
		this.parent = null;
		if (deadline != null) {
			deadline.cancel(false);
		}
		if (link != null) {
			link.remove();
		}
	}

	/**
	 * Whether the scope was cancelled.
	 * @return {@code true} once a cancellation won
	 */
	public boolean isCancelled() {
		return this.cancellation != null;
	}

	/**
	 * Whether the scope is still open: neither cancelled nor ended.
	 * @return {@code true} while a cancellation could still win
	 */
	public boolean isOpen() {
		return this.cancellation == null && !this.ended;
	}

	/**
	 * The cancellation that won.
	 * @return the reason and detail, or empty while the scope is not cancelled
	 */
	public Optional<Cancellation<R>> cancellation() {
		return Optional.ofNullable(this.cancellation);
	}

	/**
	 * Why the scope was cancelled.
	 * @return the reason, or empty while the scope is not cancelled
	 */
	public Optional<R> reason() {
		Cancellation<R> why = this.cancellation;
		return (why != null) ? Optional.of(why.reason()) : Optional.empty();
	}

	/**
	 * Register a listener for the cancellation. It runs at most once, on the executor: at
	 * once if the scope is already cancelled, never if it ends uncancelled. A listener on
	 * a direct executor runs on the cancelling thread (a timer, a detector...) and must
	 * therefore be short and never block.
	 * @param listener what to do on cancellation; what it throws is logged
	 * @param executor where it runs
	 * @return the registration, whose {@link Registration#remove()} takes it back
	 */
	public Registration addListener(Consumer<? super Cancellation<R>> listener, Executor executor) {
		Registration registration = new Registration(listener, executor);
		Cancellation<R> why;
		synchronized (this.lock) {
			why = this.cancellation;
			if (this.listeners != null) {
				this.listeners.add(registration);
				return registration;
			}
		}
		if (why != null) {
			registration.dispatch(why);
		}
		return registration;
	}

	/**
	 * A scope cancelled with this one, with its reason, that can also be cancelled or
	 * ended alone. A child of a cancelled scope starts cancelled; a child of an ended
	 * scope starts unlinked.
	 * @return the child, open unless this scope is cancelled
	 */
	public CancellationScope<R> newChild() {
		CancellationScope<R> child = new CancellationScope<>(this.ticker, this.name, this);
		Cancellation<R> why;
		synchronized (this.lock) {
			why = this.cancellation;
			if (this.listeners != null) {
				// linked before it is published under this lock: a cancelling thread
				// that finds the link also sees it in the child
				Registration link = new Registration(child::cancel, DIRECT);
				child.parentLink = link;
				this.listeners.add(link);
			}
			else {
				child.parent = null;
			}
		}
		if (why != null) {
			child.cancel(why);
		}
		return child;
	}

	/**
	 * Cancel the scope when a timeout runs out, unless it was cancelled or ended before.
	 * Only ever shortens the scope's own deadline. The task is scheduled even when the
	 * parent's deadline comes first, since a parent that ends uncancelled no longer
	 * bounds its children. A timeout that already ran out cancels the scope on this
	 * thread; one too long to count in nanoseconds never runs out. A cancellation by the
	 * deadline is marked {@link Cancellation#expired() expired}, also in children.
	 * @param timeout how long from now
	 * @param reason the reason of the cancellation
	 * @param detail its detail, or {@code null}
	 * @param timer the timer that runs the cancel
	 * @return this scope
	 */
	public CancellationScope<R> withDeadline(Duration timeout, R reason, @Nullable String detail,
			CancellationTimer timer) {
		long nanos = CancellationTimer.saturatedNanos(timeout);
		if (nanos == Long.MAX_VALUE) {
			return this;
		}
		Cancellation<R> expiry = new Cancellation<>(reason, detail, true);
		if (nanos == 0) {
			cancel(expiry);
			return this;
		}
		long at = this.ticker.nanoTime() + nanos;
		Future<?> replaced;
		synchronized (this.lock) {
			if (this.listeners == null || (this.hasDeadline && this.deadlineNanos - at <= 0)) {
				return this;
			}
			// scheduled under the lock: an end or cancel that comes next finds the task
			Future<?> task = timer.schedule(() -> cancel(expiry), Duration.ofNanos(nanos));
			replaced = this.pendingDeadline;
			this.hasDeadline = true;
			this.deadlineNanos = at;
			this.pendingDeadline = task;
			this.expiry = expiry;
		}
		if (replaced != null) {
			replaced.cancel(false);
		}
		return this;
	}

	/**
	 * Cancel the scope now, as its deadline would, when its own deadline has passed but
	 * the timer has not cancelled it yet (a busy timer thread runs late): a decision
	 * taken after the deadline loses to it.
	 * @return {@code true} when this cancelled the scope
	 */
	public boolean expireIfDue() {
		Cancellation<R> due;
		synchronized (this.lock) {
			if (this.listeners == null || !this.hasDeadline || this.deadlineNanos - this.ticker.nanoTime() > 0) {
				return false;
			}
			due = this.expiry;
		}
		return due != null && cancel(due);
	}

	/**
	 * The effective deadline: the earlier of this scope's own and its parent's while it
	 * is linked to an open parent.
	 * @return the {@link Ticker} reading at which the scope is cancelled, or empty when
	 * no deadline applies
	 */
	public OptionalLong deadlineNanos() {
		OptionalLong inherited = parentDeadlineNanos();
		synchronized (this.lock) {
			if (!this.hasDeadline) {
				return inherited;
			}
			if (inherited.isPresent() && inherited.getAsLong() - this.deadlineNanos < 0) {
				return inherited;
			}
			return OptionalLong.of(this.deadlineNanos);
		}
	}

	private OptionalLong parentDeadlineNanos() {
		CancellationScope<R> linked = this.parent;
		return (linked != null && linked.isOpen()) ? linked.deadlineNanos() : OptionalLong.empty();
	}

	/**
	 * The time left until the effective deadline, what a downstream call may still use.
	 * @return the remaining time, zero once it passed, or empty when no deadline applies
	 */
	public Optional<Duration> timeRemaining() {
		OptionalLong at = deadlineNanos();
		if (at.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofNanos(Math.max(0, at.getAsLong() - this.ticker.nanoTime())));
	}

	/**
	 * The number of listeners and linked children waiting for a cancellation, for tests
	 * and diagnostics (a scope that outlives many calls must hold none of theirs once
	 * they ended).
	 * @return the count, 0 once the scope was cancelled or ended
	 */
	public int waiting() {
		synchronized (this.lock) {
			return (this.listeners != null) ? this.listeners.size() : 0;
		}
	}

	@Override
	public String toString() {
		Cancellation<R> why = this.cancellation;
		return "CancellationScope[" + this.name + ", "
				+ ((why != null) ? "cancelled: " + why.reason() : this.ended ? "ended" : "open") + "]";
	}

	/**
	 * The cancellation that won: its reason, an optional detail, and whether the scope's
	 * deadline made it.
	 *
	 * @param <R> the type of the reason
	 * @param reason why the scope was cancelled
	 * @param detail free text for logs and faults, or {@code null}
	 * @param expired whether the deadline ran out ({@link #withDeadline}), rather than
	 * someone cancelling
	 */
	public record Cancellation<R>(R reason, @Nullable String detail, boolean expired) {

		/**
		 * A cancellation that someone asked for.
		 * @param reason why the scope was cancelled
		 * @param detail free text for logs and faults, or {@code null}
		 */
		public Cancellation(R reason, @Nullable String detail) {
			this(reason, detail, false);
		}

	}

	/**
	 * A scope made current on one thread by {@link #attach()} (or no scope, inside
	 * {@link #detached}); closing it restores the scope that was current before. Close it
	 * on the thread that made it, in the reverse order of attaching (try-with-resources
	 * does both); closing it again does nothing.
	 */
	public static final class Attachment implements AutoCloseable {

		private final @Nullable CancellationScope<?> attached;

		private final @Nullable CancellationScope<?> previous;

		private final Thread thread;

		private boolean closed;

		private Attachment(@Nullable CancellationScope<?> attached) {
			this.attached = attached;
			this.previous = CURRENT.get();
			this.thread = Thread.currentThread();
			set(attached);
		}

		/**
		 * Restore the scope that was current before.
		 * @throws IllegalStateException on another thread than the one that attached
		 */
		@Override
		public void close() {
			if (Thread.currentThread() != this.thread) {
				throw new IllegalStateException("A scope attachment must be closed on the thread that made it ("
						+ this.thread.getName() + "), not on " + Thread.currentThread().getName());
			}
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (CURRENT.get() != this.attached) {
				logger.warn("Scope attachments closed out of order on thread " + this.thread.getName()
						+ "; the scope current before " + this.attached + " is restored");
			}
			set(this.previous);
		}

		private static void set(@Nullable CancellationScope<?> scope) {
			if (scope != null) {
				CURRENT.set(scope);
			}
			else {
				CURRENT.remove();
			}
		}

	}

	/**
	 * A listener registered with {@link #addListener}. Thread-safe.
	 */
	public final class Registration {

		private final Consumer<? super Cancellation<R>> listener;

		private final Executor executor;

		private Registration(Consumer<? super Cancellation<R>> listener, Executor executor) {
			this.listener = listener;
			this.executor = executor;
		}

		/**
		 * Take the listener back, so that it never runs and the scope holds it no more.
		 * @return {@code true} when it was still waiting; {@code false} when it ran, is
		 * running, or the scope ended
		 */
		public boolean remove() {
			synchronized (CancellationScope.this.lock) {
				Set<Registration> waiting = CancellationScope.this.listeners;
				return waiting != null && waiting.remove(this);
			}
		}

		private void dispatch(Cancellation<R> why) {
			try {
				this.executor.execute(() -> run(why));
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot hand over a cancellation listener (" + why.reason() + ")", ex);
			}
		}

		private void run(Cancellation<R> why) {
			try {
				this.listener.accept(why);
			}
			catch (Throwable ex) {
				logger.warn("Cancellation listener failed (" + why.reason() + ")", ex);
			}
		}

	}

}
