package io.github.cancellablesoap.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.CancellationScope;

/**
 * The callback lane of one operation: runs the application's cancel callback, then its
 * completion callbacks, in that order, on the callback executor, whichever threads
 * cancelled and ended the operation.
 * <p>
 * The lane is an ordered queue drained by one task at a time. The cancel callback joins
 * it when the operation's {@link CancellationScope} reports its cancellation
 * ({@link #cancelled}), the completion callbacks when the operation {@link #end ends}.
 * Because the scope runs its listeners outside its lock, an end can come between a
 * cancellation and its report; the completions then wait in the lane, held, and the
 * cancel callback is put in front of them. A cancel callback registered after the
 * cancellation runs on the registering thread, the application's own.
 * <p>
 * Thread-safe: every method may be called from any thread.
 */
final class OperationCallbacks {

	private static final Log logger = LogFactory.getLog(OperationCallbacks.class);

	private final String operationId;

	private final CancellationScope<CancelReason> scope;

	private final Executor executor;

	private final Object lock = new Object();

	private final ArrayDeque<Runnable> lane = new ArrayDeque<>(2);

	private final CountDownLatch settled = new CountDownLatch(1);

	private boolean draining;

	// an end came after the cancellation but before its report: completions wait
	private boolean held;

	private boolean cancellationReported;

	private boolean cancelCallbackRegistered;

	private @Nullable Consumer<CancelReason> cancelCallback;

	private @Nullable List<Runnable> completions = new ArrayList<>();

	OperationCallbacks(String operationId, CancellationScope<CancelReason> scope, Executor executor) {
		this.operationId = operationId;
		this.scope = scope;
		this.executor = executor;
	}

	/**
	 * Register the cancel callback: kept for the cancellation, run at once when the scope
	 * is already cancelled, dropped when the operation ended uncancelled.
	 * @param callback the callback
	 * @throws IllegalStateException when one was registered before
	 */
	void onCancel(Consumer<CancelReason> callback) {
		@Nullable CancelReason why;
		synchronized (this.lock) {
			if (this.cancelCallbackRegistered) {
				throw new IllegalStateException("Operation " + this.operationId + " already has a cancel callback");
			}
			this.cancelCallbackRegistered = true;
			why = this.scope.reason().orElse(null);
			if (why == null) {
				// a cancellation that won since the read above is reported later, under
				// this lock, and takes the callback; one that ended uncancelled never
				// runs it
				if (this.scope.isOpen() || this.scope.isCancelled()) {
					this.cancelCallback = callback;
				}
				return;
			}
		}
		runCancelCallback(callback, why);
	}

	/**
	 * Report the scope's cancellation: queue the cancel callback in front of the lane and
	 * start draining it. Called once, by the scope's listener, on the cancelling thread.
	 * @param why the reason
	 */
	void cancelled(CancelReason why) {
		boolean drain;
		synchronized (this.lock) {
			this.cancellationReported = true;
			this.held = false;
			Consumer<CancelReason> callback = this.cancelCallback;
			this.cancelCallback = null;
			if (callback != null) {
				this.lane.addFirst(() -> runCancelCallback(callback, why));
			}
			drain = startDrainingLocked();
		}
		if (drain) {
			this.executor.execute(this::drain);
		}
	}

	void onComplete(Runnable callback) {
		synchronized (this.lock) {
			if (this.completions != null) {
				this.completions.add(callback);
				return;
			}
		}
		runCompletionCallback(callback);
	}

	/**
	 * End the operation: end its scope (no cancellation wins any more), queue the
	 * completion callbacks behind a cancel callback that may still be queued or running,
	 * run {@code beforeCallbacks}, then hand the lane to the executor. Never waits for
	 * application code. Only the first call does anything.
	 * @param beforeCallbacks what to do once the outcome is decided, before any
	 * completion callback can run
	 * @return {@code true} when this call ended the operation
	 */
	boolean end(Runnable beforeCallbacks) {
		this.scope.end();
		boolean drain;
		synchronized (this.lock) {
			List<Runnable> done = this.completions;
			if (done == null) {
				return false;
			}
			this.completions = null;
			boolean cancelled = this.scope.isCancelled();
			if (!cancelled) {
				this.cancelCallback = null;
			}
			this.lane.add(() -> {
				try {
					done.forEach(this::runCompletionCallback);
				}
				finally {
					this.settled.countDown();
				}
			});
			this.held = cancelled && !this.cancellationReported;
			drain = !this.held && startDrainingLocked();
		}
		try {
			beforeCallbacks.run();
		}
		finally {
			if (drain) {
				this.executor.execute(this::drain);
			}
		}
		return true;
	}

	private boolean startDrainingLocked() {
		if (this.draining || this.lane.isEmpty()) {
			return false;
		}
		this.draining = true;
		return true;
	}

	private void drain() {
		while (true) {
			Runnable next;
			synchronized (this.lock) {
				next = this.lane.poll();
				if (next == null) {
					this.draining = false;
					return;
				}
			}
			next.run();
		}
	}

	private void runCancelCallback(Consumer<CancelReason> callback, CancelReason why) {
		try {
			callback.accept(why);
		}
		catch (Throwable ex) {
			logger.warn("Cancel callback of operation " + this.operationId + " failed", ex);
		}
	}

	private void runCompletionCallback(Runnable callback) {
		try {
			callback.run();
		}
		catch (Throwable ex) {
			logger.warn("Completion callback of operation " + this.operationId + " failed", ex);
		}
	}

	/**
	 * Wait until the operation has ended and its callbacks returned.
	 * @param deadlineNanos the {@link System#nanoTime()} reading to give up at
	 * @return {@code true} when they did
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	boolean awaitSettled(long deadlineNanos) throws InterruptedException {
		return this.settled.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

}
