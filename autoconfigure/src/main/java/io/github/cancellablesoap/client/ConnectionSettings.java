package io.github.cancellablesoap.client;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a proxy reaches its service beyond the address: the forward proxy its requests go
 * through, the credentials they carry, whether their bodies are compressed, and how its
 * connection pool retires connections. The defaults do nothing on a call's path.
 * <p>
 * Immutable and thread-safe; {@link #toString()} never shows a password.
 *
 * @param forwardProxy the forward proxy, or {@code null} to connect directly
 * @param credentials sent as HTTP Basic on every request, or {@code null}
 * @param compressRequests whether request bodies are sent gzip-compressed
 * @param pool how the pool keeps and retires connections
 * @author Cancellable SOAP
 */
public record ConnectionSettings(@Nullable ForwardProxy forwardProxy, @Nullable BasicCredentials credentials,
		boolean compressRequests, PoolSettings pool) {

	/** Direct connections, no credentials, no compression, the default pool. */
	public static final ConnectionSettings DEFAULTS = new ConnectionSettings(null, null, false, PoolSettings.DEFAULTS);

	/**
	 * Check the values.
	 * @param forwardProxy the forward proxy, or {@code null}
	 * @param credentials the credentials, or {@code null}
	 * @param compressRequests whether request bodies are compressed
	 * @param pool the pool settings
	 */
	public ConnectionSettings {
		Objects.requireNonNull(pool, "pool");
	}

}
