package io.github.cancellablesoap.server;

import java.util.ArrayList;
import java.util.List;

import io.github.cancellablesoap.core.ListenerFanout;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Fans a host's events out to several {@link OperationListener}s, keeping each listener's
 * per-operation state apart.
 * <p>
 * Immutable and thread-safe when its listeners are. Each listener is isolated at every
 * hook: one that throws is logged and skipped, and the others still hear the event (a
 * failing meter listener cannot leave an observation unstopped). One whose
 * {@code operationStarted} threw hears nothing more of that operation, so it never sees
 * an end without a start.
 *
 * @author Cancellable SOAP
 */
public final class CompositeOperationListener implements OperationListener {

	private static final Log logger = LogFactory.getLog(CompositeOperationListener.class);

	private final ListenerFanout<OperationListener> listeners;

	private CompositeOperationListener(List<? extends OperationListener> listeners) {
		this.listeners = new ListenerFanout<>("Operation listener", listeners);
	}

	/**
	 * One listener for several.
	 * @param listeners the listeners, called in order
	 * @return {@link OperationListener#NONE} for none, the listener itself for one, else
	 * a composite
	 */
	public static OperationListener of(List<? extends OperationListener> listeners) {
		if (listeners.isEmpty()) {
			return OperationListener.NONE;
		}
		return (listeners.size() == 1) ? listeners.get(0) : new CompositeOperationListener(listeners);
	}

	@Override
	public void operationRejected(Rejection rejection) {
		this.listeners.each("operationRejected", (listener) -> listener.operationRejected(rejection));
	}

	@Override
	public Object operationStarted(StartedOperation operation) {
		return this.listeners.start("operationStarted", (listener) -> listener.operationStarted(operation));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Opens each listener's scope in order and closes them in reverse order; a listener
	 * that throws while opening or closing its scope is logged and skipped.
	 */
	@Override
	public ServingScope operationServing(@Nullable Object state) {
		List<ServingScope> scopes = new ArrayList<>(2);
		// a listener that breaks its contract and returns null is tolerated, as
		// OperationEvents does for a single listener
		this.listeners.eachStarted(state, "operationServing", (listener, own) -> {
			ServingScope scope = listener.operationServing(own);
			if (scope != null && scope != ServingScope.NONE) {
				scopes.add(scope);
			}
			return false;
		});
		return () -> {
			for (int i = scopes.size() - 1; i >= 0; i--) {
				try {
					scopes.get(i).close();
				}
				catch (RuntimeException ex) {
					logger.warn("The serving scope " + scopes.get(i) + " of an operation listener failed to close; "
							+ "it is skipped", ex);
				}
			}
		};
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		this.listeners.eachStarted(state, "operationEnded", (listener, own) -> {
			listener.operationEnded(operation, own);
			return false;
		});
	}

	@Override
	public void aborted(AbortEvent event) {
		this.listeners.each("aborted", (listener) -> listener.aborted(event));
	}

}
