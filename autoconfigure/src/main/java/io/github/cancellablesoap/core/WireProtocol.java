package io.github.cancellablesoap.core;

/**
 * The names that peers of this project exchange on the wire: request headers from a proxy
 * to a host, the cancel message and the header by which a host says it understands one,
 * and the SOAP fault details a host answers with. Both sides read them from here.
 *
 * @author Cancellable SOAP
 */
public final class WireProtocol {

	/** Request header: the caller's call id. */
	public static final String CALL_ID_HEADER = "Soap-Call-Id";

	/** Request header: the caller's remaining time budget, in milliseconds. */
	public static final String CALL_TIMEOUT_HEADER = "Soap-Call-Timeout";

	/**
	 * Request header: the call's capability, a random token ({@link Tokens#next()}) that
	 * only the caller and the host hold; whoever presents it may cancel the call.
	 */
	public static final String CALL_TOKEN_HEADER = "Soap-Call-Token";

	/**
	 * Request header of a cancel message: the call id of the call to cancel; the message
	 * carries the call's {@link #CALL_TOKEN_HEADER} too and has no body.
	 */
	public static final String CANCEL_CALL_HEADER = "Soap-Cancel-Call";

	/**
	 * Response header a host of this project adds to every answer, with the value
	 * {@link #CANCEL_SUPPORTED}: proxies send cancel messages only to peers that sent it.
	 */
	public static final String CANCEL_SUPPORT_HEADER = "Soap-Cancel";

	/** The value of {@link #CANCEL_SUPPORT_HEADER}. */
	public static final String CANCEL_SUPPORTED = "supported";

	/** The longest call token a host keeps; a longer one is ignored. */
	public static final int MAX_CALL_TOKEN_LENGTH = 64;

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
