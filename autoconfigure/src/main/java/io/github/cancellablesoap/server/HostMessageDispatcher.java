package io.github.cancellablesoap.server;

import java.util.ArrayList;
import java.util.List;

import io.github.cancellablesoap.core.OperationNames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ObjectUtils;
import org.springframework.ws.FaultAwareWebServiceMessage;
import org.springframework.ws.NoEndpointFoundException;
import org.springframework.ws.WebServiceMessage;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.EndpointExceptionResolver;
import org.springframework.ws.server.EndpointMapping;
import org.springframework.ws.server.MessageDispatcher;
import org.springframework.ws.server.endpoint.MethodEndpoint;
import org.springframework.ws.server.endpoint.mapping.PayloadRootAnnotationMethodEndpointMapping;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.server.SoapEndpointInterceptor;
import org.springframework.ws.soap.server.SoapMessageDispatcher;
import org.springframework.ws.soap.server.endpoint.mapping.SoapActionAnnotationMethodEndpointMapping;
import org.springframework.ws.transport.WebServiceMessageReceiver;

/**
 * The Spring WS message receiver of one host: a {@link SoapMessageDispatcher} over the
 * application context's endpoint mappings, adapters and exception resolvers, whose
 * mappings only yield endpoints bound to the host; it answers a cancelled operation with
 * the cancellation fault.
 * <p>
 * Being a {@code SoapMessageDispatcher}, it follows SOAP's processing rules as Spring
 * Boot's own {@code MessageDispatcherServlet} does: a header block addressed to this node
 * (the SOAP 1.1 actor or 1.2 role of the mapping, or none) and marked
 * {@code mustUnderstand} that no {@link SoapEndpointInterceptor} of the endpoint
 * {@linkplain SoapEndpointInterceptor#understands understands} is answered with a
 * MustUnderstand fault (with the NotUnderstood headers in SOAP 1.2), before any
 * interceptor or the endpoint runs.
 * <p>
 * Thread-safe once constructed.
 */
final class HostMessageDispatcher implements WebServiceMessageReceiver {

	private static final Log logger = LogFactory.getLog(HostMessageDispatcher.class);

	private final String host;

	private final boolean servesUnbound;

	private final MessageDispatcher delegate = new SoapMessageDispatcher();

	HostMessageDispatcher(ServiceHostSettings settings, ApplicationContext applicationContext) {
		this.host = settings.name();
		this.servesUnbound = settings.servesUnboundEndpoints();
		this.delegate.setBeanName("serviceHost-" + this.host);
		this.delegate.setApplicationContext(applicationContext);
		this.delegate.setEndpointMappings(EndpointBinding.restrict(this.delegate.getEndpointMappings(), this::select));
		// first in line: records an endpoint's exception before the resolvers may turn it
		// into a fault, so that the fault's cause reaches the operation listener
		List<EndpointExceptionResolver> resolvers = new ArrayList<>();
		resolvers.add(HostMessageDispatcher::recordFailure);
		resolvers.addAll(this.delegate.getEndpointExceptionResolvers());
		this.delegate.setEndpointExceptionResolvers(resolvers);
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
				operation.failed(ex);
				throw ex;
			}
			catch (Exception ex) {
				if (operation.seal() == null) {
					throw ex;
				}
				logger.debug("Cancelled operation " + operation.operationId() + " ended with an exception", ex);
			}
		}
		// deciding the answer and checking for a cancellation are one step: a cancel that
		// comes later (the caller closing its connection once it has read the answer, an
		// operator) finds the operation answered and changes nothing
		if (!operation.answered(hasFault(messageContext) ? OperationOutcome.FAULT : OperationOutcome.COMPLETED)) {
			messageContext.clearResponse();
			CancellationFaults.addCancelledFault((SoapMessage) messageContext.getResponse(), operation);
			operation.answered(OperationOutcome.CANCELLED);
		}
	}

	private static boolean recordFailure(MessageContext messageContext, @Nullable Object endpoint, Exception ex) {
		Operation operation = Operation.CURRENT.get();
		if (operation != null) {
			operation.endpointFailed(ex);
		}
		return false;
	}

	private static boolean hasFault(MessageContext messageContext) {
		return messageContext.hasResponse()
				&& messageContext.getResponse() instanceof FaultAwareWebServiceMessage response && response.hasFault();
	}

	/**
	 * Whether the host serves an endpoint a mapping found; when it does, the listened
	 * operation learns its bounded name.
	 */
	private boolean select(EndpointMapping mapping, MessageContext messageContext, Object endpoint) {
		if (!serves(endpoint)) {
			return false;
		}
		Operation operation = Operation.CURRENT.get();
		if (operation != null && operation.isListened()) {
			operation.mapped(boundedName(mapping, messageContext.getRequest(), endpoint));
		}
		return true;
	}

	private boolean serves(Object endpoint) {
		String[] hosts = EndpointBinding.hostsOf(endpoint);
		return (hosts != null) ? ObjectUtils.containsElement(hosts, this.host) : this.servesUnbound;
	}

	/**
	 * The operation's name for metric tags, bounded by the application's endpoints: the
	 * SOAP action or payload root that the matching annotation mapping keys on, else the
	 * endpoint method's (or class's) name. Never a value the caller chose freely.
	 */
	private static String boundedName(EndpointMapping mapping, WebServiceMessage request, Object endpoint) {
		String name = null;
		if (mapping instanceof SoapActionAnnotationMethodEndpointMapping) {
			name = soapAction(request);
		}
		else if (mapping instanceof PayloadRootAnnotationMethodEndpointMapping) {
			name = payloadRootName(request);
		}
		if (name != null) {
			return name;
		}
		if (endpoint instanceof MethodEndpoint methodEndpoint) {
			return methodEndpoint.getMethod().getName();
		}
		return AopUtils.getTargetClass(endpoint).getSimpleName();
	}

	private static String operationName(WebServiceMessage request) {
		String name = OperationNames.of(request.getPayloadSource(), soapAction(request));
		return (name != null) ? name : "?";
	}

	private static @Nullable String soapAction(WebServiceMessage request) {
		return (request instanceof SoapMessage soap) ? OperationNames.soapAction(soap.getSoapAction()) : null;
	}

	private static @Nullable String payloadRootName(WebServiceMessage request) {
		return OperationNames.payloadRoot(request.getPayloadSource());
	}

}
