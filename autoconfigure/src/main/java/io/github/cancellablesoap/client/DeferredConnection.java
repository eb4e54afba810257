package io.github.cancellablesoap.client;

import java.io.IOException;

import org.springframework.ws.transport.WebServiceConnection;

/**
 * A transport connection for the non-blocking form of a call
 * ({@link AsyncServiceOperations}): {@link #send} writes the request and starts the
 * exchange without waiting for the answer; once the call's answer has arrived (or a
 * cancellation ended the call), {@link #takeAnswer} makes the connection read it, and the
 * connection's {@code receive}, status and header methods then work as for a blocking
 * call.
 * <p>
 * Not thread-safe: {@link #send} runs on the calling thread, everything after it on the
 * one thread that processes the answer; the hand-off between them is a safe publication
 * (the answer's future).
 *
 * @author Cancellable SOAP
 */
public interface DeferredConnection extends WebServiceConnection {

	/**
	 * Take the call's answer, which must have arrived: the call's own future is complete.
	 * The response's read stays bounded by the call's deadline, moved by the time the
	 * answer waited for the thread that takes it: a response received in time is not
	 * failed by a completion executor's queue.
	 * @param waitedNanos how long the complete answer waited for this thread
	 * @throws IOException when the exchange failed
	 * @throws ServiceCallException when a cancellation (abandon, abort, timeout) ended
	 * the call
	 */
	void takeAnswer(long waitedNanos) throws IOException;

}
