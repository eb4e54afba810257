package io.github.cancellablesoap.transport;

import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;

import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import org.springframework.util.StringUtils;
import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.soap.SoapMessage;

/**
 * Names the operation a request calls, cheaply: the payload root element's local name
 * when the payload is a DOM tree (SAAJ), else the SOAP action.
 */
final class OperationNames {

	private OperationNames() {
	}

	static @Nullable String of(WebServiceMessage message) {
		Source payload = message.getPayloadSource();
		if (payload instanceof DOMSource dom) {
			Node node = dom.getNode();
			if (node instanceof Document document) {
				node = document.getDocumentElement();
			}
			if (node != null) {
				String name = node.getLocalName();
				return (name != null) ? name : node.getNodeName();
			}
		}
		if (message instanceof SoapMessage soap) {
			String action = soap.getSoapAction();
			if (StringUtils.hasText(action) && !"\"\"".equals(action)) {
				return action;
			}
		}
		return null;
	}

}
