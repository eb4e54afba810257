package io.github.cancellablesoap.server;

import io.github.cancellablesoap.core.InlineListener;
import io.github.cancellablesoap.core.IsolatedDelivery;
import org.jspecify.annotations.Nullable;

/**
 * An {@link OperationListener} kept off the product's threads: the events that may be
 * raised on a timer, a caller-gone detector or the close pool ({@link #operationEnded},
 * {@link #operationRejected}, {@link #aborted}) go through an {@link IsolatedDelivery};
 * the ones whose answer the operation needs ({@link #operationStarted},
 * {@link #operationServing}) run on the container's thread, as they always do.
 * <p>
 * Thread-safe when the listener is.
 *
 * @author Cancellable SOAP
 */
public final class IsolatedOperationListener implements OperationListener {

	private final OperationListener listener;

	private final IsolatedDelivery delivery;

	private IsolatedOperationListener(OperationListener listener) {
		this.listener = listener;
		this.delivery = new IsolatedDelivery("Operation listener " + listener.getClass().getName());
	}

	/**
	 * Isolate a listener, unless it is an {@link InlineListener} (or already isolated).
	 * @param listener the listener
	 * @return the listener to install
	 */
	public static OperationListener of(OperationListener listener) {
		if (listener == OperationListener.NONE || listener instanceof InlineListener
				|| listener instanceof IsolatedOperationListener) {
			return listener;
		}
		return new IsolatedOperationListener(listener);
	}

	@Override
	public void operationRejected(Rejection rejection) {
		this.delivery.deliver("operationRejected", () -> this.listener.operationRejected(rejection));
	}

	@Override
	public @Nullable Object operationStarted(StartedOperation operation) {
		return this.listener.operationStarted(operation);
	}

	@Override
	public ServingScope operationServing(@Nullable Object state) {
		return this.listener.operationServing(state);
	}

	@Override
	public void operationEnded(EndedOperation operation, @Nullable Object state) {
		this.delivery.deliver("operationEnded", () -> this.listener.operationEnded(operation, state));
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
