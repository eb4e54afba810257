package io.github.cancellablesoap.server;

import org.springframework.core.MethodParameter;
import org.springframework.ws.context.MessageContext;
import org.springframework.ws.server.endpoint.adapter.method.MethodArgumentResolver;

/**
 * Resolves endpoint method parameters of type {@link OperationContext} to the context of
 * the operation being served.
 * <p>
 * Stateless and thread-safe. Outside a service host (for example through Spring Boot's
 * own {@code MessageDispatcherServlet}) resolving fails with an
 * {@link IllegalStateException}.
 *
 * @author Cancellable SOAP
 */
public final class OperationContextArgumentResolver implements MethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return OperationContext.class.equals(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MessageContext messageContext, MethodParameter parameter) {
		return OperationContext.current();
	}

}
