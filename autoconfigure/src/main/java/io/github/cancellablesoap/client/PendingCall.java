package io.github.cancellablesoap.client;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A call started with {@link ServiceProxy#submit}: its id is known before it ends, and
 * its result is tied to its outcome.
 * <p>
 * The result completes when the call ends, however it ends: an abandon, abort or timeout
 * of a call whose task still waits in the executor's queue ends the call at once (its
 * quota slot is freed and listeners hear its end) and completes the result with
 * {@link CallAbandonedException}, {@link CallAbortedException} or
 * {@link CallTimedOutException}; the task then does nothing when the executor runs it.
 * <p>
 * {@link #cancel(boolean) cancel(true)} aborts the call: its channel is aborted and its
 * socket closed, as {@link ServiceProxy#abortCall} does. {@code cancel(false)} abandons
 * it: its caller is released while its I/O goes on in the background, as
 * {@link ServiceProxy#abandon} does. When that decides the call, the result is cancelled
 * ({@code get} throws {@code CancellationException}); cancelling {@link #result()}
 * directly does the same.
 * <p>
 * Thread-safe.
 *
 * @param <T> the result type
 * @param callId the call id, usable with {@link ServiceProxy#abandon} and
 * {@link ServiceProxy#abortCall}
 * @param result completes with the call's result, or exceptionally with the exception a
 * synchronous caller would have seen
 * @author Cancellable SOAP
 */
public record PendingCall<T>(String callId, CompletableFuture<@Nullable T> result) {

	/**
	 * Abort ({@code true}) or abandon ({@code false}) the call.
	 * @param mayInterruptIfRunning {@code true} to abort the call and close its socket,
	 * {@code false} to abandon it and let its I/O go on in the background
	 * @return {@code true} when this decided the call's outcome; {@code false} when the
	 * call already had one
	 */
	public boolean cancel(boolean mayInterruptIfRunning) {
		return this.result.cancel(mayInterruptIfRunning);
	}

}
