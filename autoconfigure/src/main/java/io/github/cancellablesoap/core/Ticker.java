package io.github.cancellablesoap.core;

/**
 * A monotonic clock for elapsed times and deadlines; replaceable in tests.
 * <p>
 * Implementations must be thread-safe.
 *
 * @author Cancellable SOAP
 */
@FunctionalInterface
public interface Ticker {

	/** The system's monotonic clock. */
	Ticker SYSTEM = System::nanoTime;

	/**
	 * The current reading, in nanoseconds from an arbitrary origin.
	 * @return the reading; only differences between readings mean anything
	 */
	long nanoTime();

}
