package io.github.cancellablesoap.server;

import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.AbortInitiator;

/**
 * Tells the {@link OperationListener} that was current at an operation's admission what
 * happens to the operation: its start, its cancellation, its end with the outcome. A
 * listener that throws is logged and breaks nothing else.
 * <p>
 * Thread-safe: {@link #started} runs on the admitting thread, {@link #serving} on the
 * serving thread, {@link #cancelled} on the cancelling one, {@link #ended} on the thread
 * that ends the operation; the state the listener returned at the start is handed over
 * through a volatile field.
 */
final class OperationEvents {

	private static final Log logger = LogFactory.getLog(OperationEvents.class);

	private final String host;

	private final String operationId;

	private final @Nullable String callerCallId;

	private final OperationListener listener;

	private volatile @Nullable Object listenerState;

	private volatile @Nullable String mappedName;

	private volatile @Nullable Throwable failure;

	OperationEvents(String host, String operationId, @Nullable String callerCallId, OperationListener listener) {
		this.host = host;
		this.operationId = operationId;
		this.callerCallId = callerCallId;
		this.listener = listener;
	}

	boolean isListened() {
		return this.listener != OperationListener.NONE;
	}

	/**
	 * Tell the listener that the operation starts. The request's headers are readable
	 * only until the listener returns: the container recycles the request once the
	 * exchange is over, so a listener that kept them must not read another request's.
	 * @param requestHeaders the request's headers
	 */
	void started(OperationListener.RequestHeaders requestHeaders) {
		if (isListened()) {
			StartHeaders headers = new StartHeaders(requestHeaders);
			try {
				notifyListener(() -> this.listenerState = this.listener
					.operationStarted(new OperationListener.StartedOperation(this.host, this.operationId,
							this.callerCallId, headers)));
			}
			finally {
				headers.readable = false;
			}
		}
	}

	/**
	 * Let the listener open its scope on the serving thread, whose close is isolated too:
	 * a listener that throws while opening or closing it is logged and skipped.
	 * @return the scope to close on the same thread when the endpoint is done
	 */
	OperationListener.ServingScope serving() {
		if (!isListened()) {
			return OperationListener.ServingScope.NONE;
		}
		OperationListener.ServingScope scope;
		try {
			scope = this.listener.operationServing(this.listenerState);
		}
		catch (RuntimeException ex) {
			logger.warn("Operation listener of service host '" + this.host + "' failed", ex);
			return OperationListener.ServingScope.NONE;
		}
		return (scope != null) ? () -> notifyListener(scope::close) : OperationListener.ServingScope.NONE;
	}

	void mapped(String name) {
		this.mappedName = name;
	}

	/**
	 * Record what serving the operation failed with, for the end's notification.
	 * @param ex the exception
	 */
	void failed(Throwable ex) {
		this.failure = ex;
	}

	void cancelled(CancelReason why) {
		if (isListened()) {
			notifyListener(() -> this.listener
				.aborted(new OperationListener.AbortEvent(this.host, "operation", category(why), initiator(why))));
		}
	}

	/**
	 * Tell the listener that the operation ended.
	 * @param answer what the caller was answered, or {@code null}
	 * @param reason why it was cancelled, or {@code null}
	 * @param elapsedNanos how long it ran
	 */
	void ended(@Nullable OperationOutcome answer, @Nullable CancelReason reason, long elapsedNanos) {
		if (!isListened()) {
			return;
		}
		OperationOutcome outcome = outcome(answer, reason);
		boolean cancelled = outcome == OperationOutcome.CANCELLED;
		OperationListener.EndedOperation ended = new OperationListener.EndedOperation(this.host, this.operationId,
				this.callerCallId, this.mappedName, outcome, cancelled ? reason : null, elapsedNanos,
				cancelled ? null : this.failure);
		Object state = this.listenerState;
		notifyListener(() -> this.listener.operationEnded(ended, state));
	}

	/**
	 * The outcome of an ended operation: what it answered, else (it ended before an
	 * answer was decided) cancelled when it was cancelled and failed otherwise; an
	 * operation that failed after it was cancelled counts as cancelled.
	 */
	static OperationOutcome outcome(@Nullable OperationOutcome answer, @Nullable CancelReason reason) {
		if (answer == null || answer == OperationOutcome.FAILED) {
			return (reason != null) ? OperationOutcome.CANCELLED : OperationOutcome.FAILED;
		}
		return answer;
	}

	/**
	 * The bounded category of a cancel reason, as metrics tag it: {@code host-aborted},
	 * {@code caller-gone}...
	 */
	static String category(CancelReason reason) {
		return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static String initiator(CancelReason reason) {
		return switch (reason) {
			case OPERATOR -> AbortInitiator.current();
			case CALLER_GONE, CALLER_CANCELLED -> "caller";
			case HOST_ABORTED, HOST_CLOSE_TIMED_OUT, DEADLINE_EXCEEDED -> "host";
		};
	}

	private void notifyListener(Runnable notification) {
		try {
			notification.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Operation listener of service host '" + this.host + "' failed", ex);
		}
	}

	/**
	 * The request's headers while the listener hears the start, nothing afterwards.
	 */
	private static final class StartHeaders implements OperationListener.RequestHeaders {

		private final OperationListener.RequestHeaders headers;

		private volatile boolean readable = true;

		StartHeaders(OperationListener.RequestHeaders headers) {
			this.headers = headers;
		}

		@Override
		public @Nullable String get(String name) {
			return this.readable ? this.headers.get(name) : null;
		}

	}

}
