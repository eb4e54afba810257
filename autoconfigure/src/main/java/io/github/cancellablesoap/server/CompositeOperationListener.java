package io.github.cancellablesoap.server;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Fans a host's events out to several {@link OperationListener}s, keeping each listener's
 * per-operation state apart.
 * <p>
 * Immutable and thread-safe when its listeners are. Each listener is isolated at every
 * hook: one that throws is logged and skipped, and the others still hear the event (a
 * failing meter listener cannot leave an observation unstopped).
 *
 * @author Cancellable SOAP
 */
public final class CompositeOperationListener implements OperationListener {

	private static final Log logger = LogFactory.getLog(CompositeOperationListener.class);

	private final OperationListener[] listeners;

	private CompositeOperationListener(List<? extends OperationListener> listeners) {
		this.listeners = listeners.toArray(new OperationListener[0]);
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
		for (OperationListener listener : this.listeners) {
			try {
				listener.operationRejected(rejection);
			}
			catch (RuntimeException ex) {
				failed(listener, "operationRejected", ex);
			}
		}
	}

	@Override
	public Object operationStarted(StartedOperation operation) {
		@Nullable Object[] states = new Object[this.listeners.length];
		for (int i = 0; i < this.listeners.length; i++) {
			try {
				states[i] = this.listeners[i].operationStarted(operation);
			}
			catch (RuntimeException ex) {
				failed(this.listeners[i], "operationStarted", ex);
			}
		}
		return states;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Opens each listener's scope in order and closes them in reverse order; a listener
	 * that throws while opening or closing its scope is logged and skipped.
	 */
	@Override
	public ServingScope operationServing(@Nullable Object state) {
		@Nullable Object[] states = (state instanceof Object[] array && array.length == this.listeners.length) ? array : null;
		@Nullable ServingScope[] scopes = new ServingScope[this.listeners.length];
		for (int i = 0; i < this.listeners.length; i++) {
			try {
				scopes[i] = this.listeners[i].operationServing((states != null) ? states[i] : null);
			}
			catch (RuntimeException ex) {
				failed(this.listeners[i], "operationServing", ex);
			}
		}
		return () -> {
			for (int i = scopes.length - 1; i >= 0; i--) {
				try {
					if (scopes[i] != null) {
						scopes[i].close();
					}
				}
				catch (RuntimeException ex) {
					failed(this.listeners[i], "operationServing's close", ex);
				}
			}
		};
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		@Nullable Object[] states = (state instanceof Object[] array && array.length == this.listeners.length) ? array : null;
		for (int i = 0; i < this.listeners.length; i++) {
			try {
				this.listeners[i].operationEnded(operation, (states != null) ? states[i] : null);
			}
			catch (RuntimeException ex) {
				failed(this.listeners[i], "operationEnded", ex);
			}
		}
	}

	@Override
	public void aborted(AbortEvent event) {
		for (OperationListener listener : this.listeners) {
			try {
				listener.aborted(event);
			}
			catch (RuntimeException ex) {
				failed(listener, "aborted", ex);
			}
		}
	}

	private static void failed(OperationListener listener, String hook, RuntimeException ex) {
		logger.warn("Operation listener " + listener.getClass().getName() + " failed in " + hook + "; skipped", ex);
	}

}
