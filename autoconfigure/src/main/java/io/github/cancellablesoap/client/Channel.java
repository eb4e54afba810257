package io.github.cancellablesoap.client;

/**
 * The transport exchange that carries one call: one HTTP connection while the call uses
 * it.
 * <p>
 * Implementations are thread-safe: {@link #abort()} may be called from any thread, any
 * number of times, and never waits for I/O.
 *
 * @author Cancellable SOAP
 */
public interface Channel {

	/**
	 * The channel id, unique in this JVM.
	 * @return the id
	 */
	String id();

	/**
	 * Cancel the exchange's I/O and close its socket, whatever phase it is in.
	 * @return {@code true} when this call cancelled I/O that was still running
	 */
	boolean abort();

}
