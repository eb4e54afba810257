package io.github.cancellablesoap.client;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The result of a call that a {@link PendingCall} hands out (a submitted call's, or a
 * call of the non-blocking form): {@link #cancel(boolean) cancel(true)} aborts the call
 * (its channel is aborted, its socket closed), {@code cancel(false)} abandons it (its I/O
 * goes on in the background, bounded by the abandoned-I/O timeout); when that decided the
 * call, the future ends cancelled once the call's caller part has ended.
 * <p>
 * Thread-safe: {@link #cancel} may be called from any thread; {@link #failWith} is called
 * once, by whoever ends the call.
 *
 * @param <T> the result type
 */
abstract class CallResult<T> extends CompletableFuture<@Nullable T> {

	final Call call;

	private volatile boolean cancelling;

	CallResult(Call call) {
		this.call = call;
	}

	/**
	 * Abort ({@code true}) or abandon ({@code false}) the call; when that decides it,
	 * this future is cancelled.
	 * @param mayInterruptIfRunning {@code true} to abort the call and close its socket,
	 * {@code false} to abandon it
	 * @return whether this decided the call
	 */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		this.cancelling = true;
		if (mayInterruptIfRunning) {
			return this.call.abortRequested("call", "pending call cancelled").won();
		}
		return this.call.abandon().changed();
	}

	/**
	 * A cancellation decided the call; a result whose task may not have started ends the
	 * call here if it did not. Nothing by default: the task itself ends the call.
	 * @param outcome the call's outcome
	 * @param thrown the exception a caller would get
	 */
	void released(CallOutcome outcome, ServiceCallException thrown) {
	}

	/**
	 * A proxy abort, or a proxy close past its close-timeout, reached the call after
	 * releasing its caller: a result whose processing task was handed over but has not
	 * run ends the call here, as aborted. Nothing by default.
	 * @param reason the abort's reason
	 * @return whether this ended the call
	 */
	boolean endUnprocessed(@Nullable String reason) {
		return false;
	}

	/**
	 * Complete this future with what a synchronous caller would have got: cancelled when
	 * a {@link #cancel} of this future decided the call, else exceptionally.
	 * @param thrown the exception
	 */
	final void failWith(Throwable thrown) {
		if (this.cancelling && thrown instanceof ServiceCallException failure
				&& failure.getOutcome().isCancellation()) {
			super.cancel(false);
		}
		else {
			completeExceptionally(thrown);
		}
	}

}
