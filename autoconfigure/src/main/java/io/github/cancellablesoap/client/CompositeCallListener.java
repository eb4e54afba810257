package io.github.cancellablesoap.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private static final Log logger = LogFactory.getLog(CompositeCallListener.class);

	/** The state of a listener whose {@code callStarted} threw for the call. */
	private static final Object NOT_STARTED = new Object();

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
			try {
				states[i] = this.listeners[i].callStarted(call);
			}
			catch (RuntimeException ex) {
				failed(i, "callStarted", ex);
				states[i] = NOT_STARTED;
			}
		}
		return states;
	}

	@Override
	public @Nullable String traceId(@Nullable Object state) {
		@Nullable Object[] states = (Object[]) state;
		for (int i = 0; i < this.listeners.length; i++) {
			Object own = (states != null) ? states[i] : null;
			if (own == NOT_STARTED) {
				continue;
			}
			try {
				String traceId = this.listeners[i].traceId(own);
				if (traceId != null) {
					return traceId;
				}
			}
			catch (RuntimeException ex) {
				failed(i, "traceId", ex);
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
			Object own = (states != null) ? states[i] : null;
			if (own == NOT_STARTED) {
				continue;
			}
			Map<String, String> headers;
			try {
				headers = this.listeners[i].requestHeaders(own);
			}
			catch (RuntimeException ex) {
				failed(i, "requestHeaders", ex);
				continue;
			}
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
			Object own = (states != null) ? states[i] : null;
			if (own == NOT_STARTED) {
				continue;
			}
			try {
				this.listeners[i].callEnded(call, own);
			}
			catch (RuntimeException ex) {
				failed(i, "callEnded", ex);
			}
		}
	}

	@Override
	public void callRejected(String proxy, String callId) {
		for (int i = 0; i < this.listeners.length; i++) {
			try {
				this.listeners[i].callRejected(proxy, callId);
			}
			catch (RuntimeException ex) {
				failed(i, "callRejected", ex);
			}
		}
	}

	@Override
	public void aborted(AbortEvent event) {
		for (int i = 0; i < this.listeners.length; i++) {
			try {
				this.listeners[i].aborted(event);
			}
			catch (RuntimeException ex) {
				failed(i, "aborted", ex);
			}
		}
	}

	private void failed(int index, String hook, RuntimeException ex) {
		logger.warn("Call listener " + this.listeners[index].getClass().getName() + " failed in " + hook
				+ "; it is skipped", ex);
	}

}
