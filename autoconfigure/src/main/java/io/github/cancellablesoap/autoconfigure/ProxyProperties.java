package io.github.cancellablesoap.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.cancellablesoap.client.TimeoutAction;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Settings of one service proxy, under {@code cancellable-soap.proxies.<name>}, and the
 * shared ones under {@code cancellable-soap.proxy-defaults}; a proxy's unset values come
 * from {@code proxy-defaults}, then from the built-in defaults.
 * <p>
 * Not thread-safe: bound once, while the context starts, and only read afterwards. Longer
 * than most classes here: it is only the JavaBean accessors of every proxy property and
 * of its groups ({@code forward-proxy}, {@code credentials}, {@code pool}).
 *
 * @author Cancellable SOAP
 */
public class ProxyProperties {

	/**
	 * Absolute http or https address of the remote SOAP service.
	 */
	private @Nullable URI address;

	/**
	 * How long a call may take before it ends as TIMED_OUT (default 30s).
	 */
	private @Nullable Duration callTimeout;

	/**
	 * What a timeout does to the call's I/O: abort closes the channel (default), abandon
	 * releases the caller only.
	 */
	private @Nullable TimeoutAction timeoutAction;

	/**
	 * How many calls may be in flight at once, abandoned ones included; more are rejected
	 * (default 100).
	 */
	private @Nullable Integer maxPendingCalls;

	/**
	 * How long a graceful close lets pending calls finish before aborting them (default
	 * 5s).
	 */
	private @Nullable Duration closeTimeout;

	/**
	 * Hard limit on the I/O of an abandoned call, counted from the abandon (default 60s).
	 */
	private @Nullable Duration abandonedIoTimeout;

	/**
	 * TCP connect timeout (default 10s).
	 */
	private @Nullable Duration connectTimeout;

	/**
	 * Largest response body accepted, counted as received and again after decompression;
	 * a larger one fails the call (default 16MB).
	 */
	private @Nullable DataSize maxResponseSize;

	/**
	 * Longest line of a response head (status line, header, chunk header, trailer); a
	 * longer one fails the call (default 64KB).
	 */
	private @Nullable DataSize maxResponseHeaderSize;

	/**
	 * Most headers (and most trailers) a response may have; more fail the call (default
	 * 100).
	 */
	private @Nullable Integer maxResponseHeaders;

	/**
	 * Deepest element nesting of a response document; a deeper one fails the call while
	 * it is read (default 256).
	 */
	private @Nullable Integer maxXmlDepth;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material, key, protocols
	 * and ciphers the proxy's https connections use; unset,
	 * spring.http.clients.ssl.bundle or else the JVM's defaults apply.
	 */
	private @Nullable String sslBundle;

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	/**
	 * Forward (outbound) HTTP proxy the requests go through.
	 */
	private final ForwardProxy forwardProxy = new ForwardProxy();

	/**
	 * Credentials sent as HTTP Basic on every request.
	 */
	private final Credentials credentials = new Credentials();

	/**
	 * Whether request bodies are sent gzip-compressed, with "Content-Encoding: gzip"
	 * (default false: the service must accept it).
	 */
	private @Nullable Boolean compressRequests;

	/**
	 * How the connection pool keeps and retires connections.
	 */
	private final Pool pool = new Pool();

	public ForwardProxy getForwardProxy() {
		return this.forwardProxy;
	}

	public Credentials getCredentials() {
		return this.credentials;
	}

	public @Nullable Boolean getCompressRequests() {
		return this.compressRequests;
	}

	public void setCompressRequests(@Nullable Boolean compressRequests) {
		this.compressRequests = compressRequests;
	}

	public Pool getPool() {
		return this.pool;
	}

	public @Nullable URI getAddress() {
		return this.address;
	}

	public void setAddress(@Nullable URI address) {
		this.address = address;
	}

	public @Nullable Duration getCallTimeout() {
		return this.callTimeout;
	}

	public void setCallTimeout(@Nullable Duration callTimeout) {
		this.callTimeout = callTimeout;
	}

	public @Nullable TimeoutAction getTimeoutAction() {
		return this.timeoutAction;
	}

	public void setTimeoutAction(@Nullable TimeoutAction timeoutAction) {
		this.timeoutAction = timeoutAction;
	}

	public @Nullable Integer getMaxPendingCalls() {
		return this.maxPendingCalls;
	}

	public void setMaxPendingCalls(@Nullable Integer maxPendingCalls) {
		this.maxPendingCalls = maxPendingCalls;
	}

	public @Nullable Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(@Nullable Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public @Nullable Duration getAbandonedIoTimeout() {
		return this.abandonedIoTimeout;
	}

	public void setAbandonedIoTimeout(@Nullable Duration abandonedIoTimeout) {
		this.abandonedIoTimeout = abandonedIoTimeout;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(@Nullable DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	public @Nullable DataSize getMaxResponseHeaderSize() {
		return this.maxResponseHeaderSize;
	}

	public void setMaxResponseHeaderSize(@Nullable DataSize maxResponseHeaderSize) {
		this.maxResponseHeaderSize = maxResponseHeaderSize;
	}

	public @Nullable Integer getMaxResponseHeaders() {
		return this.maxResponseHeaders;
	}

	public void setMaxResponseHeaders(@Nullable Integer maxResponseHeaders) {
		this.maxResponseHeaders = maxResponseHeaders;
	}

	public @Nullable Integer getMaxXmlDepth() {
		return this.maxXmlDepth;
	}

	public void setMaxXmlDepth(@Nullable Integer maxXmlDepth) {
		this.maxXmlDepth = maxXmlDepth;
	}

	// SOAP version

	/**
	 * SOAP version of the proxy's requests: 1.1 (text/xml and SOAPAction, the default) or
	 * 1.2 (application/soap+xml with the action in the content type).
	 */
	private @Nullable String soapVersion;

	public @Nullable String getSoapVersion() {
		return this.soapVersion;
	}

	public void setSoapVersion(@Nullable String soapVersion) {
		this.soapVersion = soapVersion;
	}

	/**
	 * A forward proxy, under {@code forward-proxy}: requests go through it when its host
	 * is set.
	 */
	public static class ForwardProxy {

		/**
		 * Host name or address of the forward proxy; unset to connect directly.
		 */
		private @Nullable String host;

		/**
		 * Port of the forward proxy (default 3128 when a host is set).
		 */
		private @Nullable Integer port;

		/**
		 * User name answered to the forward proxy's authentication (HTTP Basic).
		 */
		private @Nullable String username;

		/**
		 * Password answered to the forward proxy's authentication.
		 */
		private @Nullable String password;

		/**
		 * Hosts called directly, not through the forward proxy: host names or addresses,
		 * "*" for any characters (as the JDK's http.nonProxyHosts).
		 */
		private List<String> nonProxyHosts = new ArrayList<>();

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public List<String> getNonProxyHosts() {
			return this.nonProxyHosts;
		}

		public void setNonProxyHosts(List<String> nonProxyHosts) {
			this.nonProxyHosts = nonProxyHosts;
		}

	}

	/**
	 * Credentials of the service, under {@code credentials}.
	 */
	public static class Credentials {

		/**
		 * User name sent as HTTP Basic, preemptively, on every request.
		 */
		private @Nullable String username;

		/**
		 * Password sent as HTTP Basic with the user name.
		 */
		private @Nullable String password;

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * Connection pool settings, under {@code pool}.
	 */
	public static class Pool {

		/**
		 * How long a connection may sit unused before the pool closes it; 0 keeps it
		 * until the service closes it (default 60s).
		 */
		private @Nullable Duration idleTimeout;

		/**
		 * How long a connection may be used at all, from its opening; unset for no limit.
		 */
		private @Nullable Duration timeToLive;

		/**
		 * How long a connection may sit unused before it is checked when leased (default
		 * 2s).
		 */
		private @Nullable Duration validateAfterInactivity;

		public @Nullable Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(@Nullable Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public @Nullable Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(@Nullable Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

		public @Nullable Duration getValidateAfterInactivity() {
			return this.validateAfterInactivity;
		}

		public void setValidateAfterInactivity(@Nullable Duration validateAfterInactivity) {
			this.validateAfterInactivity = validateAfterInactivity;
		}

	}

}
