package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * A connection manager between the {@link TrackingConnectionManager} and HttpClient's
 * pool that can hold the hand-over of one leased or connected endpoint: the pool has
 * completed its future, and the endpoint waits on a latch before it travels on to the
 * client. A test arms it, waits until an endpoint is held, does what must land in that
 * window (an abort), then lets the endpoint go on. This forces the ordering that a real
 * abort meets only by chance.
 * <p>
 * Thread-safe. Holding blocks the thread that completed the pool's future (an I/O reactor
 * thread, or the thread that released a connection) for at most
 * {@value #MAX_HOLD_SECONDS} seconds.
 */
final class HeldHandOvers implements AsyncClientConnectionManager {

	private static final long MAX_HOLD_SECONDS = 20;

	private final AsyncClientConnectionManager delegate;

	private final AtomicReference<@Nullable Hold> leaseHold = new AtomicReference<>();

	private final AtomicReference<@Nullable Hold> connectHold = new AtomicReference<>();

	HeldHandOvers(AsyncClientConnectionManager delegate) {
		this.delegate = delegate;
	}

	/**
	 * Hold the next lease that completes.
	 * @return the hold, to await and release
	 */
	Hold holdNextLease() {
		Hold hold = new Hold();
		this.leaseHold.set(hold);
		return hold;
	}

	/**
	 * Hold the next connect that completes.
	 * @return the hold, to await and release
	 */
	Hold holdNextConnect() {
		Hold hold = new Hold();
		this.connectHold.set(hold);
		return hold;
	}

	@Override
	public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, @Nullable Object state,
			Timeout requestTimeout, FutureCallback<AsyncConnectionEndpoint> callback) {
		return this.delegate.lease(id, route, state, requestTimeout, new Held(callback, this.leaseHold));
	}

	@Override
	public void release(AsyncConnectionEndpoint endpoint, @Nullable Object newState, TimeValue validDuration) {
		this.delegate.release(endpoint, newState, validDuration);
	}

	@Override
	public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint,
			ConnectionInitiator connectionInitiator, Timeout connectTimeout, @Nullable Object attachment,
			HttpContext context, FutureCallback<AsyncConnectionEndpoint> callback) {
		return this.delegate.connect(endpoint, connectionInitiator, connectTimeout, attachment, context,
				new Held(callback, this.connectHold));
	}

	@Override
	public void upgrade(AsyncConnectionEndpoint endpoint, @Nullable Object attachment, HttpContext context) {
		this.delegate.upgrade(endpoint, attachment, context);
	}

	@Override
	public void upgrade(AsyncConnectionEndpoint endpoint, @Nullable Object attachment, HttpContext context,
			@Nullable FutureCallback<AsyncConnectionEndpoint> callback) {
		this.delegate.upgrade(endpoint, attachment, context, callback);
	}

	@Override
	public void close(CloseMode closeMode) {
		this.delegate.close(closeMode);
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

	/**
	 * One armed hold: the endpoint it caught waits until {@link #release()}.
	 */
	static final class Hold {

		private final CountDownLatch held = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		/** Set when the hold gave up waiting for its release (the test is then void). */
		private volatile boolean expired;

		/**
		 * Wait until an endpoint is held. A hand-over that completes on the thread that
		 * started the exchange (a synchronous lease) blocks that thread while held: start
		 * such an exchange off the test's thread.
		 * @return whether one was held within the time
		 * @throws InterruptedException if interrupted
		 */
		boolean awaitHeld() throws InterruptedException {
			return this.held.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS) && !this.expired;
		}

		/**
		 * Let the held endpoint go on to the client.
		 * @throws IllegalStateException when the hold already gave up waiting, so that
		 * the ordering the test meant to force did not happen
		 */
		void release() {
			if (this.expired) {
				throw new IllegalStateException("The hold gave up after " + MAX_HOLD_SECONDS
						+ " s before its release: the hand-over was not held while the test acted");
			}
			this.released.countDown();
		}

		void hold() {
			this.held.countDown();
			try {
				if (!this.released.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS)) {
					this.expired = true;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/**
	 * Completes the client's callback, after the armed hold (if any) is released.
	 */
	private record Held(FutureCallback<AsyncConnectionEndpoint> callback,
			AtomicReference<@Nullable Hold> armed) implements FutureCallback<AsyncConnectionEndpoint> {

		@Override
		public void completed(AsyncConnectionEndpoint result) {
			Hold hold = this.armed.getAndSet(null);
			if (hold != null) {
				hold.hold();
			}
			this.callback.completed(result);
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

}
