package io.github.cancellablesoap.client;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a proxy's connection pool keeps, checks and retires connections: none of it runs on
 * a call's path except the inactivity check of a connection being leased.
 * <p>
 * Immutable and thread-safe.
 *
 * @param idleTimeout how long a connection may sit unused in the pool before it is
 * closed; {@link Duration#ZERO} keeps idle connections until the peer closes them
 * @param timeToLive how long a connection may be used at all, counted from its opening;
 * {@code null} for no limit
 * @param validateAfterInactivity how long a connection may sit unused before it is
 * checked when leased; {@code null} to never check
 * @author Cancellable SOAP
 */
public record PoolSettings(Duration idleTimeout, @Nullable Duration timeToLive,
		@Nullable Duration validateAfterInactivity) {

	/** Default idle timeout. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

	/** Default inactivity after which a leased connection is checked. */
	public static final Duration DEFAULT_VALIDATE_AFTER_INACTIVITY = Duration.ofSeconds(2);

	/** The defaults: idle connections closed after a minute, no time to live. */
	public static final PoolSettings DEFAULTS = new PoolSettings(DEFAULT_IDLE_TIMEOUT, null,
			DEFAULT_VALIDATE_AFTER_INACTIVITY);

	/**
	 * Check the values.
	 * @param idleTimeout the idle timeout, zero for none
	 * @param timeToLive the time to live, or {@code null}
	 * @param validateAfterInactivity the inactivity before a check, or {@code null}
	 */
	public PoolSettings {
		Objects.requireNonNull(idleTimeout, "idleTimeout");
		if (idleTimeout.isNegative()) {
			throw new IllegalArgumentException("pool idle-timeout must not be negative, not " + idleTimeout);
		}
		if (timeToLive != null && (timeToLive.isZero() || timeToLive.isNegative())) {
			throw new IllegalArgumentException("pool time-to-live must be positive, not " + timeToLive);
		}
		if (validateAfterInactivity != null && validateAfterInactivity.isNegative()) {
			throw new IllegalArgumentException(
					"pool validate-after-inactivity must not be negative, not " + validateAfterInactivity);
		}
	}

	/**
	 * Whether idle connections are closed by the pool.
	 * @return {@code true} unless the idle timeout is zero
	 */
	public boolean evictsIdle() {
		return !this.idleTimeout.isZero();
	}

}
