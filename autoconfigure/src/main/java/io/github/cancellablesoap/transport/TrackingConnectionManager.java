package io.github.cancellablesoap.transport;

import java.io.InterruptedIOException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.BasicFuture;
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
 * It also takes back what HttpClient drops. When an abort cancels HttpClient's future
 * just as the pool completes a lease, or as a connect completes, HttpClient 5.5's minimal
 * client neither uses nor releases the endpoint that its cancelled future can no longer
 * take ({@code MinimalHttpAsyncClient.leaseEndpoint} ignores what
 * {@code resultFuture.completed} returns): the connection would stay leased for good, its
 * socket open. A client takes an endpoint it accepts at once, on the thread that hands
 * the endpoint over (it executes an exchange on it, connects it or releases it), so an
 * endpoint that none of these reached by the time the hand-over returns was dropped; this
 * manager then closes it and gives it back to the pool itself. And no connect starts for
 * an exchange that is already aborted. This holds for clients that lease through
 * {@code execute} (the proxies' and the explicit cancels' clients); it is not for
 * {@code MinimalHttpAsyncClient.lease(...)}, which hands the endpoint to its caller
 * (nothing in this project calls it).
 * <p>
 * Thread-safe, as the manager it wraps.
 */
final class TrackingConnectionManager implements AsyncClientConnectionManager {

	private static final Log logger = LogFactory.getLog(TrackingConnectionManager.class);

	private final AsyncClientConnectionManager delegate;

	TrackingConnectionManager(AsyncClientConnectionManager delegate) {
		this.delegate = delegate;
	}

	@Override
	public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, @Nullable Object state,
			Timeout requestTimeout, FutureCallback<AsyncConnectionEndpoint> callback) {
		return this.delegate.lease(id, route, state, requestTimeout, new HandOver(callback, null, true));
	}

	@Override
	public void release(AsyncConnectionEndpoint endpoint, @Nullable Object newState, TimeValue validDuration) {
		if (endpoint instanceof TrackedEndpoint tracked) {
			tracked.taken();
			tracked.detach();
		}
		this.delegate.release(unwrap(endpoint), newState, validDuration);
	}

	@Override
	public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint,
			ConnectionInitiator connectionInitiator, Timeout connectTimeout, @Nullable Object attachment,
			HttpContext context, FutureCallback<AsyncConnectionEndpoint> callback) {
		TrackedEndpoint tracked = (endpoint instanceof TrackedEndpoint known) ? known : null;
		if (tracked != null) {
			tracked.taken();
		}
		ChannelTracker tracker = ChannelTracker.from(context);
		if (tracker != null && tracker.isAborted()) {
			// No socket for an exchange already aborted: the client sees its connect
			// cancelled, releases the endpoint and ends the exchange.
			BasicFuture<AsyncConnectionEndpoint> refused = new BasicFuture<>(callback);
			refused.cancel(true);
			return refused;
		}
		FutureCallback<AsyncConnectionEndpoint> connected = (tracked != null) ? new HandOver(callback, tracked, true)
				: callback;
		Future<AsyncConnectionEndpoint> pending;
		if (tracker != null && tracker.isSecure()) {
			// Only a new https connection pays for reaching its handshake.
			HandshakeWatch watch = new HandshakeWatch(connectionInitiator, tracker);
			pending = this.delegate.connect(unwrap(endpoint), watch, connectTimeout, attachment, context,
					watch.connectCallback(connected));
		}
		else {
			pending = this.delegate.connect(unwrap(endpoint), connectionInitiator, connectTimeout, attachment, context,
					connected);
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
		// The client upgrades an endpoint it holds (a tunnel it ran an exchange on): it
		// only needs its own wrapper back.
		this.delegate.upgrade(unwrap(endpoint), attachment, context,
				(callback != null && endpoint instanceof TrackedEndpoint tracked)
						? new HandOver(callback, tracked, false) : callback);
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

	/**
	 * Close an endpoint the client dropped as it arrived and give it back to the pool.
	 */
	private void discard(TrackedEndpoint endpoint) {
		if (logger.isDebugEnabled()) {
			logger.debug("Discarding a connection the client dropped as it arrived (its exchange was cancelled)");
		}
		try {
			endpoint.close(CloseMode.IMMEDIATE);
		}
		finally {
			release(endpoint, null, TimeValue.ZERO_MILLISECONDS);
		}
	}

	/**
	 * Hands the client the endpoint it should see in place of the one the pool completed
	 * with (a new tracked endpoint for a lease, the client's own for a connect or an
	 * upgrade), and takes back a leased or connected endpoint the client dropped.
	 */
	private final class HandOver implements FutureCallback<AsyncConnectionEndpoint> {

		private final FutureCallback<AsyncConnectionEndpoint> callback;

		/** The client's endpoint, or {@code null} for a lease. */
		private final @Nullable TrackedEndpoint seen;

		/** Whether an endpoint the client does not take is taken back. */
		private final boolean takesBack;

		HandOver(FutureCallback<AsyncConnectionEndpoint> callback, @Nullable TrackedEndpoint seen, boolean takesBack) {
			this.callback = callback;
			this.seen = seen;
			this.takesBack = takesBack;
		}

		@Override
		public void completed(AsyncConnectionEndpoint result) {
			TrackedEndpoint handed = (this.seen != null) ? this.seen : new TrackedEndpoint(result);
			int taken = handed.takenCount();
			try {
				this.callback.completed(handed);
			}
			finally {
				if (this.takesBack && handed.takenCount() == taken) {
					discard(handed);
				}
			}
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
	 * An endpoint that shows itself to the tracker of each exchange it runs, and counts
	 * the times the client took it (executed on it, connected or released it).
	 */
	private static final class TrackedEndpoint extends AsyncConnectionEndpoint {

		private final AsyncConnectionEndpoint delegate;

		private final AtomicInteger taken = new AtomicInteger();

		private volatile @Nullable ChannelTracker tracker;

		TrackedEndpoint(AsyncConnectionEndpoint delegate) {
			this.delegate = delegate;
		}

		@Override
		public void execute(String id, AsyncClientExchangeHandler exchangeHandler,
				@Nullable HandlerFactory<AsyncPushConsumer> pushHandlerFactory, HttpContext context) {
			taken();
			ChannelTracker current = ChannelTracker.from(context);
			if (current != null) {
				this.tracker = current;
				if (!current.executing(this.delegate)) {
					exchangeHandler.failed(new InterruptedIOException("Exchange " + id + " was aborted"));
					return;
				}
			}
			try {
				this.delegate.execute(id, exchangeHandler, pushHandlerFactory, context);
			}
			catch (RuntimeException ex) {
				// An abort that closed the connection just now (after the check above)
				// makes HttpClient's endpoint refuse the exchange with an exception that
				// would reach no one: the exchange fails instead, and its client
				// releases the endpoint.
				exchangeHandler.failed(ex);
			}
		}

		void taken() {
			this.taken.incrementAndGet();
		}

		int takenCount() {
			return this.taken.get();
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
