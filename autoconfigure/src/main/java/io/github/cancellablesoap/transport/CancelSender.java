package io.github.cancellablesoap.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.ProductThreads;
import io.github.cancellablesoap.core.WireProtocol;

/**
 * Sends the explicit cancel of an aborted call to its host: one bounded, asynchronous,
 * best-effort POST to the call's address with the call's id and token
 * ({@link WireProtocol#CANCEL_CALL_HEADER}, {@link WireProtocol#CALL_TOKEN_HEADER}) and
 * no body. It sends only to addresses whose last answer carried
 * {@link WireProtocol#CANCEL_SUPPORT_HEADER} (remembered per address, at most
 * {@value #MAX_ADDRESSES} of them), so a third-party service never receives a message it
 * does not know.
 * <p>
 * Cancels go through an HttpClient 5 asynchronous client of their own, not the proxy's: a
 * proxy abort stops the proxy's client, and the cancels of the calls it aborted must
 * still leave. A proxy whose connections need nothing of their own (no SSL bundle, no
 * forward proxy) shares one such client with every other proxy (one I/O thread for the
 * application, never closed); a proxy with its own connection setup gets a client built
 * the same way as its calls' (trust, client key, route through its forward proxy), made
 * with its first cancel and closed once its transport stopped and its last cancel ended.
 * Cancels carry the proxy's configured credentials. At most {@value #MAX_IN_FLIGHT}
 * cancels are in flight per proxy, each bounded by {@link #TIMEOUT}; one beyond that is
 * dropped with a debug log (the host still learns of the abort when the closed socket
 * reaches it). Nothing here blocks the aborting thread, and the token is never logged.
 * <p>
 * Thread-safe.
 */
final class CancelSender {

	/** How long a cancel may take, connecting included. */
	static final Duration TIMEOUT = Duration.ofSeconds(2);

	static final int MAX_IN_FLIGHT = 16;

	static final int MAX_ADDRESSES = 256;

	private static final Log logger = LogFactory.getLog(CancelSender.class);

	/** Cancels each exchange still running {@link #TIMEOUT} after it was handed over. */
	private static final Executor DEADLINES = CompletableFuture.delayedExecutor(TIMEOUT.toMillis(),
			TimeUnit.MILLISECONDS, ProductThreads.application());

	/**
	 * What a cancel's answer may be: it is discarded, but the peer controls its head, so
	 * its lines and headers are bounded while they stream in.
	 */
	static final Http1Config ANSWER = Http1Config.custom().setMaxLineLength(8192).setMaxHeaderCount(100).build();

	/** The I/O reactor of a cancel client: one daemon thread. */
	static final IOReactorConfig REACTOR = IOReactorConfig.custom().setIoThreadCount(1).setTcpNoDelay(true).build();

	/** Each cancel's bound: leasing a connection, connecting and the answer. */
	private static final RequestConfig REQUEST = RequestConfig.custom()
		.setConnectionRequestTimeout(Timeout.of(TIMEOUT))
		.setResponseTimeout(Timeout.of(TIMEOUT))
		.build();

	private final String proxy;

	private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

	private final Map<String, Boolean> supporting = new ConcurrentHashMap<>();

	private final @Nullable Supplier<CloseableHttpAsyncClient> ownClients;

	private final Object lock = new Object();

	private @Nullable CloseableHttpAsyncClient own;

	private boolean stopped;

	/** The proxy's configured {@code Authorization} value, or {@code null}. */
	private final @Nullable String authorization;

	/**
	 * Prepares each cancel's context as the proxy's calls' (forward-proxy credentials).
	 */
	private final Consumer<HttpClientContext> contexts;

	/**
	 * Create the sender of a proxy whose connections need nothing of their own and that
	 * sends no credentials: it shares the application's cancel client.
	 * @param proxy the proxy name, for the log
	 */
	CancelSender(String proxy) {
		this(proxy, null, null, (context) -> {
		});
	}

	/**
	 * Create the sender of a proxy.
	 * @param proxy the proxy name, for the log
	 * @param authorization the {@code Authorization} header value its service wants on
	 * every request, cancels included, or {@code null}
	 * @param ownClients makes a client set up as the proxy's calls are, started; or
	 * {@code null} to share the application's cancel client
	 * @param contexts prepares each cancel's context as the proxy's calls' are (the
	 * forward proxy's credentials)
	 */
	CancelSender(String proxy, @Nullable String authorization, @Nullable Supplier<CloseableHttpAsyncClient> ownClients,
			Consumer<HttpClientContext> contexts) {
		this.proxy = proxy;
		this.authorization = authorization;
		this.ownClients = ownClients;
		this.contexts = contexts;
	}

	/**
	 * Remember whether the peer at an address understands cancels, from the headers of an
	 * answer it sent.
	 * @param address the call's address
	 * @param supportHeader the answer's {@link WireProtocol#CANCEL_SUPPORT_HEADER}, or
	 * {@code null} when it had none
	 */
	void learn(URI address, @Nullable String supportHeader) {
		boolean supported = supportHeader != null
				&& WireProtocol.CANCEL_SUPPORTED.equalsIgnoreCase(supportHeader.trim());
		if (!supported && this.supporting.isEmpty()) {
			// a proxy of third-party peers only: nothing to forget, no key to build per
			// answer
			return;
		}
		String key = key(address);
		if (supported) {
			if (!this.supporting.containsKey(key) && this.supporting.size() < MAX_ADDRESSES) {
				this.supporting.put(key, Boolean.TRUE);
			}
		}
		else {
			this.supporting.remove(key);
		}
	}

	/**
	 * Whether the peer at an address said it understands cancels.
	 * @param address the address
	 * @return {@code true} when its last answer said so
	 */
	boolean understands(URI address) {
		return this.supporting.containsKey(key(address));
	}

	/**
	 * Send the cancel of a call whose request was sent, when its peer understands one;
	 * returns at once.
	 * @param address the call's address
	 * @param callId the call id
	 * @param token the call's token
	 * @return {@code true} when a cancel was handed to the client
	 */
	boolean send(URI address, String callId, String token) {
		if (!understands(address)) {
			return false;
		}
		if (!this.inFlight.tryAcquire()) {
			logger.debug("Proxy '" + this.proxy + "' dropped the cancel of call " + callId + ": " + MAX_IN_FLIGHT
					+ " cancels are in flight already");
			return false;
		}
		SimpleRequestBuilder builder = SimpleRequestBuilder.post(address)
			.addHeader(WireProtocol.CANCEL_CALL_HEADER, callId)
			.addHeader(WireProtocol.CALL_TOKEN_HEADER, token)
			.setRequestConfig(REQUEST);
		if (this.authorization != null) {
			builder.addHeader("Authorization", this.authorization);
		}
		SimpleHttpRequest request = builder.build();
		if (ProductThreads.isCurrent()) {
			// connecting may resolve the host's name on the calling thread: never on a
			// timer or detector thread the product shares
			try {
				ProductThreads.application().execute(() -> execute(request, callId));
			}
			catch (RuntimeException | Error ex) {
				ended();
				throw ex;
			}
		}
		else {
			execute(request, callId);
		}
		return true;
	}

	/**
	 * Hand a cancel to the client, its answer read and discarded within bounds, the whole
	 * exchange cancelled once {@link #TIMEOUT} passed; the place it took is given back
	 * whatever happens.
	 */
	private void execute(SimpleHttpRequest request, String callId) {
		try {
			HttpClientContext context = HttpClientContext.create();
			this.contexts.accept(context);
			Future<Message<HttpResponse, Void>> exchange = client().execute(SimpleRequestProducer.create(request),
					new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), null, context, new Outcome(callId));
			DEADLINES.execute(() -> exchange.cancel(true));
		}
		catch (RuntimeException | Error ex) {
			ended();
			logger.debug("Proxy '" + this.proxy + "' could not send the cancel of call " + callId, ex);
			if (ex instanceof Error error) {
				throw error;
			}
		}
	}

	/**
	 * The proxy's transport started: cancels go out through a fresh client from now on.
	 */
	void started() {
		synchronized (this.lock) {
			this.stopped = false;
		}
	}

	/**
	 * The proxy's transport stopped: the proxy's own cancel client is closed as soon as
	 * no cancel is in flight (at once when none is).
	 */
	void stopped() {
		synchronized (this.lock) {
			this.stopped = true;
		}
		closeIfIdle();
	}

	private CloseableHttpAsyncClient client() {
		if (this.ownClients == null) {
			return Shared.CLIENT;
		}
		synchronized (this.lock) {
			CloseableHttpAsyncClient current = this.own;
			if (current == null) {
				current = this.ownClients.get();
				this.own = current;
			}
			return current;
		}
	}

	private void ended() {
		this.inFlight.release();
		closeIfIdle();
	}

	private void closeIfIdle() {
		CloseableHttpAsyncClient closing = null;
		synchronized (this.lock) {
			if (this.stopped && this.own != null && this.inFlight.availablePermits() == MAX_IN_FLIGHT) {
				closing = this.own;
				this.own = null;
			}
		}
		if (closing != null) {
			// never on the client's own I/O thread, which closing waits for
			CloseableHttpAsyncClient client = closing;
			ProductThreads.application().execute(() -> client.close(CloseMode.IMMEDIATE));
		}
	}

	/**
	 * Logs how a cancel ended and frees its place.
	 */
	private final class Outcome implements FutureCallback<Message<HttpResponse, Void>> {

		private final String callId;

		Outcome(String callId) {
			this.callId = callId;
		}

		@Override
		public void completed(Message<HttpResponse, Void> response) {
			ended();
			if (logger.isDebugEnabled()) {
				logger.debug("Proxy '" + CancelSender.this.proxy + "' cancel of call " + this.callId + ": HTTP "
						+ response.getHead().getCode());
			}
		}

		@Override
		public void failed(Exception ex) {
			ended();
			if (logger.isDebugEnabled()) {
				logger.debug("Proxy '" + CancelSender.this.proxy + "' cancel of call " + this.callId + ": failed (" + ex
						+ ")");
			}
		}

		@Override
		public void cancelled() {
			ended();
		}

	}

	/**
	 * The cancel client of every proxy whose connections need nothing of their own,
	 * created with the first cancel of the JVM (a holder class, so no lock on the way):
	 * one daemon I/O thread for the application.
	 */
	private static final class Shared {

		static final CloseableHttpAsyncClient CLIENT = CancelSender
			.client(PoolingAsyncClientConnectionManagerBuilder.create());

	}

	/**
	 * A started cancel client: HTTP/1.1, one daemon I/O thread, at most
	 * {@value #MAX_IN_FLIGHT} connections per host, connecting within {@link #TIMEOUT}.
	 * @param connections the connection manager's builder, with the proxy's TLS strategy
	 * where it has its own
	 * @return the client
	 */
	static CloseableHttpAsyncClient client(PoolingAsyncClientConnectionManagerBuilder connections) {
		// The minimal client drops an endpoint that arrives for an exchange it has just
		// cancelled (each cancel exchange is cancelled after its deadline): the tracking
		// manager takes such an endpoint back, so no cancel leaves a connection leased.
		CloseableHttpAsyncClient client = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1,
				H2Config.DEFAULT, ANSWER, REACTOR, new TrackingConnectionManager(pool(connections)));
		client.start();
		return client;
	}

	/**
	 * The pool of a cancel client: at most {@value #MAX_IN_FLIGHT} connections per host,
	 * connecting within {@link #TIMEOUT}, HTTP/1.1.
	 * @param connections the connection manager's builder, with the proxy's TLS strategy
	 * where it has its own
	 * @return the pool
	 */
	static PoolingAsyncClientConnectionManager pool(PoolingAsyncClientConnectionManagerBuilder connections) {
		return connections.setMaxConnPerRoute(MAX_IN_FLIGHT)
			.setMaxConnTotal(4 * MAX_IN_FLIGHT)
			.setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(TIMEOUT)).build())
			.setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
			.build();
	}

	/** The address without user info, query or fragment: where cancels go. */
	private static String key(URI address) {
		String scheme = String.valueOf(address.getScheme()).toLowerCase(Locale.ROOT);
		String host = String.valueOf(address.getHost()).toLowerCase(Locale.ROOT);
		return scheme + "://" + host + ":" + address.getPort() + address.getRawPath();
	}

}
