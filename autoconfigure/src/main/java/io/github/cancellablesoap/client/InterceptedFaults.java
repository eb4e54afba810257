package io.github.cancellablesoap.client;

import org.jspecify.annotations.Nullable;

import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.client.support.interceptor.ClientInterceptor;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.soap.SoapMessage;
import org.springframework.ws.soap.client.SoapFaultClientException;

/**
 * Wraps one client interceptor of a proxy's template so that a response it turns into a
 * SOAP fault fails the call as a {@link SoapFaultClientException}.
 * <p>
 * {@code WebServiceTemplate} chooses between its response extractor and its fault
 * handling before the interceptors see the response. Spring WS's WS-Security interceptor
 * answers a response that fails validation (an untrusted signature, a stale timestamp) by
 * replacing it with a fault and stopping the chain; the template would then hand that
 * fault to the extractor as the answer. The wrapper checks the response after its
 * interceptor's {@code handleResponse}: the template only calls it for a response without
 * a fault, so a fault now is one an interceptor made, or one the service sent with a
 * success status, and is a fault either way.
 * <p>
 * Thread-safe when the wrapped interceptor is.
 */
final class InterceptedFaults implements ClientInterceptor {

	private final ClientInterceptor delegate;

	private InterceptedFaults(ClientInterceptor delegate) {
		this.delegate = delegate;
	}

	/**
	 * Wrap each interceptor the template has now (once: a wrapped one stays as it is).
	 * @param template the proxy's template
	 */
	static void wrapAll(WebServiceTemplate template) {
		ClientInterceptor[] interceptors = template.getInterceptors();
		if (interceptors == null || interceptors.length == 0) {
			return;
		}
		ClientInterceptor[] wrapped = new ClientInterceptor[interceptors.length];
		for (int i = 0; i < interceptors.length; i++) {
			wrapped[i] = (interceptors[i] instanceof InterceptedFaults) ? interceptors[i]
					: new InterceptedFaults(interceptors[i]);
		}
		template.setInterceptors(wrapped);
	}

	@Override
	public boolean handleRequest(MessageContext messageContext) throws WebServiceClientException {
		return this.delegate.handleRequest(messageContext);
	}

	@Override
	public boolean handleResponse(MessageContext messageContext) throws WebServiceClientException {
		boolean proceed = this.delegate.handleResponse(messageContext);
		if (messageContext.hasResponse() && messageContext.getResponse() instanceof SoapMessage soap
				&& soap.hasFault()) {
			throw new SoapFaultClientException(soap);
		}
		return proceed;
	}

	@Override
	public boolean handleFault(MessageContext messageContext) throws WebServiceClientException {
		return this.delegate.handleFault(messageContext);
	}

	@Override
	public void afterCompletion(MessageContext messageContext, @Nullable Exception ex)
			throws WebServiceClientException {
		this.delegate.afterCompletion(messageContext, ex);
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
