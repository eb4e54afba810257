package io.github.cancellablesoap.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.client.CallOutcome;
import io.micrometer.observation.transport.RequestReplySenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.micrometer.observation.Observation.Context} of one service proxy call.
 * Its carrier is the map of headers to send with the call's request: a propagating
 * tracing handler writes the trace context into it when the observation starts, and the
 * transport puts those headers on the HTTP request.
 * <p>
 * The call's proxy and id are set before the observation starts; its operation, outcome
 * and failure when the caller is released. Written by the thread that starts or stops the
 * observation; read by the observation's handlers on that thread.
 *
 * @author Cancellable SOAP
 */
public class SoapClientObservationContext extends RequestReplySenderContext<Map<String, String>, Object> {

	private final String proxy;

	private final String callId;

	private @Nullable String operation;

	private @Nullable CallOutcome outcome;

	/**
	 * Create the context of a call that is about to start.
	 * @param proxy the proxy name
	 * @param callId the call id
	 */
	public SoapClientObservationContext(String proxy, String callId) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		this.proxy = proxy;
		this.callId = callId;
		setCarrier(new LinkedHashMap<>(4));
		setRemoteServiceName(proxy);
	}

	/**
	 * The name of the proxy that makes the call.
	 * @return the proxy name
	 */
	public String getProxy() {
		return this.proxy;
	}

	/**
	 * The call id, as the peer sees it in the {@code Soap-Call-Id} header.
	 * @return the call id
	 */
	public String getCallId() {
		return this.callId;
	}

	/**
	 * The operation called, known once the request was built.
	 * @return the operation, or {@code null} before the call ended or when no request was
	 * built
	 */
	public @Nullable String getOperation() {
		return this.operation;
	}

	/**
	 * Set the operation called.
	 * @param operation the operation, or {@code null}
	 */
	public void setOperation(@Nullable String operation) {
		this.operation = operation;
	}

	/**
	 * How the call ended for its caller.
	 * @return the outcome, or {@code null} while the caller waits
	 */
	public @Nullable CallOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Set how the call ended for its caller.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable CallOutcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * The headers to send with the call's request, as the observation's handlers wrote
	 * them.
	 * @return the headers by name, empty when no handler propagates a context
	 */
	public Map<String, String> getHeaders() {
		Map<String, String> carrier = getCarrier();
		return (carrier != null) ? carrier : Map.of();
	}

}
