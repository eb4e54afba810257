package io.github.cancellablesoap.transport;

import java.security.Principal;

import org.apache.hc.client5.http.auth.AuthCache;
import org.apache.hc.client5.http.auth.AuthChallenge;
import org.apache.hc.client5.http.auth.AuthScheme;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.client5.http.impl.DefaultClientConnectionReuseStrategy;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.client.BasicCredentials;
import io.github.cancellablesoap.client.ForwardProxy;

/**
 * The client of a proxy whose requests go through a {@link ForwardProxy}: HttpClient's
 * full asynchronous client, whose route planner sends plain http requests to the forward
 * proxy as absolute-URI requests and opens a {@code CONNECT} tunnel for https ones,
 * except for hosts the forward proxy's {@code non-proxy-hosts} bypass. Proxies without a
 * forward proxy keep the minimal client, which has no exec chain on the call path.
 * <p>
 * The forward proxy's credentials are sent preemptively, on every {@code CONNECT} and on
 * every request sent to it in the clear (never inside a tunnel): a SOAP request cannot be
 * resent after a {@code 407} without buffering it again, and HttpClient would hand the
 * {@code 407} back rather than resend it. Redirects, retries and cookies stay off, as
 * with the minimal client.
 * <p>
 * Thread-safe: immutable once built.
 *
 * @author Cancellable SOAP
 */
final class ForwardProxyRouting {

	private final ForwardProxy forwardProxy;

	private final HttpHost proxyHost;

	private final @Nullable AuthCache authCache;

	ForwardProxyRouting(ForwardProxy forwardProxy) {
		this.forwardProxy = forwardProxy;
		this.proxyHost = new HttpHost("http", forwardProxy.host(), forwardProxy.port());
		BasicCredentials credentials = forwardProxy.credentials();
		this.authCache = (credentials != null) ? new ProxyAuthCache(this.proxyHost, new PreemptiveBasic(credentials))
				: null;
	}

	/**
	 * Build and start the client.
	 * @param connectionManager the pool
	 * @param http1 the HTTP/1.1 bounds
	 * @param reactor the I/O reactor settings
	 * @return the client, started
	 */
	CloseableHttpAsyncClient createClient(AsyncClientConnectionManager connectionManager, Http1Config http1,
			IOReactorConfig reactor) {
		CloseableHttpAsyncClient client = HttpAsyncClients.custom()
			.setConnectionManager(connectionManager)
			.setHttp1Config(http1)
			.setIOReactorConfig(reactor)
			.setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
			.setRoutePlanner(new Planner())
			.setConnectionReuseStrategy(ForwardProxyRouting::keepAlive)
			.setDefaultRequestConfig(
					RequestConfig.custom().setRedirectsEnabled(false).setProtocolUpgradeEnabled(false).build())
			.setDefaultCredentialsProvider(new NoCredentials())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableConnectionState()
			.build();
		client.start();
		return client;
	}

	/**
	 * Whether a connection may serve another request: not one to the forward proxy that
	 * carried a request in the clear, since many forward proxies (tinyproxy among them)
	 * close such a connection after each response without saying so, and a SOAP request
	 * written on it as it closes could not be sent again; tunnels and direct connections
	 * follow HttpClient's rules.
	 */
	private static boolean keepAlive(HttpRequest request, HttpResponse response, HttpContext context) {
		RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
		if (route != null && route.getProxyHost() != null && !route.isTunnelled()) {
			return false;
		}
		return DefaultClientConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
	}

	/**
	 * Prepare an exchange's context: the forward proxy's credentials, when it has some.
	 * @param context the exchange's context
	 */
	void prepare(HttpClientContext context) {
		if (this.authCache != null) {
			context.setAuthCache(this.authCache);
		}
	}

	@Override
	public String toString() {
		return "ForwardProxyRouting[" + this.forwardProxy + "]";
	}

	/**
	 * Routes a target through the forward proxy unless its host is bypassed.
	 */
	private final class Planner extends DefaultRoutePlanner {

		Planner() {
			super(DefaultSchemePortResolver.INSTANCE);
		}

		@Override
		protected @Nullable HttpHost determineProxy(HttpHost target, HttpContext context) {
			return ForwardProxyRouting.this.forwardProxy.bypasses(target.getHostName()) ? null
					: ForwardProxyRouting.this.proxyHost;
		}

	}

	/**
	 * Serves the one preemptive scheme of the forward proxy, whatever HttpClient learns:
	 * shared by every exchange, it never stores anything.
	 */
	private record ProxyAuthCache(HttpHost proxy, AuthScheme scheme) implements AuthCache {

		@Override
		public void put(HttpHost host, AuthScheme authScheme) {
		}

		@Override
		public @Nullable AuthScheme get(HttpHost host) {
			return (this.proxy.getHostName().equalsIgnoreCase(host.getHostName())
					&& this.proxy.getPort() == host.getPort()) ? this.scheme : null;
		}

		@Override
		public void remove(HttpHost host) {
		}

		@Override
		public void clear() {
		}

		@Override
		public String toString() {
			return "ProxyAuthCache[" + this.proxy + "]";
		}

	}

	/**
	 * HTTP Basic with fixed credentials and a header value computed once; stateless, so
	 * one instance serves every exchange at once.
	 */
	private static final class PreemptiveBasic implements AuthScheme {

		private final BasicCredentials credentials;

		PreemptiveBasic(BasicCredentials credentials) {
			this.credentials = credentials;
		}

		@Override
		public String getName() {
			return "Basic";
		}

		@Override
		public boolean isConnectionBased() {
			return false;
		}

		@Override
		public void processChallenge(AuthChallenge authChallenge, HttpContext context) {
		}

		@Override
		public boolean isChallengeComplete() {
			return true;
		}

		@Override
		public @Nullable String getRealm() {
			return null;
		}

		@Override
		public boolean isResponseReady(HttpHost host, CredentialsProvider credentialsProvider, HttpContext context) {
			return true;
		}

		@Override
		public Principal getPrincipal() {
			String name = this.credentials.username();
			return () -> name;
		}

		@Override
		public String generateAuthResponse(HttpHost host, HttpRequest request, HttpContext context) {
			return this.credentials.headerValue();
		}

		@Override
		public String toString() {
			return "Basic[username=" + this.credentials.username() + "]";
		}

	}

	/**
	 * No credentials for any challenge: the service's own credentials go preemptively on
	 * the request, and a {@code 401} goes back to the caller.
	 */
	private static final class NoCredentials implements CredentialsProvider {

		@Override
		public org.apache.hc.client5.http.auth.@Nullable Credentials getCredentials(
				org.apache.hc.client5.http.auth.AuthScope authScope, HttpContext context) {
			return null;
		}

	}

}
