package io.github.cancellablesoap.client;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the caller of a call waits for: the response, a transport failure, or the word
 * that a cancellation released it ({@link #RELEASED}). Whoever decided the call completes
 * it right after deciding, with no I/O in between.
 * <p>
 * Thread-safe: {@link #await} and {@link #awaitDecided} run on the caller's thread, the
 * others on any thread; only the first completion counts.
 */
final class CallAnswer {

	/** What {@link #await} returns when a cancellation released the caller. */
	static final Object RELEASED = new Object();

	/** Completes the wait when a cancellation wins; carries no stack trace. */
	private static final Exception RELEASE = new Exception("call released", null, false, false) {
	};

	private final CompletableFuture<Object> response = new CompletableFuture<>();

	void respond(Object response) {
		this.response.complete(response);
	}

	void fail(IOException failure) {
		this.response.completeExceptionally(failure);
	}

	void release() {
		this.response.completeExceptionally(RELEASE);
	}

	/**
	 * Wait for the answer until the deadline, then run {@code onDeadline} (which decides
	 * the call) and wait for the answer that decision gives.
	 * @param deadline the call's deadline
	 * @param onDeadline times the call out, unless it is already decided
	 * @return the response, or {@link #RELEASED}
	 * @throws IOException when the exchange failed
	 * @throws InterruptedException when the caller was interrupted
	 */
	Object await(CallDeadline deadline, Runnable onDeadline) throws IOException, InterruptedException {
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
	 * @return the response, or {@link #RELEASED}
	 * @throws IOException when the exchange failed
	 */
	Object awaitDecided() throws IOException {
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
		return RELEASED;
	}

}
