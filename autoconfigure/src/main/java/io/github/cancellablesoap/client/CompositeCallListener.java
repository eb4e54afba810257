package io.github.cancellablesoap.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Fans a proxy's call events out to several {@link CallListener}s, keeping each
 * listener's per-call state apart.
 * <p>
 * Immutable and thread-safe when its listeners are.
 *
 * @author Cancellable SOAP
 */
public final class CompositeCallListener implements CallListener {

	private final CallListener[] listeners;

	private CompositeCallListener(List<? extends CallListener> listeners) {
		this.listeners = listeners.toArray(new CallListener[0]);
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
		@Nullable Object[] states = new Object[this.listeners.length];
		for (int i = 0; i < this.listeners.length; i++) {
			states[i] = this.listeners[i].callStarted(call);
		}
		return states;
	}

	@Override
	public @Nullable String traceId(@Nullable Object state) {
		@Nullable Object[] states = (Object[]) state;
		for (int i = 0; i < this.listeners.length; i++) {
			String traceId = this.listeners[i].traceId((states != null) ? states[i] : null);
			if (traceId != null) {
				return traceId;
			}
		}
		return null;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A later listener's header replaces an earlier one's of the same name.
	 */
	@Override
	public Map<String, String> requestHeaders(@Nullable Object state) {
		@Nullable Object[] states = (Object[]) state;
		Map<String, String> first = Map.of();
		Map<String, String> merged = null;
		for (int i = 0; i < this.listeners.length; i++) {
			Map<String, String> headers = this.listeners[i].requestHeaders((states != null) ? states[i] : null);
			if (headers.isEmpty()) {
				continue;
			}
			if (first.isEmpty()) {
				first = headers;
			}
			else {
				if (merged == null) {
					merged = new LinkedHashMap<>(first);
				}
				merged.putAll(headers);
			}
		}
		return (merged != null) ? merged : first;
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		@Nullable Object[] states = (Object[]) state;
		for (int i = 0; i < this.listeners.length; i++) {
			this.listeners[i].callEnded(call, (states != null) ? states[i] : null);
		}
	}

	@Override
	public void callRejected(String proxy, String callId) {
		for (CallListener listener : this.listeners) {
			listener.callRejected(proxy, callId);
		}
	}

	@Override
	public void aborted(AbortEvent event) {
		for (CallListener listener : this.listeners) {
			listener.aborted(event);
		}
	}

}
