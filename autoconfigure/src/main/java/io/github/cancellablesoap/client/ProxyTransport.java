package io.github.cancellablesoap.client;

import java.io.IOException;
import java.net.URI;

import org.springframework.ws.transport.WebServiceMessageSender;

/**
 * The abortable transport beneath one service proxy: a Spring WS message sender whose
 * connections report to the {@link CurrentCall}, and the resources (connection pool, I/O
 * threads) it owns.
 * <p>
 * Implementations are thread-safe. The proxy calls {@link #start()} when it opens and
 * {@link #stop()} once it is no longer open (closed, aborted, or aborted while opening),
 * never both at once.
 *
 * @author Cancellable SOAP
 */
public interface ProxyTransport {

	/**
	 * The message sender to install in the proxy's {@code WebServiceTemplate}.
	 * @return the sender
	 */
	WebServiceMessageSender messageSender();

	/**
	 * Acquire the transport's resources; calls may flow afterwards.
	 */
	void start();

	/**
	 * Release the transport's resources at once, closing every connection it still holds.
	 */
	void stop();

	/**
	 * Whether the transport holds its resources now: between {@link #start()} and
	 * {@link #stop()}.
	 * @return {@code true} when started
	 */
	boolean isRunning();

	/**
	 * A connection for one call of the non-blocking form
	 * ({@link AsyncServiceOperations}): it sends without waiting and reads the answer
	 * once it arrived.
	 * @param uri the address
	 * @param call the call it carries
	 * @return the connection
	 * @throws IOException when the address cannot be used
	 * @throws UnsupportedOperationException when the transport has no non-blocking form
	 * (the default)
	 */
	default DeferredConnection deferredConnection(URI uri, CarriedCall call) throws IOException {
		throw new UnsupportedOperationException(
				getClass().getName() + " has no non-blocking form; use the proxy's blocking calls or submit()");
	}

}
