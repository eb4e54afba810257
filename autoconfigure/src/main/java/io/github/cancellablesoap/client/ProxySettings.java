package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import io.github.cancellablesoap.core.Addresses;
import io.github.cancellablesoap.core.Names;
import io.github.cancellablesoap.core.XmlStructureGuard;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of one service proxy, with WWSAPI's defaults. Built once, when
 * the proxy is created; thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class ProxySettings {

	/** Default call timeout. */
	public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

	/** Default bound on pending calls, abandoned ones included. */
	public static final int DEFAULT_MAX_PENDING_CALLS = 100;

	/** Default bound on a graceful close. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** Default hard limit on the I/O of an abandoned call. */
	public static final Duration DEFAULT_ABANDONED_IO_TIMEOUT = Duration.ofSeconds(60);

	/** Default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** Default bound on a response body, counted as received and after decompression. */
	public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

	/**
	 * Default bound on one line of a response head: the status line, a header, a chunk
	 * header or a trailer.
	 */
	public static final int DEFAULT_MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

	/** Default bound on the number of headers (and trailers) of a response. */
	public static final int DEFAULT_MAX_RESPONSE_HEADERS = 100;

	/** Default bound on the element nesting of a response document. */
	public static final int DEFAULT_MAX_XML_DEPTH = XmlStructureGuard.DEFAULT_MAX_DEPTH;

	/**
	 * Why an address must not carry user info, and where credentials go instead.
	 */
	public static final String USER_INFO_ADVICE = "credentials in an address are never sent and would show "
			+ "wherever the address is displayed; set the proxy's credentials.username and credentials.password "
			+ "(HTTP Basic), or add a header per request with a ServiceProxyRequestCustomizer bean";

	private final String name;

	private final URI address;

	private final Duration callTimeout;

	private final TimeoutAction timeoutAction;

	private final int maxPendingCalls;

	private final Duration closeTimeout;

	private final Duration abandonedIoTimeout;

	private final Duration connectTimeout;

	private final int maxResponseBytes;

	private final int maxResponseHeaderBytes;

	private final int maxResponseHeaders;

	private final int maxXmlDepth;

	/** TLS: the proxy's SSL bundle, resolved. */
	private final @Nullable ProxyTls tls;

	private final ConnectionSettings connection;

	private ProxySettings(Builder builder) {
		this.name = builder.name;
		this.address = builder.address;
		this.callTimeout = positive(builder.callTimeout, "call-timeout");
		this.timeoutAction = builder.timeoutAction;
		this.maxPendingCalls = atLeastOne(builder.maxPendingCalls, "max-pending-calls");
		this.closeTimeout = notNegative(builder.closeTimeout, "close-timeout");
		this.abandonedIoTimeout = positive(builder.abandonedIoTimeout, "abandoned-io-timeout");
		this.connectTimeout = positive(builder.connectTimeout, "connect-timeout");
		this.maxResponseBytes = atLeastOne(builder.maxResponseBytes, "max-response-size");
		this.maxResponseHeaderBytes = atLeastOne(builder.maxResponseHeaderBytes, "max-response-header-size");
		this.maxResponseHeaders = atLeastOne(builder.maxResponseHeaders, "max-response-headers");
		this.maxXmlDepth = atLeastOne(builder.maxXmlDepth, "max-xml-depth");
		this.tls = builder.tls;
		if (this.tls != null && !"https".equalsIgnoreCase(this.address.getScheme())) {
			throw new IllegalArgumentException("Proxy '" + this.name + "': SSL bundle '" + this.tls.bundle()
					+ "' needs an https address, not " + Addresses.redact(this.address));
		}
		this.connection = builder.connection;
	}

	/**
	 * Start settings for a proxy.
	 * @param name the proxy name
	 * @param address the absolute http or https address of the remote service
	 * @return a builder with the defaults
	 */
	public static Builder builder(String name, URI address) {
		return new Builder(name, address);
	}

	public String name() {
		return this.name;
	}

	public URI address() {
		return this.address;
	}

	public Duration callTimeout() {
		return this.callTimeout;
	}

	public TimeoutAction timeoutAction() {
		return this.timeoutAction;
	}

	public int maxPendingCalls() {
		return this.maxPendingCalls;
	}

	public Duration closeTimeout() {
		return this.closeTimeout;
	}

	public Duration abandonedIoTimeout() {
		return this.abandonedIoTimeout;
	}

	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * The bound on a response body, in bytes, counted as they arrive and again after
	 * decompression.
	 * @return the most bytes a response body may have
	 */
	public int maxResponseBytes() {
		return this.maxResponseBytes;
	}

	/**
	 * The bound on one line of a response head (status line, header, chunk header,
	 * trailer), in bytes.
	 * @return the longest line allowed
	 */
	public int maxResponseHeaderBytes() {
		return this.maxResponseHeaderBytes;
	}

	/**
	 * The bound on the number of headers of a response (and on its trailers).
	 * @return the most headers allowed
	 */
	public int maxResponseHeaders() {
		return this.maxResponseHeaders;
	}

	/**
	 * The bound on the element nesting of a response document.
	 * @return the deepest nesting allowed (the envelope is at depth 1)
	 */
	public int maxXmlDepth() {
		return this.maxXmlDepth;
	}

	/**
	 * The TLS settings from the proxy's SSL bundle.
	 * @return the settings, or {@code null} when the proxy uses the JVM's default TLS
	 * settings (or calls a plain http address)
	 */
	public @Nullable ProxyTls tls() {
		return this.tls;
	}

	/**
	 * How this proxy reaches its service: forward proxy, credentials, compression and
	 * pool.
	 * @return the connection settings
	 */
	public ConnectionSettings connection() {
		return this.connection;
	}

	private Duration positive(Duration value, String what) {
		return require(value, !value.isZero() && !value.isNegative(), what, "must be positive");
	}

	private Duration notNegative(Duration value, String what) {
		return require(value, !value.isNegative(), what, "must not be negative");
	}

	private int atLeastOne(int value, String what) {
		return require(value, value >= 1, what, "must be at least 1");
	}

	private <V> V require(V value, boolean valid, String what, String rule) {
		if (!valid) {
			throw new IllegalArgumentException("Proxy '" + this.name + "': " + what + " " + rule + ", not " + value);
		}
		return value;
	}

	@Override
	public String toString() {
		return "ProxySettings[name=" + this.name + ", address=" + Addresses.redact(this.address) + ", callTimeout="
				+ this.callTimeout + ", timeoutAction=" + this.timeoutAction + ", maxPendingCalls="
				+ this.maxPendingCalls + ", connection=" + this.connection + "]";
	}

	/**
	 * Builds {@link ProxySettings}; not thread-safe.
	 */
	public static final class Builder {

		private final String name;

		private final URI address;

		private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

		private TimeoutAction timeoutAction = TimeoutAction.ABORT;

		private int maxPendingCalls = DEFAULT_MAX_PENDING_CALLS;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private Duration abandonedIoTimeout = DEFAULT_ABANDONED_IO_TIMEOUT;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

		private int maxResponseHeaderBytes = DEFAULT_MAX_RESPONSE_HEADER_BYTES;

		private int maxResponseHeaders = DEFAULT_MAX_RESPONSE_HEADERS;

		private int maxXmlDepth = DEFAULT_MAX_XML_DEPTH;

		private @Nullable ProxyTls tls;

		private ConnectionSettings connection = ConnectionSettings.DEFAULTS;

		private Builder(String name, URI address) {
			Names.requireName("service proxy", name);
			Objects.requireNonNull(address, () -> "Proxy '" + name + "' needs an address");
			String scheme = address.getScheme();
			if (!address.isAbsolute() || address.getHost() == null
					|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
				throw new IllegalArgumentException("Proxy '" + name
						+ "': address must be an absolute http or https URI, not '" + Addresses.redact(address) + "'");
			}
			if (address.getRawUserInfo() != null) {
				throw new IllegalArgumentException("Proxy '" + name + "': address " + Addresses.redact(address)
						+ " carries user info: remove it; " + USER_INFO_ADVICE);
			}
			this.name = name;
			this.address = address;
		}

		public Builder callTimeout(Duration callTimeout) {
			this.callTimeout = Objects.requireNonNull(callTimeout);
			return this;
		}

		public Builder timeoutAction(TimeoutAction timeoutAction) {
			this.timeoutAction = Objects.requireNonNull(timeoutAction);
			return this;
		}

		public Builder maxPendingCalls(int maxPendingCalls) {
			this.maxPendingCalls = maxPendingCalls;
			return this;
		}

		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = Objects.requireNonNull(closeTimeout);
			return this;
		}

		public Builder abandonedIoTimeout(Duration abandonedIoTimeout) {
			this.abandonedIoTimeout = Objects.requireNonNull(abandonedIoTimeout);
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout);
			return this;
		}

		public Builder maxResponseBytes(int maxResponseBytes) {
			this.maxResponseBytes = maxResponseBytes;
			return this;
		}

		public Builder maxResponseHeaderBytes(int maxResponseHeaderBytes) {
			this.maxResponseHeaderBytes = maxResponseHeaderBytes;
			return this;
		}

		public Builder maxResponseHeaders(int maxResponseHeaders) {
			this.maxResponseHeaders = maxResponseHeaders;
			return this;
		}

		public Builder maxXmlDepth(int maxXmlDepth) {
			this.maxXmlDepth = maxXmlDepth;
			return this;
		}

		/**
		 * Use the TLS settings of an SSL bundle; only for an https address.
		 * @param tls the settings, or {@code null} for the JVM's defaults
		 * @return this builder
		 */
		public Builder tls(@Nullable ProxyTls tls) {
			this.tls = tls;
			return this;
		}

		public Builder connection(ConnectionSettings connection) {
			this.connection = Objects.requireNonNull(connection);
			return this;
		}

		public ProxySettings build() {
			return new ProxySettings(this);
		}

	}

}
