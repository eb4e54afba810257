package io.github.cancellablesoap.server;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Fans a host's events out to several {@link OperationListener}s, keeping each listener's
 * per-operation state apart.
 * <p>
 * Immutable and thread-safe when its listeners are.
 *
 * @author Cancellable SOAP
 */
public final class CompositeOperationListener implements OperationListener {

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
			listener.operationRejected(rejection);
		}
	}

	@Override
	public Object operationStarted(StartedOperation operation) {
		@Nullable Object[] states = new Object[this.listeners.length];
		for (int i = 0; i < this.listeners.length; i++) {
			states[i] = this.listeners[i].operationStarted(operation);
		}
		return states;
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		@Nullable Object[] states = (Object[]) state;
		for (int i = 0; i < this.listeners.length; i++) {
			this.listeners[i].operationEnded(operation, (states != null) ? states[i] : null);
		}
	}

	@Override
	public void aborted(AbortEvent event) {
		for (OperationListener listener : this.listeners) {
			listener.aborted(event);
		}
	}

}
