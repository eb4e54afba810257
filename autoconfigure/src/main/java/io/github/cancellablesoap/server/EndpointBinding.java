package io.github.cancellablesoap.server;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.ws.server.endpoint.MethodEndpoint;

/**
 * Reads which hosts an endpoint is bound to with {@link HostedBy}, the method's
 * annotation winning over the class's. Stateless and thread-safe.
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

}
