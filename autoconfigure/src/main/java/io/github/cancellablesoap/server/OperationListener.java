package io.github.cancellablesoap.server;

import org.jspecify.annotations.Nullable;

/**
 * Hears what happens to a host's requests and operations, for metrics, traces and logs.
 * Methods are called synchronously on the thread where the event is decided (a container
 * thread, the thread that cancels or aborts, the timer thread or a detector's thread), so
 * that meters and observations see events in order and at once; they must be quick and
 * must not block. Listener beans that the auto-configuration installs are wrapped in an
 * {@link IsolatedOperationListener} (unless they are
 * {@link io.github.cancellablesoap.core.InlineListener}s), so the events raised on the
 * product's own threads reach them on an application thread, in order: one that blocks
 * there harms only itself. An exception thrown by a listener is logged and skipped, and
 * other listeners still hear the event (see {@link CompositeOperationListener}).
 * Application logic that may block belongs in {@link OperationContext#onCancel} and
 * {@link OperationContext#onComplete}, which run on callback threads. The default methods
 * do nothing.
 * <p>
 * For every admitted operation {@link #operationStarted} is called once and
 * {@link #operationEnded} exactly once afterwards, cancelled and failed operations
 * included; when its endpoint runs, {@link #operationServing} is called once in between,
 * on the serving thread, and the scope it returns is closed there before the end. A
 * refused request only gets {@link #operationRejected}.
 * <p>
 * Implementations must be thread-safe.
 *
 * @author Cancellable SOAP
 */
public interface OperationListener {

	/** A listener that does nothing. */
	OperationListener NONE = new OperationListener() {
	};

	/**
	 * A request was refused before it was admitted.
	 * @param rejection the host and why
	 */
	default void operationRejected(Rejection rejection) {
	}

	/**
	 * An operation was admitted and starts now.
	 * @param operation the operation
	 * @return a per-operation object handed back to {@link #operationEnded}, or
	 * {@code null}
	 */
	default @Nullable Object operationStarted(StartedOperation operation) {
		return null;
	}

	/**
	 * The admitted operation's endpoint is about to run on the calling thread, its
	 * serving thread: open what must be current there while it runs (such as the
	 * operation's observation, so that calls the endpoint makes are its children). Called
	 * at most once per operation, after {@link #operationStarted} and before
	 * {@link #operationEnded}; an operation refused or cancelled before it ran may never
	 * get it. The scope returned is closed on the same thread, in a {@code finally}, once
	 * the endpoint returned or threw.
	 * @param state what {@link #operationStarted} returned
	 * @return the scope to close when the endpoint is done, {@link ServingScope#NONE} for
	 * nothing to close
	 */
	default ServingScope operationServing(@Nullable Object state) {
		return ServingScope.NONE;
	}

	/**
	 * An admitted operation ended: exactly once per operation.
	 * @param operation the operation and its outcome
	 * @param state what {@link #operationStarted} returned
	 */
	default void operationEnded(EndedOperation operation, @Nullable Object state) {
	}

	/**
	 * Something was aborted: a host, its listener, or an operation (cancelled).
	 * @param event what was aborted, why and by whom
	 */
	default void aborted(AbortEvent event) {
	}

	/**
	 * A refused request.
	 *
	 * @param host the host name
	 * @param reason a short, bounded category: {@code host-not-open},
	 * {@code listener-not-open} or {@code over-capacity}
	 * @param hostState the host's state when it refused
	 * @param listenerState the listener's state when it refused
	 */
	record Rejection(String host, String reason, HostState hostState, ListenerState listenerState) {

	}

	/**
	 * An operation that starts.
	 *
	 * @param host the host name
	 * @param operationId the operation id
	 * @param callerCallId the call id the caller sent, or {@code null}
	 * @param requestHeaders the headers of the operation's request, for a listener that
	 * continues the caller's trace; readable only during {@link #operationStarted}
	 */
	record StartedOperation(String host, String operationId, @Nullable String callerCallId,
			RequestHeaders requestHeaders) {

		/**
		 * An operation whose request headers are not known.
		 * @param host the host name
		 * @param operationId the operation id
		 * @param callerCallId the call id the caller sent, or {@code null}
		 */
		public StartedOperation(String host, String operationId, @Nullable String callerCallId) {
			this(host, operationId, callerCallId, RequestHeaders.NONE);
		}

		/**
		 * A header of the operation's request.
		 * @param name the header name, in any case
		 * @return the header's first value, or {@code null} when the request has none
		 */
		public @Nullable String requestHeader(String name) {
			return this.requestHeaders.get(name);
		}

	}

	/**
	 * Reads the headers of an operation's request, by name in any case; only while the
	 * listener hears the operation's start, on that thread.
	 */
	@FunctionalInterface
	interface RequestHeaders {

		/** No headers. */
		RequestHeaders NONE = (name) -> null;

		/**
		 * A header's first value.
		 * @param name the header name, in any case
		 * @return the value, or {@code null} when the request has no such header
		 */
		@Nullable String get(String name);

	}

	/**
	 * What a listener made current on an operation's serving thread, closed on that
	 * thread when the endpoint is done.
	 */
	@FunctionalInterface
	interface ServingScope extends AutoCloseable {

		/** Nothing to close. */
		ServingScope NONE = () -> {
		};

		/**
		 * Undo what was made current; must not throw.
		 */
		@Override
		void close();

	}

	/**
	 * An operation that ended.
	 *
	 * @param host the host name
	 * @param operationId the operation id
	 * @param callerCallId the call id the caller sent, or {@code null}
	 * @param operation the operation's name as the endpoint mapping that matched it keys
	 * it (the SOAP action or the payload root's local name, else the endpoint method's
	 * name), so bounded by the application's endpoints; {@code null} when no served
	 * endpoint was found
	 * @param outcome how it ended
	 * @param cancelReason why it was cancelled when the outcome is
	 * {@link OperationOutcome#CANCELLED}, else {@code null}
	 * @param durationNanos from admission to the end
	 * @param failure the exception behind a failure or fault, when one is known, else
	 * {@code null}
	 */
	record EndedOperation(String host, String operationId, @Nullable String callerCallId, @Nullable String operation,
			OperationOutcome outcome, @Nullable CancelReason cancelReason, long durationNanos,
			@Nullable Throwable failure) {

	}

	/**
	 * An abort.
	 *
	 * @param host the host name
	 * @param target what was aborted: {@code host}, {@code listener} or {@code operation}
	 * @param reason a short, bounded category: {@code requested} for a host or listener
	 * abort, the kebab-case {@link CancelReason} (such as {@code host-aborted} or
	 * {@code caller-gone}) for an operation
	 * @param initiator who asked: {@code application} for a call of the public API
	 * ({@code abort}, {@code abortListener}, {@code cancel}), {@code host} for the host's
	 * own limits and cascades (abort, close timeout, deadline), {@code caller} when the
	 * caller went away or cancelled its call
	 */
	record AbortEvent(String host, String target, String reason, String initiator) {

	}

}
