package io.github.cancellablesoap.transport;

import java.io.InterruptedIOException;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * A connection manager that lets each exchange's {@link ChannelTracker} see its connect,
 * the socket of a new https connection during its TLS handshake (through a
 * {@link HandshakeWatch}) and its connection endpoint, delegating all pooling to
 * HttpClient's own manager.
 * <p>
 * Thread-safe, as the manager it wraps.
 */
final class TrackingConnectionManager implements AsyncClientConnectionManager {

	private final AsyncClientConnectionManager delegate;

	TrackingConnectionManager(AsyncClientConnectionManager delegate) {
		this.delegate = delegate;
	}

	@Override
	public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, @Nullable Object state,
			Timeout requestTimeout, FutureCallback<AsyncConnectionEndpoint> callback) {
		return this.delegate.lease(id, route, state, requestTimeout, new Completing(callback, TrackedEndpoint::new));
	}

	@Override
	public void release(AsyncConnectionEndpoint endpoint, @Nullable Object newState, TimeValue validDuration) {
		if (endpoint instanceof TrackedEndpoint tracked) {
			tracked.detach();
		}
		this.delegate.release(unwrap(endpoint), newState, validDuration);
	}

	@Override
	public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint,
			ConnectionInitiator connectionInitiator, Timeout connectTimeout, @Nullable Object attachment,
			HttpContext context, FutureCallback<AsyncConnectionEndpoint> callback) {
		ChannelTracker tracker = ChannelTracker.from(context);
		Future<AsyncConnectionEndpoint> pending;
		if (tracker != null && tracker.isSecure()) {
			// Only a new https connection pays for reaching its handshake.
			HandshakeWatch watch = new HandshakeWatch(connectionInitiator, tracker);
			pending = this.delegate.connect(unwrap(endpoint), watch, connectTimeout, attachment, context,
					watch.connectCallback(rewrap(endpoint, callback)));
		}
		else {
			pending = this.delegate.connect(unwrap(endpoint), connectionInitiator, connectTimeout, attachment, context,
					rewrap(endpoint, callback));
		}
		if (tracker != null) {
			tracker.connecting(pending);
		}
		return pending;
	}

	@Override
	public void upgrade(AsyncConnectionEndpoint endpoint, @Nullable Object attachment, HttpContext context) {
		this.delegate.upgrade(unwrap(endpoint), attachment, context);
	}

	@Override
	public void upgrade(AsyncConnectionEndpoint endpoint, @Nullable Object attachment, HttpContext context,
			@Nullable FutureCallback<AsyncConnectionEndpoint> callback) {
		this.delegate.upgrade(unwrap(endpoint), attachment, context,
				(callback != null) ? rewrap(endpoint, callback) : null);
	}

	@Override
	public void close(CloseMode closeMode) {
		this.delegate.close(closeMode);
	}

	@Override
	public void close() throws java.io.IOException {
		this.delegate.close();
	}

	private static AsyncConnectionEndpoint unwrap(AsyncConnectionEndpoint endpoint) {
		return (endpoint instanceof TrackedEndpoint tracked) ? tracked.delegate : endpoint;
	}

	private static FutureCallback<AsyncConnectionEndpoint> rewrap(AsyncConnectionEndpoint endpoint,
			FutureCallback<AsyncConnectionEndpoint> callback) {
		return new Completing(callback, (result) -> endpoint);
	}

	/**
	 * Hands a callback the endpoint it should see in place of the one the pool completed
	 * with: the tracked endpoint for a lease, the caller's own wrapper for a connect or
	 * an upgrade.
	 */
	private record Completing(FutureCallback<AsyncConnectionEndpoint> callback,
			UnaryOperator<AsyncConnectionEndpoint> seen) implements FutureCallback<AsyncConnectionEndpoint> {

		@Override
		public void completed(AsyncConnectionEndpoint result) {
			this.callback.completed(this.seen.apply(result));
		}

		@Override
		public void failed(Exception ex) {
			this.callback.failed(ex);
		}

		@Override
		public void cancelled() {
			this.callback.cancelled();
		}

	}

	/**
	 * An endpoint that shows itself to the tracker of each exchange it runs.
	 */
	private static final class TrackedEndpoint extends AsyncConnectionEndpoint {

		private final AsyncConnectionEndpoint delegate;

		private volatile @Nullable ChannelTracker tracker;

		TrackedEndpoint(AsyncConnectionEndpoint delegate) {
			this.delegate = delegate;
		}

		@Override
		public void execute(String id, AsyncClientExchangeHandler exchangeHandler,
				@Nullable HandlerFactory<AsyncPushConsumer> pushHandlerFactory, HttpContext context) {
			ChannelTracker current = ChannelTracker.from(context);
			if (current != null) {
				this.tracker = current;
				if (!current.executing(this.delegate)) {
					exchangeHandler.failed(new InterruptedIOException("Exchange " + id + " was aborted"));
					return;
				}
			}
			this.delegate.execute(id, exchangeHandler, pushHandlerFactory, context);
		}

		void detach() {
			ChannelTracker current = this.tracker;
			if (current != null) {
				this.tracker = null;
				current.released(this.delegate);
			}
		}

		@Override
		public boolean isConnected() {
			return this.delegate.isConnected();
		}

		@Override
		public void setSocketTimeout(Timeout timeout) {
			this.delegate.setSocketTimeout(timeout);
		}

		@Override
		public void close(CloseMode closeMode) {
			this.delegate.close(closeMode);
		}

		@Override
		public org.apache.hc.client5.http.EndpointInfo getInfo() {
			return this.delegate.getInfo();
		}

	}

}
