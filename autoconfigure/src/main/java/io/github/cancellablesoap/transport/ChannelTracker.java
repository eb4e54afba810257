package io.github.cancellablesoap.transport;

import java.net.URI;
import java.util.concurrent.Future;

import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOSession;
import org.jspecify.annotations.Nullable;

/**
 * Holds the connection work of one {@link HttpExchange} (the pending connect, the socket
 * of a connection still in its TLS handshake, then the connection endpoint) so that an
 * abort reaches the socket itself in every phase, instead of relying on HttpClient's
 * cancellation chain, which can miss a connect that started while the exchange's future
 * was being cancelled, and never reaches a TLS handshake: once the TCP connect is done,
 * cancelling the connect future leaves the handshaking socket open until the handshake
 * timeout.
 * <p>
 * Thread-safe. Each side writes its own field and then reads the abort flag, and
 * {@link #abort()} sets the flag and then reads the fields, so whichever comes second
 * closes the connection.
 */
final class ChannelTracker {

	/** Context attribute under which an exchange's tracker travels through HttpClient. */
	static final String ATTRIBUTE = ChannelTracker.class.getName();

	/** The exchange's address: only https ones have a handshake. */
	private final @Nullable URI address;

	private boolean aborted;

	private @Nullable Future<?> connect;

	private @Nullable IOSession handshaking;

	private @Nullable AsyncConnectionEndpoint endpoint;

	/**
	 * Create the tracker of one exchange.
	 * @param address the exchange's address, or {@code null} when unknown (then no TLS
	 * handshake is watched)
	 */
	ChannelTracker(@Nullable URI address) {
		this.address = address;
	}

	/**
	 * Whether a new connection of this exchange goes through a TLS handshake that an
	 * abort must be able to reach. Asked only when a new connection is made, so a call on
	 * a pooled connection pays nothing for it.
	 * @return {@code true} for an https address
	 */
	boolean isSecure() {
		return this.address != null && "https".equalsIgnoreCase(this.address.getScheme());
	}

	static @Nullable ChannelTracker from(@Nullable HttpContext context) {
		return (context != null) ? (ChannelTracker) context.getAttribute(ATTRIBUTE) : null;
	}

	/**
	 * Whether the exchange was aborted, so that no connect starts for it.
	 * @return {@code true} once {@link #abort()} ran
	 */
	synchronized boolean isAborted() {
		return this.aborted;
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
	 * Record the socket of a new connection, about to start its TLS handshake; closes it
	 * at once when the exchange was aborted.
	 * @param session the connected socket's session
	 * @return {@code false} when the exchange was aborted: the session was closed and the
	 * handshake must not start
	 */
	synchronized boolean handshaking(IOSession session) {
		if (this.aborted) {
			session.close(CloseMode.IMMEDIATE);
			return false;
		}
		this.handshaking = session;
		return true;
	}

	/**
	 * Forget the handshaking socket: the connect ended (the connection is ready, or it
	 * failed), and from now on the endpoint stands for it.
	 */
	synchronized void connectEnded() {
		this.handshaking = null;
	}

	/**
	 * Record the endpoint an exchange is about to run on.
	 * @param connection the endpoint
	 * @return {@code false} when the exchange was aborted: the endpoint was closed and
	 * the exchange must not run
	 */
	synchronized boolean executing(AsyncConnectionEndpoint connection) {
		this.endpoint = connection;
		this.handshaking = null;
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
	 * Cancel the pending connect, close the socket of a handshake in progress and close
	 * the endpoint, whichever exist now or later. Closing is immediate and does not
	 * block.
	 */
	synchronized void abort() {
		this.aborted = true;
		// Taken before the connect is cancelled: its callbacks run right here and forget
		// the handshaking socket.
		IOSession session = this.handshaking;
		this.handshaking = null;
		Future<?> pending = this.connect;
		this.connect = null;
		if (pending != null) {
			pending.cancel(true);
		}
		if (session != null) {
			session.close(CloseMode.IMMEDIATE);
		}
		AsyncConnectionEndpoint connection = this.endpoint;
		this.endpoint = null;
		if (connection != null) {
			connection.close(CloseMode.IMMEDIATE);
		}
	}

}
