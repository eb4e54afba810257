package io.github.cancellablesoap.transport;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.client.CarriedCall;
import io.github.cancellablesoap.client.CurrentCall;
import io.github.cancellablesoap.client.PoolSettings;
import io.github.cancellablesoap.client.ConnectionSettings;
import io.github.cancellablesoap.client.DeferredConnection;
import io.github.cancellablesoap.client.ProxySettings;
import io.github.cancellablesoap.client.ProxyTls;
import io.github.cancellablesoap.client.ProxyTransport;
import io.github.cancellablesoap.client.ServiceProxyRequestCustomizer;
import io.github.cancellablesoap.core.Addresses;

import org.springframework.ws.transport.WebServiceConnection;
import org.springframework.ws.transport.WebServiceMessageSender;

/**
 * The default {@link ProxyTransport}: Apache HttpClient 5's asynchronous client, whose
 * exchanges can be aborted in every phase (connecting, sending, waiting for headers,
 * receiving the body) with their sockets closed. Each proxy has its own client and
 * connection pool, sized to its pending-call quota so that a call never queues for a
 * connection; idle connections are swept by the shared {@link IdleConnectionSweeper}.
 * Without a forward proxy the client is HttpClient's minimal one; with one, the full one
 * that plans routes through it ({@link ForwardProxyRouting}). An https proxy uses its SSL
 * bundle's TLS settings ({@link ProxyTls}) or else the JVM's defaults, and always
 * verifies the service's host name.
 * <p>
 * Thread-safe. {@link #start()} creates a fresh client; {@link #stop()} closes it at once
 * with every connection it holds.
 *
 * @author Cancellable SOAP
 */
public final class HttpComponents5Transport implements ProxyTransport {

	private final ProxySettings settings;

	private final WebServiceMessageSender sender = new Sender();

	private final CancelSender cancels;

	private volatile @Nullable CloseableHttpAsyncClient client;

	private final @Nullable ForwardProxyRouting routing;

	private final @Nullable ServiceProxyRequestCustomizer requestCustomizer;

	private @Nullable ScheduledFuture<?> sweeping;

	/**
	 * Create the transport of one proxy.
	 * @param settings the proxy's settings (connect timeout, quota, response bound)
	 */
	public HttpComponents5Transport(ProxySettings settings) {
		this(settings, List.of());
	}

	/**
	 * Create the transport of one proxy whose requests the application completes.
	 * @param settings the proxy's settings (connect timeout, quota, response bound)
	 * @param requestCustomizers run on each request before it is sent, in order
	 */
	public HttpComponents5Transport(ProxySettings settings, List<ServiceProxyRequestCustomizer> requestCustomizers) {
		this.settings = settings;
		ConnectionSettings connection = settings.connection();
		this.routing = (connection.forwardProxy() != null) ? new ForwardProxyRouting(connection.forwardProxy()) : null;
		this.cancels = new CancelSender(settings.name(),
				(connection.credentials() != null) ? connection.credentials().headerValue() : null,
				(settings.tls() != null || this.routing != null) ? this::cancelClient : null, this::prepare);
		List<ServiceProxyRequestCustomizer> customizers = List.copyOf(requestCustomizers);
		this.requestCustomizer = switch (customizers.size()) {
			case 0 -> null;
			case 1 -> customizers.get(0);
			default -> (proxyName, uri, headers) -> {
				for (ServiceProxyRequestCustomizer customizer : customizers) {
					customizer.customize(proxyName, uri, headers);
				}
			};
		};
	}

	@Override
	public WebServiceMessageSender messageSender() {
		return this.sender;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The connection starts the exchange on this transport's asynchronous client and
	 * returns; the I/O reactor completes the call, and no thread waits meanwhile.
	 */
	@Override
	public DeferredConnection deferredConnection(URI uri, CarriedCall call) throws IOException {
		checkAddress(uri);
		return new CancellableHttpConnection(this, uri, call, true);
	}

	private void checkAddress(URI uri) throws IOException {
		if (uri.getRawUserInfo() != null) {
			throw new IOException("Proxy '" + this.settings.name() + "' cannot call " + Addresses.redact(uri)
					+ ": the URI carries user info; " + ProxySettings.USER_INFO_ADVICE);
		}
	}

	@Override
	public synchronized void start() {
		if (this.client != null) {
			return;
		}
		int connections = this.settings.maxPendingCalls();
		PoolSettings pool = this.settings.connection().pool();
		PoolingAsyncClientConnectionManagerBuilder connectionManagerBuilder = PoolingAsyncClientConnectionManagerBuilder
			.create()
			.setMaxConnTotal(connections)
			.setMaxConnPerRoute(connections)
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(this.settings.connectTimeout()))
				.setTimeToLive((pool.timeToLive() != null) ? TimeValue.of(pool.timeToLive()) : null)
				.setValidateAfterInactivity(
						(pool.validateAfterInactivity() != null) ? TimeValue.of(pool.validateAfterInactivity()) : null)
				.build())
			.setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build());
		ownConnections(connectionManagerBuilder);
		PoolingAsyncClientConnectionManager connectionManager = connectionManagerBuilder.build();
		// The peer controls every line and header of a response head, chunk headers and
		// trailers included: HttpClient bounds them while they stream in, before a line
		// is
		// buffered whole.
		Http1Config http1 = Http1Config.custom()
			.setMaxLineLength(this.settings.maxResponseHeaderBytes())
			.setMaxHeaderCount(this.settings.maxResponseHeaders())
			.build();
		IOReactorConfig reactor = IOReactorConfig.custom().setTcpNoDelay(true).build();
		TrackingConnectionManager tracking = new TrackingConnectionManager(connectionManager);
		CloseableHttpAsyncClient created;
		if (this.routing != null) {
			created = this.routing.createClient(tracking, http1, reactor);
		}
		else {
			created = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1, H2Config.DEFAULT, http1, reactor,
					tracking);
			created.start();
		}
		if (pool.evictsIdle() || pool.timeToLive() != null) {
			this.sweeping = IdleConnectionSweeper.sweep(connectionManager,
					pool.evictsIdle() ? pool.idleTimeout() : pool.timeToLive());
		}
		this.client = created;
		this.cancels.started();
	}

	/**
	 * Give a connection manager what this proxy's connections need of their own: the TLS
	 * strategy of its SSL bundle.
	 */
	private void ownConnections(PoolingAsyncClientConnectionManagerBuilder builder) {
		ProxyTls tls = this.settings.tls();
		if (tls != null) {
			builder.setTlsStrategy(tlsStrategy(tls));
		}
	}

	/**
	 * A cancel client whose connections are made as this proxy's calls' are: the same TLS
	 * settings, the same route through the forward proxy.
	 */
	private CloseableHttpAsyncClient cancelClient() {
		PoolingAsyncClientConnectionManagerBuilder builder = PoolingAsyncClientConnectionManagerBuilder.create();
		ownConnections(builder);
		if (this.routing != null) {
			return this.routing.createClient(CancelSender.pool(builder), CancelSender.ANSWER, CancelSender.REACTOR);
		}
		return CancelSender.client(builder);
	}

	/**
	 * The TLS strategy of an SSL bundle: its context (trust material and key), protocols
	 * and ciphers, with host name verification always on (by the JDK's endpoint
	 * identification and by HttpClient's verifier both).
	 */
	private static TlsStrategy tlsStrategy(ProxyTls tls) {
		ClientTlsStrategyBuilder builder = ClientTlsStrategyBuilder.create()
			.setSslContext(tls.sslContext())
			.setHostVerificationPolicy(HostnameVerificationPolicy.BOTH);
		if (tls.protocols() != null) {
			builder.setTlsVersions(tls.protocols().toArray(String[]::new));
		}
		if (tls.ciphers() != null) {
			builder.setCiphers(tls.ciphers().toArray(String[]::new));
		}
		return builder.buildAsync();
	}

	@Override
	public synchronized void stop() {
		CloseableHttpAsyncClient current = this.client;
		this.client = null;
		ScheduledFuture<?> sweeper = this.sweeping;
		this.sweeping = null;
		if (sweeper != null) {
			sweeper.cancel(false);
		}
		if (current != null) {
			current.close(CloseMode.IMMEDIATE);
		}
		this.cancels.stopped();
	}

	@Override
	public boolean isRunning() {
		return this.client != null;
	}

	CloseableHttpAsyncClient client() throws IOException {
		CloseableHttpAsyncClient current = this.client;
		if (current == null) {
			throw new IOException("The transport of proxy '" + this.settings.name() + "' is stopped");
		}
		return current;
	}

	/**
	 * The sender of this proxy's explicit cancels; it outlives {@link #stop()}, so the
	 * cancels of the calls a proxy abort ended still leave.
	 */
	CancelSender cancels() {
		return this.cancels;
	}

	ProxySettings settings() {
		return this.settings;
	}

	/**
	 * Prepare the context of an exchange for the forward proxy, when there is one;
	 * nothing otherwise.
	 * @param context the exchange's context
	 */
	void prepare(HttpClientContext context) {
		ForwardProxyRouting current = this.routing;
		if (current != null) {
			current.prepare(context);
		}
	}

	/**
	 * The application's request customizers, combined.
	 * @return the customizer, or {@code null} when the application has none
	 */
	@Nullable ServiceProxyRequestCustomizer requestCustomizer() {
		return this.requestCustomizer;
	}

	/**
	 * The message sender of this transport: it carries the current proxy call.
	 */
	private final class Sender implements WebServiceMessageSender {

		@Override
		public WebServiceConnection createConnection(URI uri) throws IOException {
			checkAddress(uri);
			CarriedCall call = CurrentCall.get();
			if (call == null) {
				throw new IllegalStateException(
						"The transport of proxy '" + HttpComponents5Transport.this.settings.name()
								+ "' carries only calls made through its ServiceProxy");
			}
			return new CancellableHttpConnection(HttpComponents5Transport.this, uri, call);
		}

		@Override
		public boolean supports(URI uri, UriSource uriSource) {
			String scheme = uri.getScheme();
			return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
		}

	}

}
