package io.github.cancellablesoap.transport;

import java.util.concurrent.Future;

import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.jspecify.annotations.Nullable;

/**
 * Holds the connection work of one {@link HttpExchange} (the pending connect, then the
 * connection endpoint) so that an abort reaches the socket itself in every phase, instead
 * of relying on HttpClient's cancellation chain, which can miss a connect that started
 * while the exchange's future was being cancelled.
 * <p>
 * Thread-safe. Each side writes its own field and then reads the abort flag, and
 * {@link #abort()} sets the flag and then reads the fields, so whichever comes second
 * closes the connection.
 */
final class ChannelTracker {

	/** Context attribute under which an exchange's tracker travels through HttpClient. */
	static final String ATTRIBUTE = ChannelTracker.class.getName();

	private boolean aborted;

	private @Nullable Future<?> connect;

	private @Nullable AsyncConnectionEndpoint endpoint;

	static @Nullable ChannelTracker from(@Nullable HttpContext context) {
		return (context != null) ? (ChannelTracker) context.getAttribute(ATTRIBUTE) : null;
	}

	/**
	 * Record a connect in progress; cancels it at once when the exchange was aborted.
	 * @param pending the connect
	 */
	synchronized void connecting(Future<?> pending) {
		this.connect = pending;
		if (this.aborted) {
			pending.cancel(true);
		}
	}

	/**
	 * Record the endpoint an exchange is about to run on.
	 * @param connection the endpoint
	 * @return {@code false} when the exchange was aborted: the endpoint was closed and
	 * the exchange must not run
	 */
	synchronized boolean executing(AsyncConnectionEndpoint connection) {
		this.endpoint = connection;
		if (this.aborted) {
			connection.close(CloseMode.IMMEDIATE);
			return false;
		}
		return true;
	}

	/**
	 * Forget an endpoint the exchange handed back to the pool.
	 * @param connection the endpoint
	 */
	synchronized void released(AsyncConnectionEndpoint connection) {
		if (this.endpoint == connection) {
			this.endpoint = null;
		}
	}

	/**
	 * Cancel the pending connect and close the endpoint, whichever exist now or later.
	 * Closing is immediate and does not block.
	 */
	synchronized void abort() {
		this.aborted = true;
		Future<?> pending = this.connect;
		this.connect = null;
		if (pending != null) {
			pending.cancel(true);
		}
		AsyncConnectionEndpoint connection = this.endpoint;
		this.endpoint = null;
		if (connection != null) {
			connection.close(CloseMode.IMMEDIATE);
		}
	}

}
