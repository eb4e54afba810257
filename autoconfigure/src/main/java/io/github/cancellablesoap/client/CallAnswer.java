package io.github.cancellablesoap.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.github.cancellablesoap.client.CallVerdict.Decision;
import org.jspecify.annotations.Nullable;

/**
 * What the caller of a call waits for: the response, a transport failure, or the word
 * that a cancellation released it ({@link #RELEASED}); and, for a submitted call, the
 * pending call that may be released before its task ever runs. Whoever decided the call
 * completes it right after deciding, with no I/O in between.
 * <p>
 * Thread-safe: {@link #await} and {@link #interruptDeferred} run on the caller's thread,
 * the others on any thread; only the first completion counts.
 */
final class CallAnswer {

	/** What the wait gives when a cancellation released the caller. */
	private static final Object RELEASED = new Object();

	/** Completes the wait when a cancellation wins; carries no stack trace. */
	private static final Exception RELEASE = new Exception("call released", null, false, false) {
	};

	private final CompletableFuture<Object> response = new CompletableFuture<>();

	private final CallVerdict verdict;

	/**
	 * The result of a submitted call or of a call of the non-blocking form, set once
	 * right after admission.
	 */
	private volatile @Nullable CallResult<?> submission;

	/**
	 * Caller thread only: the caller was interrupted while it waited. The flag is set
	 * again when the caller leaves the proxy, not at once, so that a response that won
	 * over the interrupt is still read (SAAJ refuses to parse on an interrupted thread).
	 */
	private boolean interruptDeferred;

	CallAnswer(CallVerdict verdict) {
		this.verdict = verdict;
	}

	void respond(Object response) {
		this.response.complete(response);
	}

	void fail(IOException failure) {
		this.response.completeExceptionally(failure);
	}

	/**
	 * Fail the call with an exception of the proxy's own, thrown to the caller as it is.
	 * @param failure the exception
	 */
	void fail(ServiceCallException failure) {
		this.response.completeExceptionally(failure);
	}

	/**
	 * Wake whoever waits, once a cancellation decided the call: the pending call of a
	 * submitted call first (it may never have started), then the caller.
	 * @param cancelled the cancellation
	 */
	void release(Decision cancelled) {
		CallResult<?> pending = this.submission;
		if (pending != null) {
			pending.released(cancelled.outcome(), this.verdict.exceptionFor(cancelled));
		}
		this.response.completeExceptionally(RELEASE);
	}

	/**
	 * Hand the answer, once there is one (the response, a transport failure, or the
	 * release by a cancellation), to whoever processes it without waiting: the
	 * non-blocking form of a call. Runs on the thread that completes the answer, or at
	 * once on this one when it is already complete.
	 * @param onAnswer told once the answer is complete; it reads it with {@link #await}
	 */
	void whenAnswered(BiConsumer<Object, @Nullable Throwable> onAnswer) {
		this.response.whenComplete(onAnswer);
	}

	/**
	 * Tie a submitted call to its pending call; a cancellation that decided the call
	 * before this is handed over at once (each side writes its own field, then reads the
	 * other's).
	 * @param pending the pending call
	 */
	void submitted(CallResult<?> pending) {
		this.submission = pending;
		Decision cancelled = this.verdict.cancellation();
		if (cancelled != null) {
			pending.released(cancelled.outcome(), this.verdict.exceptionFor(cancelled));
		}
	}

	/**
	 * The result tied to the call by {@link #submitted}.
	 * @return the result, or {@code null} for a blocking call
	 */
	@Nullable CallResult<?> submission() {
		return this.submission;
	}

	/**
	 * Wait for the response until the deadline, then run {@code onDeadline} (which
	 * decides the call) and wait for what that decision gives. An interrupt runs
	 * {@code onInterrupt} (which decides the call unless something did first) and is
	 * deferred until {@link #interruptDeferred()}.
	 * @param deadline the call's deadline
	 * @param onDeadline times the call out, unless it is already decided
	 * @param onInterrupt aborts the call, unless it is already decided
	 * @return the response
	 * @throws IOException when the exchange failed
	 * @throws ServiceCallException when a cancellation decided the call
	 */
	Object await(CallDeadline deadline, Runnable onDeadline, Runnable onInterrupt) throws IOException {
		Object answered;
		try {
			answered = awaitUntil(deadline, onDeadline);
		}
		catch (InterruptedException ex) {
			onInterrupt.run();
			this.interruptDeferred = true;
			answered = awaitDecided();
		}
		if (answered == RELEASED) {
			throw this.verdict.exceptionFor(this.verdict.decided());
		}
		return answered;
	}

	/**
	 * Whether the caller was interrupted while it waited; called on the caller's thread.
	 * @return {@code true} when the caller's interrupt flag must be set again
	 */
	boolean interruptDeferred() {
		return this.interruptDeferred;
	}

	private Object awaitUntil(CallDeadline deadline, Runnable onDeadline) throws IOException, InterruptedException {
		while (true) {
			try {
				long remaining = deadline.untilNanos();
				if (remaining > 0) {
					return this.response.get(remaining, TimeUnit.NANOSECONDS);
				}
				onDeadline.run();
				return this.response.get();
			}
			catch (TimeoutException ex) {
				onDeadline.run();
			}
			catch (ExecutionException ex) {
				return failedOrReleased(ex.getCause());
			}
		}
	}

	/**
	 * Wait, without a deadline and uninterruptibly, for the answer of a call that is
	 * already decided: the response when it won, even over an interrupt that came too
	 * late.
	 */
	private Object awaitDecided() throws IOException {
		try {
			return this.response.join();
		}
		catch (CompletionException ex) {
			return failedOrReleased(ex.getCause());
		}
	}

	private static Object failedOrReleased(Throwable cause) throws IOException {
		if (cause instanceof IOException failure) {
			throw failure;
		}
		if (cause instanceof ServiceCallException failure) {
			throw failure;
		}
		return RELEASED;
	}

}
