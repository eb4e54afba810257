package io.github.cancellablesoap.transport;

import java.net.SocketAddress;
import java.util.concurrent.Future;

import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Shows an exchange's {@link ChannelTracker} the socket of a new https connection between
 * the end of its TCP connect and the end of its TLS handshake, the one stretch in which
 * nothing else of HttpClient's lets an abort close it: HttpClient's connection operator
 * starts the handshake from the connect's completion and ties it to no future that a
 * cancel reaches, so without this the socket stays open until the handshake timeout (the
 * connect timeout). Wraps the I/O reactor's {@link ConnectionInitiator} for one connect:
 * the session it completes with is handed to the tracker before the handshake starts (and
 * closed instead, when the exchange was aborted), and forgotten when the connect ends.
 * <p>
 * Thread-safe: one instance per connect; its callbacks run on an I/O reactor thread and
 * the tracker synchronizes with an abort from any thread.
 */
final class HandshakeWatch implements ConnectionInitiator {

	private final ConnectionInitiator initiator;

	private final ChannelTracker tracker;

	HandshakeWatch(ConnectionInitiator initiator, ChannelTracker tracker) {
		this.initiator = initiator;
		this.tracker = tracker;
	}

	@Override
	public Future<IOSession> connect(NamedEndpoint remoteEndpoint, SocketAddress remoteAddress,
			@Nullable SocketAddress localAddress, Timeout timeout, @Nullable Object attachment,
			@Nullable FutureCallback<IOSession> callback) {
		return this.initiator.connect(remoteEndpoint, remoteAddress, localAddress, timeout, attachment,
				new Connected(callback));
	}

	/**
	 * Wrap the callback of the whole connect (TCP connect and handshake), so that the
	 * tracker forgets the socket when the connect ends, however it ends.
	 * @param callback the callback to wrap
	 * @return the wrapping callback
	 */
	FutureCallback<AsyncConnectionEndpoint> connectCallback(FutureCallback<AsyncConnectionEndpoint> callback) {
		return new FutureCallback<>() {

			@Override
			public void completed(AsyncConnectionEndpoint result) {
				HandshakeWatch.this.tracker.connectEnded();
				callback.completed(result);
			}

			@Override
			public void failed(Exception ex) {
				HandshakeWatch.this.tracker.connectEnded();
				callback.failed(ex);
			}

			@Override
			public void cancelled() {
				HandshakeWatch.this.tracker.connectEnded();
				callback.cancelled();
			}

		};
	}

	/**
	 * Hands the connected session to the tracker before the handshake starts on it.
	 */
	private final class Connected implements FutureCallback<IOSession> {

		private final @Nullable FutureCallback<IOSession> callback;

		Connected(@Nullable FutureCallback<IOSession> callback) {
			this.callback = callback;
		}

		@Override
		public void completed(IOSession session) {
			if (!HandshakeWatch.this.tracker.handshaking(session)) {
				// Aborted while connecting: the session is closed, no handshake starts.
				if (this.callback != null) {
					this.callback.cancelled();
				}
				return;
			}
			if (this.callback != null) {
				this.callback.completed(session);
			}
		}

		@Override
		public void failed(Exception ex) {
			if (this.callback != null) {
				this.callback.failed(ex);
			}
		}

		@Override
		public void cancelled() {
			if (this.callback != null) {
				this.callback.cancelled();
			}
		}

	}

}
