package io.github.cancellablesoap.client;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Hears what happens to a proxy's calls, for metrics, traces and logs. Methods are called
 * on the thread where the event happens (caller, operator, I/O or timer thread) and
 * should be quick; the default methods do nothing. Listener beans that the
 * auto-configuration installs are wrapped in an {@link IsolatedCallListener} (unless they
 * are {@link io.github.cancellablesoap.core.InlineListener}s), so the events raised on
 * the product's own threads (a timer, a caller-gone detector, the close pool) reach them
 * on an application thread, in order: one that blocks there harms only itself. A method
 * that throws is logged and skipped: the call goes on, is released exactly once and keeps
 * its outcome, and a listener whose {@link #callStarted} threw hears nothing more of that
 * call.
 * <p>
 * Implementations must be thread-safe.
 *
 * @author Cancellable SOAP
 */
public interface CallListener {

	/** A listener that does nothing. */
	CallListener NONE = new CallListener() {
	};

	/**
	 * A call was admitted and starts now.
	 * @param call the call
	 * @return a per-call object handed back to {@link #callEnded}, or {@code null}
	 */
	default @Nullable Object callStarted(StartedCall call) {
		return null;
	}

	/**
	 * The trace id of a call that {@link #callStarted} started, asked once right after
	 * it; it is shown in the call's {@link CallInfo}.
	 * @param state what {@link #callStarted} returned
	 * @return the trace id, or {@code null} when the call is not traced
	 */
	default @Nullable String traceId(@Nullable Object state) {
		return null;
	}

	/**
	 * Headers to send with the request of a call that {@link #callStarted} started, such
	 * as a trace context; asked on the caller's thread when the transport sends the
	 * request.
	 * @param state what {@link #callStarted} returned
	 * @return the headers by name, empty for none; the caller does not modify them
	 */
	default Map<String, String> requestHeaders(@Nullable Object state) {
		return Map.of();
	}

	/**
	 * A call's caller was released with its outcome: exactly once per admitted call.
	 * @param call the call
	 * @param state what {@link #callStarted} returned
	 */
	default void callEnded(EndedCall call, @Nullable Object state) {
	}

	/**
	 * A call was rejected before it started.
	 * @param proxy the proxy name
	 * @param callId the id given to the rejected call
	 */
	default void callRejected(String proxy, String callId) {
	}

	/**
	 * Something was aborted: a proxy, a call's channel, or the I/O of an abandoned call.
	 * @param event what was aborted, why and by whom
	 */
	default void aborted(AbortEvent event) {
	}

	/**
	 * A call that starts.
	 *
	 * @param proxy the proxy name
	 * @param callId the call id
	 */
	record StartedCall(String proxy, String callId) {

	}

	/**
	 * A call whose caller was released.
	 *
	 * @param proxy the proxy name
	 * @param callId the call id
	 * @param operation the operation called, or {@code null} when the request was never
	 * built
	 * @param outcome how the call ended for its caller
	 * @param durationNanos from admission to release
	 * @param failure what the caller got thrown, or {@code null}
	 */
	record EndedCall(String proxy, String callId, @Nullable String operation, CallOutcome outcome, long durationNanos,
			@Nullable Throwable failure) {

	}

	/**
	 * An abort.
	 *
	 * @param proxy the proxy name
	 * @param target what was aborted: {@code proxy}, {@code call} or {@code channel}
	 * @param reason a short, bounded reason category such as {@code call-timeout},
	 * {@code close-timeout}, {@code abandoned-io-timeout} or {@code requested}
	 * @param initiator who asked: {@code proxy} for the proxy's own limits,
	 * {@code application} for a call of the public API
	 * @param cancelledIo whether running I/O was cancelled
	 */
	record AbortEvent(String proxy, String target, String reason, String initiator, boolean cancelledIo) {

	}

}
