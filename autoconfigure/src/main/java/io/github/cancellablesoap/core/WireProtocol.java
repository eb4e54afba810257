package io.github.cancellablesoap.core;

/**
 * The names that peers of this project exchange on the wire: request headers from a proxy
 * to a host, and the SOAP fault details a host answers with. Both sides read them from
 * here.
 *
 * @author Cancellable SOAP
 */
public final class WireProtocol {

	/** Request header: the caller's call id. */
	public static final String CALL_ID_HEADER = "Soap-Call-Id";

	/** Request header: the caller's remaining time budget, in milliseconds. */
	public static final String CALL_TIMEOUT_HEADER = "Soap-Call-Timeout";

	/** Namespace of the fault detail elements. */
	public static final String FAULT_NAMESPACE = "urn:io.github.cancellablesoap";

	/** Local name of the detail element of a cancelled operation's fault. */
	public static final String CANCELLED_ELEMENT = "cancelled";

	/** Local name of the detail element of a refused request's fault. */
	public static final String REJECTED_ELEMENT = "rejected";

	/** Attribute of the cancelled element: the cancel reason's name. */
	public static final String REASON_ATTRIBUTE = "reason";

	/** Attribute of the cancelled element: the server's operation id. */
	public static final String OPERATION_ID_ATTRIBUTE = "operationId";

	/** Attribute of both elements: the host's name. */
	public static final String HOST_ATTRIBUTE = "host";

	/** Attribute of the rejected element: the host's state. */
	public static final String HOST_STATE_ATTRIBUTE = "hostState";

	/** Attribute of the rejected element: the listener's state. */
	public static final String LISTENER_STATE_ATTRIBUTE = "listenerState";

	private WireProtocol() {
	}

}
