package io.github.cancellablesoap.client;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;

import io.github.cancellablesoap.core.ProductThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.core.WebServiceOperations;

/**
 * The result of a submitted call, tied to the call's outcome, and the task that runs the
 * call on the submitter's executor.
 * <p>
 * A cancellation that decides a call whose task still waits in the executor's queue ends
 * the call at once (listeners hear its end, its quota slot is freed) and completes this
 * future; the task, if the executor ever runs it, does nothing. A running task completes
 * this future when its caller is released, as a synchronous caller would return. While
 * the task is queued a timer enforces the call timeout, which otherwise the waiting
 * caller enforces itself. A completion decided on a product thread (the timer, a
 * caller-gone detector) is handed to an application thread
 * ({@link ProductThreads#application()}), so the future's continuations never run on a
 * thread the product shares.
 * <p>
 * {@link #cancel(boolean)} aborts or abandons the call ({@link CallResult}).
 * <p>
 * Thread-safe: the task claims the call (queued to running) and an early cancellation
 * claims it (queued to ended) with one compare-and-set, so exactly one of them ends it.
 *
 * @param <T> the result type
 */
final class CallFuture<T> extends CallResult<T> implements Runnable {

	private static final AtomicIntegerFieldUpdater<CallFuture<?>> CLAIM = newClaim();

	private static final int QUEUED = 0;

	private static final int RUNNING = 1;

	private static final int ENDED = 2;

	private final CallRunner runner;

	private final Function<WebServiceOperations, @Nullable T> action;

	private volatile int claim = QUEUED;

	private volatile @Nullable ScheduledFuture<?> queuedTimeout;

	CallFuture(CallRunner runner, Call call, Function<WebServiceOperations, @Nullable T> action) {
		super(call);
		this.runner = runner;
		this.action = action;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static AtomicIntegerFieldUpdater<CallFuture<?>> newClaim() {
		return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(CallFuture.class, "claim");
	}

	/**
	 * Enforce the call timeout while the task is queued.
	 * @param timeout the scheduled timeout
	 */
	void queuedTimeout(ScheduledFuture<?> timeout) {
		this.queuedTimeout = timeout;
		if (this.claim != QUEUED) {
			timeout.cancel(false);
		}
	}

	/**
	 * Run the call on the executor's thread, unless a cancellation ended it while it was
	 * queued.
	 */
	@Override
	public void run() {
		if (!CLAIM.compareAndSet(this, QUEUED, RUNNING)) {
			return;
		}
		stopQueuedTimeout();
		try {
			complete(this.runner.run(this.call, this.action));
		}
		catch (Throwable ex) {
			failWith(ex);
		}
	}

	/**
	 * End a call whose task the executor refused.
	 * @param refusal what the executor threw
	 * @return whether this ended the call (else a cancellation already had)
	 */
	boolean refused(RuntimeException refusal) {
		if (!CLAIM.compareAndSet(this, QUEUED, ENDED)) {
			return false;
		}
		stopQueuedTimeout();
		this.call.endUnstarted(this.call.finish(refusal), refusal);
		return true;
	}

	/**
	 * A cancellation decided the call: if its task never started, end the call and
	 * complete this future with what a caller would have seen; a running task does that
	 * itself when its caller is released.
	 * @param outcome the call's outcome
	 * @param thrown the exception a caller would get
	 */
	@Override
	void released(CallOutcome outcome, ServiceCallException thrown) {
		if (!CLAIM.compareAndSet(this, QUEUED, ENDED)) {
			return;
		}
		stopQueuedTimeout();
		this.call.endUnstarted(outcome, thrown);
		// completing runs the application's continuations on this thread: never on a
		// timer or detector thread the product shares
		if (ProductThreads.isCurrent()) {
			ProductThreads.application().execute(() -> failWith(thrown));
		}
		else {
			failWith(thrown);
		}
	}

	private void stopQueuedTimeout() {
		ScheduledFuture<?> timeout = this.queuedTimeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
	}

}
