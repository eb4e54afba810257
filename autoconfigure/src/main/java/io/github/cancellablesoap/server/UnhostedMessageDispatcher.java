package io.github.cancellablesoap.server;

import org.springframework.beans.factory.BeanNameAware;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.soap.server.SoapMessageDispatcher;
import org.springframework.ws.transport.WebServiceMessageReceiver;
import org.springframework.ws.transport.http.MessageDispatcherServlet;

/**
 * The message receiver of Spring WS's own {@link MessageDispatcherServlet} (Spring Boot's
 * {@code spring.webservices.path}) in an application with service hosts: it serves only
 * the endpoints that no host serves, so that a hosted endpoint is reachable through its
 * host alone, behind the host's listener, limits, tracking and cancellation.
 * <p>
 * An endpoint is hosted when it carries {@link HostedBy} (whether or not the host it
 * names exists), or when a host serves unbound endpoints (the single configured host
 * does). A mapping that yields a hosted endpoint is passed over, as a host passes over
 * endpoints it does not serve; a request left without an endpoint is answered as Spring
 * WS answers it when no endpoint exists (HTTP 404). WSDL and XSD publication by the
 * servlet is not affected. Everything else is Spring WS's {@link SoapMessageDispatcher}
 * over the application context's mappings, adapters and resolvers, SOAP processing rules
 * included.
 * <p>
 * The servlet finds it as the bean named
 * {@value MessageDispatcherServlet#DEFAULT_MESSAGE_RECEIVER_BEAN_NAME}. Thread-safe once
 * its application context was set.
 *
 * @author Cancellable SOAP
 */
public final class UnhostedMessageDispatcher
		implements WebServiceMessageReceiver, ApplicationContextAware, BeanNameAware {

	private final boolean unboundEndpointsHosted;

	private final SoapMessageDispatcher delegate = new SoapMessageDispatcher();

	/**
	 * Create the receiver.
	 * @param unboundEndpointsHosted whether a host serves the endpoints that carry no
	 * {@link HostedBy}
	 */
	public UnhostedMessageDispatcher(boolean unboundEndpointsHosted) {
		this.unboundEndpointsHosted = unboundEndpointsHosted;
	}

	/**
	 * Whether a host serves the endpoint, so that this receiver must not.
	 * @param endpoint the endpoint a mapping found
	 * @return {@code true} when the endpoint is hosted
	 */
	public boolean isHosted(Object endpoint) {
		return this.unboundEndpointsHosted || EndpointBinding.hostsOf(endpoint) != null;
	}

	@Override
	public void setBeanName(String name) {
		this.delegate.setBeanName(name);
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.delegate.setApplicationContext(applicationContext);
		this.delegate.setEndpointMappings(EndpointBinding.restrict(this.delegate.getEndpointMappings(),
				(mapping, messageContext, endpoint) -> !isHosted(endpoint)));
	}

	@Override
	public void receive(MessageContext messageContext) throws Exception {
		this.delegate.receive(messageContext);
	}

}
