package io.github.cancellablesoap.client;

import java.util.Map;

import io.github.cancellablesoap.core.InlineListener;
import io.github.cancellablesoap.core.IsolatedDelivery;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CallListener} kept off the product's threads: the events that may be raised on
 * a timer, a caller-gone detector or the close pool ({@link #callEnded},
 * {@link #callRejected}, {@link #aborted}) go through an {@link IsolatedDelivery}; the
 * ones whose answer the call needs ({@link #callStarted}, {@link #traceId},
 * {@link #requestHeaders}) run on the caller's thread, as they always do.
 * <p>
 * Thread-safe when the listener is.
 *
 * @author Cancellable SOAP
 */
public final class IsolatedCallListener implements CallListener {

	private final CallListener listener;

	private final IsolatedDelivery delivery;

	private IsolatedCallListener(CallListener listener) {
		this.listener = listener;
		this.delivery = new IsolatedDelivery("Call listener " + listener.getClass().getName());
	}

	/**
	 * Isolate a listener, unless it is an {@link InlineListener} (or already isolated).
	 * @param listener the listener
	 * @return the listener to install
	 */
	public static CallListener of(CallListener listener) {
		if (listener == CallListener.NONE || listener instanceof InlineListener
				|| listener instanceof IsolatedCallListener) {
			return listener;
		}
		return new IsolatedCallListener(listener);
	}

	@Override
	public @Nullable Object callStarted(StartedCall call) {
		return this.listener.callStarted(call);
	}

	@Override
	public @Nullable String traceId(@Nullable Object state) {
		return this.listener.traceId(state);
	}

	@Override
	public Map<String, String> requestHeaders(@Nullable Object state) {
		return this.listener.requestHeaders(state);
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		this.delivery.deliver("callEnded", () -> this.listener.callEnded(call, state));
	}

	@Override
	public void callRejected(String proxy, String callId) {
		this.delivery.deliver("callRejected", () -> this.listener.callRejected(proxy, callId));
	}

	@Override
	public void aborted(AbortEvent event) {
		this.delivery.deliver("aborted", () -> this.listener.aborted(event));
	}

	@Override
	public String toString() {
		return "isolated " + this.listener;
	}

}
