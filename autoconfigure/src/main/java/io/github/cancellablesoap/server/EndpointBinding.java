package io.github.cancellablesoap.server;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.EndpointInvocationChain;
import org.springframework.ws.server.EndpointMapping;
import org.springframework.ws.server.endpoint.MethodEndpoint;

/**
 * Reads which hosts an endpoint is bound to with {@link HostedBy}, the method's
 * annotation winning over the class's, and restricts Spring WS endpoint mappings to the
 * endpoints a dispatcher serves. Stateless and thread-safe.
 */
final class EndpointBinding {

	private EndpointBinding() {
	}

	/**
	 * The names of the hosts an endpoint is bound to.
	 * @param endpoint the endpoint a Spring WS mapping found, a {@link MethodEndpoint} or
	 * a bean
	 * @return the host names, or {@code null} when the endpoint carries no
	 * {@link HostedBy}
	 */
	static String @Nullable [] hostsOf(Object endpoint) {
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
		return (binding != null) ? binding.value() : null;
	}

	/**
	 * Wrap endpoint mappings so that they yield only the endpoints a selector accepts; a
	 * mapping whose endpoint is passed over yields none, as if it had found none.
	 * @param mappings the mappings, in order
	 * @param selector which endpoints to keep
	 * @return the restricted mappings, in the same order
	 */
	static List<EndpointMapping> restrict(List<EndpointMapping> mappings, Selector selector) {
		List<EndpointMapping> restricted = new ArrayList<>(mappings.size());
		for (EndpointMapping mapping : mappings) {
			restricted.add((messageContext) -> {
				EndpointInvocationChain chain = mapping.getEndpoint(messageContext);
				return (chain != null && selector.select(mapping, messageContext, chain.getEndpoint())) ? chain : null;
			});
		}
		return restricted;
	}

	/**
	 * Decides whether a restricted mapping yields the endpoint it found.
	 */
	@FunctionalInterface
	interface Selector {

		/**
		 * Whether to yield an endpoint; called on the serving thread for every request
		 * the mapping matched.
		 * @param mapping the mapping that found it
		 * @param messageContext the request's context
		 * @param endpoint the endpoint
		 * @return {@code true} to yield it
		 */
		boolean select(EndpointMapping mapping, MessageContext messageContext, Object endpoint) throws Exception;

	}

}
