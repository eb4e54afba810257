package io.github.cancellablesoap.sample.quotes;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.Source;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import org.springframework.xml.transform.TransformerHelper;

/**
 * The XML vocabulary of the quotes service (see {@code quotes.xsd}) and the few DOM
 * helpers that its endpoint and its client need, so that neither needs generated classes.
 * <p>
 * Thread-safe: every method builds its own document.
 *
 * @author Cancellable SOAP
 */
public final class QuotesXml {

	/** The target namespace of the service's messages. */
	public static final String NAMESPACE = "urn:io.github.cancellablesoap:sample:quotes";

	/** Root element of a quote request. */
	public static final String GET_QUOTE_REQUEST = "GetQuoteRequest";

	/** Root element of a quote response. */
	public static final String GET_QUOTE_RESPONSE = "GetQuoteResponse";

	/** Root element of a report request. */
	public static final String GET_REPORT_REQUEST = "GetReportRequest";

	/** Root element of a report response. */
	public static final String GET_REPORT_RESPONSE = "GetReportResponse";

	private static final DocumentBuilderFactory FACTORY = newFactory();

	private QuotesXml() {
	}

	/**
	 * Start a message: a new document whose root element is in the service's namespace.
	 * @param rootName the local name of the root element
	 * @return the root element
	 */
	public static Element newMessage(String rootName) {
		Document document = newDocumentBuilder().newDocument();
		Element root = document.createElementNS(NAMESPACE, rootName);
		document.appendChild(root);
		return root;
	}

	/**
	 * Append a child element with text content.
	 * @param parent the parent element
	 * @param name the child's local name
	 * @param value the child's text
	 * @return the parent, for chaining
	 */
	public static Element append(Element parent, String name, Object value) {
		Element child = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
		child.setTextContent(String.valueOf(value));
		parent.appendChild(child);
		return parent;
	}

	/**
	 * The trimmed text of a child element.
	 * @param parent the parent element
	 * @param name the child's local name
	 * @return the text
	 * @throws IllegalArgumentException when the child is missing
	 */
	public static String text(Element parent, String name) {
		NodeList children = parent.getElementsByTagNameNS(NAMESPACE, name);
		if (children.getLength() == 0) {
			throw new IllegalArgumentException(parent.getLocalName() + " has no " + name + " element");
		}
		return children.item(0).getTextContent().trim();
	}

	/**
	 * A message as a source, ready to be sent.
	 * @param root the root element
	 * @return the source
	 */
	public static Source source(Element root) {
		return new DOMSource(root);
	}

	/**
	 * Read a received payload as a DOM element.
	 * @param payload the payload source
	 * @return its root element
	 * @throws TransformerException when the payload cannot be read
	 */
	public static Element element(Source payload) throws TransformerException {
		if (payload instanceof DOMSource dom) {
			Node node = dom.getNode();
			if (node instanceof Element element) {
				return element;
			}
			if (node instanceof Document document) {
				return document.getDocumentElement();
			}
		}
		DOMResult result = new DOMResult(newDocumentBuilder().newDocument());
		new TransformerHelper().transform(payload, result);
		return ((Document) result.getNode()).getDocumentElement();
	}

	private static DocumentBuilder newDocumentBuilder() {
		// A factory is not guaranteed to be thread-safe; the builders it makes are used
		// by one thread each.
		synchronized (FACTORY) {
			try {
				return FACTORY.newDocumentBuilder();
			}
			catch (ParserConfigurationException ex) {
				throw new IllegalStateException("No namespace-aware XML parser available", ex);
			}
		}
	}

	private static DocumentBuilderFactory newFactory() {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setExpandEntityReferences(false);
		return factory;
	}

}
