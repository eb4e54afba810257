package io.github.cancellablesoap.client;

import java.util.Iterator;

import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;

import io.github.cancellablesoap.core.WireProtocol;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import org.springframework.ws.soap.SoapFault;
import org.springframework.ws.soap.SoapFaultDetail;
import org.springframework.ws.soap.SoapFaultDetailElement;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * Thrown when the service answered that it cancelled the operation serving the call: a
 * service host of this project was aborted or closed, the caller's deadline passed there,
 * or an operator cancelled it. It is still a {@link SoapFaultClientException}, so code
 * that handles SOAP faults keeps working; the reason, operation id and host come from the
 * fault's detail.
 *
 * @author Cancellable SOAP
 */
public final class RemoteOperationCancelledException extends SoapFaultClientException {

	private static final QName CANCELLED = new QName(WireProtocol.FAULT_NAMESPACE, WireProtocol.CANCELLED_ELEMENT);

	private final String reason;

	private final @Nullable String operationId;

	private final @Nullable String host;

	private RemoteOperationCancelledException(SoapMessage faultMessage, Element detail) {
		super(faultMessage);
		this.reason = detail.getAttribute(WireProtocol.REASON_ATTRIBUTE);
		this.operationId = attribute(detail, WireProtocol.OPERATION_ID_ATTRIBUTE);
		this.host = attribute(detail, WireProtocol.HOST_ATTRIBUTE);
	}

	/**
	 * The typed form of a fault, when it is a cancellation fault of this project.
	 * @param fault the fault the template threw
	 * @return the typed exception, or {@code null} for any other fault
	 */
	static @Nullable RemoteOperationCancelledException from(SoapFaultClientException fault) {
		SoapFault soapFault = fault.getSoapFault();
		SoapFaultDetail detail = (soapFault != null) ? soapFault.getFaultDetail() : null;
		if (detail == null || !(fault.getWebServiceMessage() instanceof SoapMessage message)) {
			return null;
		}
		Iterator<SoapFaultDetailElement> entries = detail.getDetailEntries();
		while (entries.hasNext()) {
			SoapFaultDetailElement entry = entries.next();
			if (CANCELLED.equals(entry.getName())) {
				Source source = entry.getSource();
				Node node = (source instanceof DOMSource dom) ? dom.getNode() : null;
				if (node instanceof Element element) {
					RemoteOperationCancelledException typed = new RemoteOperationCancelledException(message, element);
					typed.setStackTrace(fault.getStackTrace());
					return typed;
				}
			}
		}
		return null;
	}

	private static @Nullable String attribute(Element element, String name) {
		String value = element.getAttribute(name);
		return value.isEmpty() ? null : value;
	}

	/**
	 * Why the service cancelled the operation, as it said: a cancel reason name such as
	 * {@code HOST_ABORTED}, {@code DEADLINE_EXCEEDED} or {@code OPERATOR}.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * The id of the service's operation.
	 * @return the operation id, or {@code null} when the service did not say
	 */
	public @Nullable String getOperationId() {
		return this.operationId;
	}

	/**
	 * The name of the service host that cancelled the operation.
	 * @return the host name, or {@code null} when the service did not say
	 */
	public @Nullable String getHost() {
		return this.host;
	}

}
