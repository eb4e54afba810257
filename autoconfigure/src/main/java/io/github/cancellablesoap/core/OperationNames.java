package io.github.cancellablesoap.core;

import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;

import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * The one rule that names the operation a SOAP request calls, on both sides of a call, so
 * that a proxy's call and the host's operation that serves it carry the same name: the
 * local name of the payload's root element (the WSDL operation's input element in
 * document/literal style, and what Spring WS's own observations name
 * {@code operation.name}), else the SOAP action without its quotes, else nothing. The
 * SOAP action is SOAP 1.1's {@code SOAPAction} header or SOAP 1.2's {@code action}
 * parameter of the content type (SOAP 1.2 has no {@code SOAPAction} header); callers pass
 * whichever the message's version carries, as Spring WS's
 * {@code SoapMessage#getSoapAction()} reads it, so that one rule names both versions.
 * <p>
 * The payload root is read only when the payload is already a DOM tree (SAAJ messages,
 * Spring WS's default): naming never parses a payload.
 * <p>
 * Thread-safe: stateless.
 *
 * @author Cancellable SOAP
 */
public final class OperationNames {

	/** The key of the operation's name in the observations of calls and operations. */
	public static final String OBSERVATION_KEY = "operation.name";

	private OperationNames() {
	}

	/**
	 * Name the operation of a request.
	 * @param payload the request's payload, may be {@code null}
	 * @param soapAction the request's SOAP action as sent (SOAP 1.1's header or SOAP
	 * 1.2's content type parameter), quoted or not, may be {@code null}
	 * @return the payload root's local name, else the SOAP action, else {@code null}
	 */
	public static @Nullable String of(@Nullable Source payload, @Nullable String soapAction) {
		String root = payloadRoot(payload);
		return (root != null) ? root : soapAction(soapAction);
	}

	/**
	 * The local name of a payload's root element, when the payload is a DOM tree.
	 * @param payload the payload, may be {@code null}
	 * @return the local name (the node name when it has none), or {@code null}
	 */
	public static @Nullable String payloadRoot(@Nullable Source payload) {
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
		return null;
	}

	/**
	 * A SOAP action without its quotes.
	 * @param soapAction the SOAP action as sent, may be {@code null}
	 * @return the action, or {@code null} when none or empty was sent
	 */
	public static @Nullable String soapAction(@Nullable String soapAction) {
		if (soapAction == null) {
			return null;
		}
		String action = soapAction.strip();
		if (action.length() >= 2 && action.charAt(0) == '"' && action.charAt(action.length() - 1) == '"') {
			action = action.substring(1, action.length() - 1).strip();
		}
		return action.isEmpty() ? null : action;
	}

}
