package io.github.cancellablesoap.server;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ObjectUtils;
import org.springframework.util.StringUtils;
import org.springframework.ws.NoEndpointFoundException;
import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.EndpointInvocationChain;
import org.springframework.ws.server.EndpointMapping;
import org.springframework.ws.server.MessageDispatcher;
import org.springframework.ws.server.endpoint.MethodEndpoint;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.transport.WebServiceMessageReceiver;

/**
 * The Spring WS message receiver of one host: a {@link MessageDispatcher} over the
 * application context's endpoint mappings, adapters and exception resolvers, whose
 * mappings only yield endpoints bound to the host; it answers a cancelled operation with
 * the cancellation fault.
 */
final class HostMessageDispatcher implements WebServiceMessageReceiver {

	private static final Log logger = LogFactory.getLog(HostMessageDispatcher.class);

	private final String host;

	private final boolean servesUnbound;

	private final MessageDispatcher delegate = new MessageDispatcher();

	HostMessageDispatcher(ServiceHostSettings settings, ApplicationContext applicationContext) {
		this.host = settings.name();
		this.servesUnbound = settings.servesUnboundEndpoints();
		this.delegate.setBeanName("serviceHost-" + this.host);
		this.delegate.setApplicationContext(applicationContext);
		List<EndpointMapping> mappings = new ArrayList<>();
		for (EndpointMapping mapping : this.delegate.getEndpointMappings()) {
			mappings.add((messageContext) -> {
				EndpointInvocationChain chain = mapping.getEndpoint(messageContext);
				return (chain == null || serves(chain.getEndpoint())) ? chain : null;
			});
		}
		this.delegate.setEndpointMappings(mappings);
	}

	@Override
	public void receive(MessageContext messageContext) throws Exception {
		Operation operation = Operation.CURRENT.get();
		if (operation == null) {
			this.delegate.receive(messageContext);
			return;
		}
		operation.name(operationName(messageContext.getRequest()));
		if (!operation.isCancellationRequested()) {
			try {
				this.delegate.receive(messageContext);
			}
			catch (NoEndpointFoundException ex) {
				throw ex;
			}
			catch (Exception ex) {
				if (!operation.isCancellationRequested()) {
					throw ex;
				}
				logger.debug("Cancelled operation " + operation.operationId() + " ended with an exception", ex);
			}
		}
		if (operation.isCancellationRequested()) {
			messageContext.clearResponse();
			CancellationFaults.addCancelledFault((SoapMessage) messageContext.getResponse(), operation);
		}
	}

	private boolean serves(Object endpoint) {
		HostedBy binding = null;
		Object bean = endpoint;
		if (endpoint instanceof MethodEndpoint methodEndpoint) {
			Method method = methodEndpoint.getMethod();
			binding = AnnotatedElementUtils.findMergedAnnotation(method, HostedBy.class);
			bean = methodEndpoint.getBean();
		}
		if (binding == null) {
			binding = AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(bean), HostedBy.class);
		}
		if (binding == null) {
			return this.servesUnbound;
		}
		return ObjectUtils.containsElement(binding.value(), this.host);
	}

	private static String operationName(WebServiceMessage request) {
		if (request instanceof SoapMessage soap) {
			String action = soap.getSoapAction();
			if (StringUtils.hasText(action) && !"\"\"".equals(action)) {
				return StringUtils.trimTrailingCharacter(StringUtils.trimLeadingCharacter(action, '"'), '"');
			}
		}
		Source payload = request.getPayloadSource();
		if (payload instanceof DOMSource dom) {
			Node node = dom.getNode();
			if (node instanceof Document document) {
				node = document.getDocumentElement();
			}
			if (node != null && node.getLocalName() != null) {
				return node.getLocalName();
			}
		}
		return "?";
	}

}
