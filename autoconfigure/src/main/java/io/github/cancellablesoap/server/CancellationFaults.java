package io.github.cancellablesoap.server;

import java.util.List;
import java.util.Locale;

import javax.xml.namespace.QName;

import org.jspecify.annotations.Nullable;

import io.github.cancellablesoap.core.WireProtocol;

import org.springframework.ws.soap.SoapBody;
import org.springframework.ws.soap.SoapFault;
import org.springframework.ws.soap.SoapFaultDetailElement;
import org.springframework.ws.soap.SoapMessage;

/**
 * The SOAP faults a service host answers with when it cancelled an operation or refused a
 * request, and the names of their detail elements, so that clients can map them to typed
 * exceptions.
 * <p>
 * A cancelled operation answers (HTTP 500, as any SOAP fault) a Server/Receiver fault
 * whose detail holds
 * {@code <cs:cancelled xmlns:cs="urn:io.github.cancellablesoap" reason=
 * "HOST_ABORTED" operationId="o-1a" host="orders"/>}. A refused request gets HTTP 503 and
 * a Server/Receiver fault whose detail holds
 * {@code <cs:rejected xmlns:cs="urn:io.github.cancellablesoap" host="orders" hostState=
 * "CLOSING" listenerState="CLOSED"/>}. A request refused for what it carries (too large,
 * too slow, nested too deep, of the wrong content type) gets a 4xx status and a
 * Client/Sender fault whose detail holds
 * {@code <cs:refused xmlns:cs="urn:io.github.cancellablesoap" host="orders" reason=
 * "request-too-large"/>}; {@link #REFUSED_REASONS} lists the reasons. An operation that
 * failed in the host itself gets HTTP 500 and a Server/Receiver fault naming the
 * operation, without the failure's details.
 * <p>
 * Stateless and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class CancellationFaults {

	/** The namespace of the detail elements. */
	public static final String NAMESPACE = WireProtocol.FAULT_NAMESPACE;

	/** The detail element of a cancelled operation's fault. */
	public static final QName CANCELLED = new QName(NAMESPACE, WireProtocol.CANCELLED_ELEMENT, "cs");

	/** The detail element of a refused request's fault. */
	public static final QName REJECTED = new QName(NAMESPACE, WireProtocol.REJECTED_ELEMENT, "cs");

	/** The detail element of a fault that refuses a request for what it carries. */
	public static final QName REFUSED = new QName(NAMESPACE, "refused", "cs");

	/**
	 * The values of {@link #REASON_ATTRIBUTE} on {@link #REFUSED}: the request body is
	 * larger than {@code max-request-size} (413), did not arrive within
	 * {@code request-body-timeout} (408), nests deeper than {@code max-xml-depth} (400),
	 * is not a SOAP message (400), could not be read because its framing is broken or it
	 * ended early (400), or has a content type other than {@code text/xml} and
	 * {@code application/soap+xml} (415).
	 */
	public static final List<String> REFUSED_REASONS = List.of("request-too-large", "request-body-timeout",
			"xml-too-deep", "malformed-xml", "unsupported-media-type");

	/** Attribute of {@link #CANCELLED}: the {@link CancelReason} name. */
	public static final String REASON_ATTRIBUTE = WireProtocol.REASON_ATTRIBUTE;

	/** Attribute of {@link #CANCELLED}: the operation id. */
	public static final String OPERATION_ID_ATTRIBUTE = WireProtocol.OPERATION_ID_ATTRIBUTE;

	/** Attribute of both elements: the host's name. */
	public static final String HOST_ATTRIBUTE = WireProtocol.HOST_ATTRIBUTE;

	/** Attribute of {@link #REJECTED}: the host's {@link HostState}. */
	public static final String HOST_STATE_ATTRIBUTE = WireProtocol.HOST_STATE_ATTRIBUTE;

	/** Attribute of {@link #REJECTED}: the listener's {@link ListenerState}. */
	public static final String LISTENER_STATE_ATTRIBUTE = WireProtocol.LISTENER_STATE_ATTRIBUTE;

	private CancellationFaults() {
	}

	static void addCancelledFault(SoapMessage message, Operation operation) {
		CancelReason reason = operation.cancelReason().orElseThrow();
		String detail = operation.cancelDetail();
		SoapBody body = message.getSoapBody();
		SoapFault fault = body
			.addServerOrReceiverFault(
					"Operation " + operation.operationId() + " of service host '" + operation.host()
							+ "' was cancelled: " + reason + ((detail != null) ? " (" + detail + ")" : ""),
					Locale.ENGLISH);
		SoapFaultDetailElement element = fault.addFaultDetail().addFaultDetailElement(CANCELLED);
		element.addAttribute(new QName(REASON_ATTRIBUTE), reason.name());
		element.addAttribute(new QName(OPERATION_ID_ATTRIBUTE), operation.operationId());
		element.addAttribute(new QName(HOST_ATTRIBUTE), operation.host());
	}

	static void addRefusedFault(SoapMessage message, String host, String reason, String text) {
		SoapFault fault = message.getSoapBody().addClientOrSenderFault(text, Locale.ENGLISH);
		SoapFaultDetailElement element = fault.addFaultDetail().addFaultDetailElement(REFUSED);
		element.addAttribute(new QName(HOST_ATTRIBUTE), host);
		element.addAttribute(new QName(REASON_ATTRIBUTE), reason);
	}

	static void addFailedFault(SoapMessage message, String host, @Nullable String operationId) {
		String what = (operationId != null) ? "Operation " + operationId : "A request";
		message.getSoapBody()
			.addServerOrReceiverFault(what + " of service host '" + host + "' failed in the host; its log says why",
					Locale.ENGLISH);
	}

	static void addRejectedFault(SoapMessage message, String host, String text, HostState hostState,
			ListenerState listenerState) {
		SoapFault fault = message.getSoapBody().addServerOrReceiverFault(text, Locale.ENGLISH);
		SoapFaultDetailElement element = fault.addFaultDetail().addFaultDetailElement(REJECTED);
		element.addAttribute(new QName(HOST_ATTRIBUTE), host);
		element.addAttribute(new QName(HOST_STATE_ATTRIBUTE), hostState.name());
		element.addAttribute(new QName(LISTENER_STATE_ATTRIBUTE), listenerState.name());
	}

}
