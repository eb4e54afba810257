package io.github.cancellablesoap.actuate.endpoint;

import io.github.cancellablesoap.operator.OperatorAnswer;
import io.github.cancellablesoap.operator.OperatorService;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web extension of {@link SoapCallsEndpoint}: the same operations, answered with HTTP
 * statuses (400 malformed input, 401 and 403 without the right user, 404 unknown target,
 * 409 verb not valid in the target's state).
 * <p>
 * Thread-safe: it keeps no state; every method may be called from any request thread.
 *
 * @author Cancellable SOAP
 */
@EndpointWebExtension(endpoint = SoapCallsEndpoint.class)
public class SoapCallsEndpointWebExtension {

	private final OperatorService operator;

	public SoapCallsEndpointWebExtension(OperatorService operator) {
		this.operator = operator;
	}

	/**
	 * Every proxy and host with its state and counts.
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<Object> soapCalls() {
		return respond(this.operator.overview());
	}

	/**
	 * One proxy, call, host or operation.
	 * @param collection the collection
	 * @param id the name or id
	 * @param limit the most calls or operations to list, or {@code null}
	 * @param callerCallId for a host, list only the operations whose caller sent this
	 * call id, or {@code null} for all
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<Object> resource(@Selector String collection, @Selector String id,
			@Nullable Integer limit, @Nullable String callerCallId) {
		return respond(this.operator.read(collection, id, limit, callerCallId));
	}

	/**
	 * A verb on a proxy, host or channel.
	 * @param collection the collection
	 * @param id the name or channel id
	 * @param action the verb
	 * @param reason why, or {@code null}
	 * @return the response
	 */
	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String collection, @Selector String id, @Nullable String action,
			@Nullable String reason) {
		return respond(this.operator.act(collection, id, action, reason));
	}

	/**
	 * Abandon or abort a call, or cancel an operation.
	 * @param collection the collection
	 * @param id the call or operation id
	 * @param mode for calls, {@code abandon} (default) or {@code abort}
	 * @param reason why, or {@code null}
	 * @return the response
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> remove(@Selector String collection, @Selector String id, @Nullable String mode,
			@Nullable String reason) {
		return respond(this.operator.remove(collection, id, mode, reason));
	}

	private static WebEndpointResponse<Object> respond(OperatorAnswer answer) {
		return new WebEndpointResponse<>(answer.body(), answer.httpStatus());
	}

}
