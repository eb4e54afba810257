package io.github.cancellablesoap.server;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link ServiceHost} answers beyond the SOAP messages of its endpoints: the HTTP
 * status of the faults that reject a request when the host is full or not open, the
 * {@code Retry-After} it advertises with a 503, and which WSDL definition it publishes at
 * {@code <path>?wsdl}. Immutable and safe to share between threads.
 * <p>
 * Defaults ({@link #DEFAULT}): HTTP 503 with {@code Retry-After: 1} (what load balancers
 * and HTTP clients understand as "try again, elsewhere or later"; one second because a
 * rejection means the host is full or closing, both states that last about as long as an
 * operation does), and the application's single {@code Wsdl11Definition} bean.
 *
 * @param rejectionStatus the HTTP status of rejection faults: 503 (the default) or 500,
 * which WS-I Basic Profile 1.1 (R1126) requires of every fault and which strict clients
 * expect
 * @param retryAfter the {@code Retry-After} sent with a 503 rejection, in whole seconds
 * (rounded up); not sent with a 500
 * @param wsdlDefinition the bean name of the {@code Wsdl11Definition} published at
 * {@code <path>?wsdl}, or {@code null} for the application's only one
 * @author Cancellable SOAP
 */
public record HostWire(int rejectionStatus, Duration retryAfter, @Nullable String wsdlDefinition) {

	/** The default status of rejection faults. */
	public static final int DEFAULT_REJECTION_STATUS = 503;

	/** The default {@code Retry-After} of a 503 rejection. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

	/** The defaults: 503, {@code Retry-After: 1}, the only WSDL definition. */
	public static final HostWire DEFAULT = new HostWire(DEFAULT_REJECTION_STATUS, DEFAULT_RETRY_AFTER, null);

	/**
	 * Check the settings.
	 * @param rejectionStatus 500 or 503
	 * @param retryAfter positive, at most a day
	 * @param wsdlDefinition a bean name, or {@code null}
	 */
	public HostWire {
		if (rejectionStatus != 500 && rejectionStatus != 503) {
			throw new IllegalArgumentException("The rejection status must be 503 or 500, not " + rejectionStatus);
		}
		if (retryAfter.isNegative() || retryAfter.isZero() || retryAfter.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException("The Retry-After must be positive and at most a day, not " + retryAfter);
		}
		if (wsdlDefinition != null && wsdlDefinition.isBlank()) {
			throw new IllegalArgumentException("The WSDL definition must be a bean name, not blank");
		}
	}

	/**
	 * The value of the {@code Retry-After} header: whole seconds, rounded up.
	 * @return the number of seconds
	 */
	public long retryAfterSeconds() {
		long seconds = this.retryAfter.toSeconds();
		return (this.retryAfter.toNanosPart() > 0) ? seconds + 1 : seconds;
	}

	/**
	 * A copy with another rejection status.
	 * @param value 500 or 503
	 * @return the new settings
	 */
	public HostWire withRejectionStatus(int value) {
		return new HostWire(value, this.retryAfter, this.wsdlDefinition);
	}

	/**
	 * A copy with another {@code Retry-After}.
	 * @param value the time
	 * @return the new settings
	 */
	public HostWire withRetryAfter(Duration value) {
		return new HostWire(this.rejectionStatus, value, this.wsdlDefinition);
	}

	/**
	 * A copy that publishes another WSDL definition.
	 * @param value the bean name of a {@code Wsdl11Definition}
	 * @return the new settings
	 */
	public HostWire withWsdlDefinition(@Nullable String value) {
		return new HostWire(this.rejectionStatus, this.retryAfter, value);
	}

}
