package io.github.cancellablesoap.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cancellablesoap.core.ListenerFanout;
import org.jspecify.annotations.Nullable;

/**
 * Fans a proxy's call events out to several {@link CallListener}s, keeping each
 * listener's per-call state apart and each listener's failures to itself.
 * <p>
 * A listener that throws is logged and skipped; the others still hear the event. One
 * whose {@code callStarted} threw hears nothing more of that call, so it never sees an
 * end without a start.
 * <p>
 * Immutable and thread-safe when its listeners are.
 *
 * @author Cancellable SOAP
 */
public final class CompositeCallListener implements CallListener {

	private final ListenerFanout<CallListener> listeners;

	private CompositeCallListener(List<? extends CallListener> listeners) {
		this.listeners = new ListenerFanout<>("Call listener", listeners);
	}

	/**
	 * One listener for several.
	 * @param listeners the listeners, called in order
	 * @return {@link CallListener#NONE} for none, the listener itself for one, else a
	 * composite
	 */
	public static CallListener of(List<? extends CallListener> listeners) {
		if (listeners.isEmpty()) {
			return CallListener.NONE;
		}
		return (listeners.size() == 1) ? listeners.get(0) : new CompositeCallListener(listeners);
	}

	@Override
	public Object callStarted(StartedCall call) {
		return this.listeners.start("callStarted", (listener) -> listener.callStarted(call));
	}

	@Override
	public @Nullable String traceId(@Nullable Object state) {
		@Nullable String[] found = new String[1];
		this.listeners.eachStarted(state, "traceId", (listener, own) -> (found[0] = listener.traceId(own)) != null);
		return found[0];
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A later listener's header replaces an earlier one's of the same name.
	 */
	@Override
	public Map<String, String> requestHeaders(@Nullable Object state) {
		HeaderMerge merged = new HeaderMerge();
		this.listeners.eachStarted(state, "requestHeaders",
				(listener, own) -> merged.add(listener.requestHeaders(own)));
		return merged.result();
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		this.listeners.eachStarted(state, "callEnded", (listener, own) -> {
			listener.callEnded(call, own);
			return false;
		});
	}

	@Override
	public void callRejected(String proxy, String callId) {
		this.listeners.each("callRejected", (listener) -> listener.callRejected(proxy, callId));
	}

	@Override
	public void aborted(AbortEvent event) {
		this.listeners.each("aborted", (listener) -> listener.aborted(event));
	}

	/**
	 * Merges the request headers of several listeners without copying when only one gives
	 * any.
	 */
	private static final class HeaderMerge {

		private Map<String, String> first = Map.of();

		private @Nullable Map<String, String> merged;

		boolean add(Map<String, String> headers) {
			if (headers.isEmpty()) {
				return false;
			}
			if (this.first.isEmpty()) {
				this.first = headers;
			}
			else {
				if (this.merged == null) {
					this.merged = new LinkedHashMap<>(this.first);
				}
				this.merged.putAll(headers);
			}
			return false;
		}

		Map<String, String> result() {
			return (this.merged != null) ? this.merged : this.first;
		}

	}

}
