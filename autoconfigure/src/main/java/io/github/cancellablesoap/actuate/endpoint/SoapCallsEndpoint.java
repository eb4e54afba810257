package io.github.cancellablesoap.actuate.endpoint;

import io.github.cancellablesoap.operator.OperatorService;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code soapcalls} endpoint: every service proxy and host with its calls and
 * operations, and the operator verbs on them. Read-only unless the application grants
 * write access ({@code management.endpoint.soapcalls.access=unrestricted}), like Spring
 * Boot's {@code shutdown} endpoint.
 * <p>
 * Plain Java: each operation answers with an immutable descriptor, an action result, or
 * an error descriptor; {@link SoapCallsEndpointWebExtension} adds the HTTP statuses.
 * Resources are {@code <collection>/<id>}, see {@link OperatorService}.
 * <p>
 * Thread-safe: it keeps no state; every method may be called from any request thread.
 *
 * @author Cancellable SOAP
 */
@Endpoint(id = "soapcalls", defaultAccess = Access.READ_ONLY)
public class SoapCallsEndpoint {

	private final OperatorService operator;

	public SoapCallsEndpoint(OperatorService operator) {
		this.operator = operator;
	}

	/**
	 * Every proxy and host with its state and counts.
	 * @return the overview, or an error descriptor
	 */
	@ReadOperation
	public Object soapCalls() {
		return this.operator.overview().body();
	}

	/**
	 * One proxy with its calls, call, host with its operations, or operation.
	 * @param collection {@code proxies}, {@code calls}, {@code hosts} or
	 * {@code operations}
	 * @param id the name or id
	 * @param limit the most calls or operations to list, or {@code null}
	 * @param callerCallId for a host, list only the operations whose caller sent this
	 * call id, or {@code null} for all
	 * @return the descriptor, or an error descriptor
	 */
	@ReadOperation
	public Object resource(@Selector String collection, @Selector String id, @Nullable Integer limit,
			@Nullable String callerCallId) {
		return this.operator.read(collection, id, limit, callerCallId).body();
	}

	/**
	 * A verb on a proxy, a host or a channel.
	 * @param collection {@code proxies}, {@code hosts} or {@code channels}
	 * @param id the name or channel id
	 * @param action the verb
	 * @param reason why, or {@code null}
	 * @return the action result, or an error descriptor
	 */
	@WriteOperation
	public Object act(@Selector String collection, @Selector String id, @Nullable String action,
			@Nullable String reason) {
		return this.operator.act(collection, id, action, reason).body();
	}

	/**
	 * Abandon or abort a call, or cancel an operation.
	 * @param collection {@code calls} or {@code operations}
	 * @param id the call or operation id
	 * @param mode for calls, {@code abandon} (default) or {@code abort}
	 * @param reason why, or {@code null}
	 * @return the action result, or an error descriptor
	 */
	@DeleteOperation
	public Object remove(@Selector String collection, @Selector String id, @Nullable String mode,
			@Nullable String reason) {
		return this.operator.remove(collection, id, mode, reason).body();
	}

}
