package io.github.cancellablesoap.server;

import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cancellablesoap.core.AbortInitiator;

/**
 * Tells a host's {@link OperationListener} of what the host itself decides: refused
 * requests and host or listener aborts (operations tell of their own start, cancel and
 * end). A listener that throws breaks nothing but itself: its failure is logged.
 * <p>
 * Thread-safe: the listener is published through a volatile field, and every call tells
 * it on the calling thread, outside any lock of the host.
 */
final class HostEvents {

	private static final Log logger = LogFactory.getLog(HostEvents.class);

	private final String host;

	private volatile OperationListener listener = OperationListener.NONE;

	HostEvents(String host) {
		this.host = host;
	}

	/**
	 * The listener new operations start with.
	 * @return the listener, {@link OperationListener#NONE} for none
	 */
	OperationListener listener() {
		return this.listener;
	}

	/**
	 * Replace the listener for what happens from now on.
	 * @param listener the listener, {@link OperationListener#NONE} for none
	 */
	void listener(OperationListener listener) {
		this.listener = listener;
	}

	/**
	 * Tell of a refused request.
	 * @param listener the listener that was current when the request was refused
	 * @param rejection the refusal
	 */
	void rejected(OperationListener listener, OperationListener.Rejection rejection) {
		tell(listener, (told) -> told.operationRejected(rejection));
	}

	/**
	 * Tell of an abort that an operator or the application requested.
	 * @param target {@code host} or {@code listener}
	 */
	void aborted(String target) {
		tell(this.listener, (told) -> told
			.aborted(new OperationListener.AbortEvent(this.host, target, "requested", AbortInitiator.current())));
	}

	private void tell(OperationListener told, Consumer<OperationListener> event) {
		if (told == OperationListener.NONE) {
			return;
		}
		try {
			event.accept(told);
		}
		catch (RuntimeException ex) {
			logger.warn("Operation listener of service host '" + this.host + "' failed", ex);
		}
	}

}
