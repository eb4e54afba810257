package io.github.cancellablesoap.autoconfigure.peers;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;

import jakarta.annotation.Resource;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPFactory;
import jakarta.xml.soap.SOAPFault;
import jakarta.xml.ws.BindingType;
import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceContext;
import jakarta.xml.ws.WebServiceProvider;
import jakarta.xml.ws.handler.MessageContext;
import jakarta.xml.ws.soap.SOAPBinding;
import jakarta.xml.ws.soap.SOAPFaultException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import org.springframework.xml.transform.StringSource;

/**
 * A SOAP 1.2 service of Apache CXF's JAX-WS stack: answers {@code EchoRequest} with an
 * {@code EchoResponse}, or with a Sender fault when the request's text is {@code fail},
 * and records the HTTP headers of each request it served.
 */
@WebServiceProvider(serviceName = "EchoService", portName = "EchoSoap12",
		targetNamespace = Soap12IntegrationTests.NAMESPACE)
@BindingType(SOAPBinding.SOAP12HTTP_BINDING)
@ServiceMode(Service.Mode.PAYLOAD)
public class CxfEchoProvider implements Provider<Source> {

	/** The headers of the requests served, oldest first. */
	final Queue<Map<String, List<String>>> headers = new ConcurrentLinkedQueue<>();

	@Resource
	private WebServiceContext context;

	@Override
	@SuppressWarnings("unchecked")
	public Source invoke(Source request) {
		this.headers
			.add((Map<String, List<String>>) this.context.getMessageContext().get(MessageContext.HTTP_REQUEST_HEADERS));
		Element root = root(request);
		String text = root.getTextContent().strip();
		if ("fail".equals(text)) {
			throw new SOAPFaultException(fault("no such order"));
		}
		return new StringSource("<e:EchoResponse xmlns:e=\"" + Soap12IntegrationTests.NAMESPACE
				+ "\" version=\"cxf\"><e:text>" + text + "</e:text></e:EchoResponse>");
	}

	private static Element root(Source source) {
		try {
			DOMResult result = new DOMResult();
			TransformerFactory.newInstance().newTransformer().transform(source, result);
			return ((Document) result.getNode()).getDocumentElement();
		}
		catch (TransformerException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SOAPFault fault(String text) {
		try {
			return SOAPFactory.newInstance(SOAPConstants.SOAP_1_2_PROTOCOL)
				.createFault(text, new QName(SOAPConstants.URI_NS_SOAP_1_2_ENVELOPE, "Sender"));
		}
		catch (SOAPException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
