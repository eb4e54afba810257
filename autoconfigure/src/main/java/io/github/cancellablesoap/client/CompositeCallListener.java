package io.github.cancellablesoap.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
		@Nullable String[] found = new String[1];
		eachStarted(state, "traceId", (listener, own) -> (found[0] = listener.traceId(own)) != null);
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
		eachStarted(state, "requestHeaders", (listener, own) -> merged.add(listener.requestHeaders(own)));
		return merged.result();
	}

	@Override
	public void callEnded(EndedCall call, @Nullable Object state) {
		eachStarted(state, "callEnded", (listener, own) -> {
			listener.callEnded(call, own);
			return false;
		});
	}

	@Override
	public void callRejected(String proxy, String callId) {
		each("callRejected", (listener) -> listener.callRejected(proxy, callId));
	}

	@Override
	public void aborted(AbortEvent event) {
		each("aborted", (listener) -> listener.aborted(event));
	}

	/**
	 * Run a hook on every listener that heard the call start, in order, until one says it
	 * is done; a listener that throws is logged and the next one runs.
	 */
	private void eachStarted(@Nullable Object state, String hook, StartedHook action) {
		@Nullable Object[] states = (Object[]) state;
		for (int i = 0; i < this.listeners.length; i++) {
			Object own = (states != null) ? states[i] : null;
			if (own == NOT_STARTED) {
				continue;
			}
			try {
				if (action.apply(this.listeners[i], own)) {
					return;
				}
			}
			catch (RuntimeException ex) {
				failed(i, hook, ex);
			}
		}
	}

	private void each(String hook, Consumer<CallListener> action) {
		for (int i = 0; i < this.listeners.length; i++) {
			try {
				action.accept(this.listeners[i]);
			}
			catch (RuntimeException ex) {
				failed(i, hook, ex);
			}
		}
	}

	private void failed(int index, String hook, RuntimeException ex) {
		logger.warn("Call listener " + this.listeners[index].getClass().getName() + " failed in " + hook
				+ "; it is skipped", ex);
	}

	/**
	 * A hook run for one listener with its own state for the call.
	 */
	@FunctionalInterface
	private interface StartedHook {

		/**
		 * Run the hook.
		 * @param listener the listener
		 * @param own what it keeps for the call
		 * @return {@code true} when no later listener needs to run
		 */
		boolean apply(CallListener listener, @Nullable Object own);

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
