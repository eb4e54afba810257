package io.github.cancellablesoap.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

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

	/** Default bound on a response body. */
	public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

	private final String name;

	private final URI address;

	private final Duration callTimeout;

	private final TimeoutAction timeoutAction;

	private final int maxPendingCalls;

	private final Duration closeTimeout;

	private final Duration abandonedIoTimeout;

	private final Duration connectTimeout;

	private final int maxResponseBytes;

	private ProxySettings(Builder builder) {
		this.name = builder.name;
		this.address = builder.address;
		this.callTimeout = positive(builder.callTimeout, "call-timeout");
		this.timeoutAction = builder.timeoutAction;
		this.maxPendingCalls = atLeastOne(builder.maxPendingCalls, "max-pending-calls");
		this.closeTimeout = notNegative(builder.closeTimeout, "close-timeout");
		this.abandonedIoTimeout = positive(builder.abandonedIoTimeout, "abandoned-io-timeout");
		this.connectTimeout = positive(builder.connectTimeout, "connect-timeout");
		this.maxResponseBytes = atLeastOne(builder.maxResponseBytes, "max-response-bytes");
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

	public int maxResponseBytes() {
		return this.maxResponseBytes;
	}

	private Duration positive(Duration value, String what) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(
					"Proxy '" + this.name + "': " + what + " must be positive, not " + value);
		}
		return value;
	}

	private Duration notNegative(Duration value, String what) {
		if (value.isNegative()) {
			throw new IllegalArgumentException(
					"Proxy '" + this.name + "': " + what + " must not be negative, not " + value);
		}
		return value;
	}

	private int atLeastOne(int value, String what) {
		if (value < 1) {
			throw new IllegalArgumentException(
					"Proxy '" + this.name + "': " + what + " must be at least 1, not " + value);
		}
		return value;
	}

	@Override
	public String toString() {
		return "ProxySettings[name=" + this.name + ", address=" + this.address + ", callTimeout=" + this.callTimeout
				+ ", timeoutAction=" + this.timeoutAction + ", maxPendingCalls=" + this.maxPendingCalls + "]";
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

		private Builder(String name, URI address) {
			if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
				throw new IllegalArgumentException("A proxy name must be 1 to 63 letters, digits, '.', '_' or '-', "
						+ "starting with a letter or digit, not '" + name + "'");
			}
			Objects.requireNonNull(address, () -> "Proxy '" + name + "' needs an address");
			String scheme = address.getScheme();
			if (!address.isAbsolute() || address.getHost() == null
					|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
				throw new IllegalArgumentException(
						"Proxy '" + name + "': address must be an absolute http or https URI, not '" + address + "'");
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

		public ProxySettings build() {
			return new ProxySettings(this);
		}

	}

}
