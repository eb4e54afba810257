package io.github.cancellablesoap.client;

import java.io.IOException;
import java.util.Map;

/**
 * What a transport sees of the call it carries: it reports the exchange's progress and
 * hands over the response, while the call decides, once, how it ends.
 * <p>
 * {@link #attach}, {@link #operation}, {@link #requestHeaders} and {@link #awaitResponse}
 * are called on the caller's thread; {@link #phase}, {@link #responded}, {@link #failed}
 * and {@link #exchangeEnded} may be called from any thread (typically an I/O thread).
 *
 * @author Cancellable SOAP
 */
public interface CarriedCall {

	/**
	 * The call id, sent to the peer so that both sides name the call alike.
	 * @return the call id
	 */
	String callId();

	/**
	 * The time left before the call times out.
	 * @return the remaining budget in milliseconds, at least 1
	 */
	long remainingMillis();

	/**
	 * Headers that the proxy's listeners want sent with the request, such as the trace
	 * context of the call's span. Called on the caller's thread, before {@link #attach}.
	 * @return the headers by name, empty for none; not to be modified
	 */
	default Map<String, String> requestHeaders() {
		return Map.of();
	}

	/**
	 * Record the operation being called, once the request was built.
	 * @param operation the payload root element's local name or the SOAP action
	 */
	void operation(String operation);

	/**
	 * Bind the channel that is about to carry the call. The transport starts its I/O only
	 * when this returns; once it returns, the transport must report
	 * {@link #exchangeEnded()} exactly once.
	 * @param channel the channel
	 * @throws ServiceCallException when the call was already abandoned, aborted or timed
	 * out: no I/O may start
	 */
	void attach(Channel channel);

	/**
	 * Report the exchange's progress.
	 * @param phase the phase the exchange entered
	 */
	void phase(CallPhase phase);

	/**
	 * Hand over the complete response.
	 * @param response the transport's response object
	 * @return {@code false} when the call was already decided otherwise and the response
	 * is dropped
	 */
	boolean responded(Object response);

	/**
	 * Report that the exchange failed.
	 * @param failure the transport error
	 */
	void failed(IOException failure);

	/**
	 * Report that the exchange's I/O really ended (response, failure or cancellation);
	 * called before {@link #responded} or {@link #failed}, so that a caller holding its
	 * answer never finds its call still listed.
	 */
	void exchangeEnded();

	/**
	 * Wait for the response, for the call timeout at most.
	 * @return the object given to {@link #responded}
	 * @throws IOException when the exchange failed
	 * @throws ServiceCallException when the call was abandoned, aborted or timed out
	 */
	Object awaitResponse() throws IOException;

}
