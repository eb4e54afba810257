package io.github.cancellablesoap.server;

import java.util.List;

import org.springframework.ws.config.annotation.WsConfigurer;
import org.springframework.ws.server.endpoint.adapter.method.MethodArgumentResolver;

/**
 * Adds the {@link OperationContextArgumentResolver} to Spring WS's annotated endpoint
 * adapter, without replacing the application's (or Spring Boot's) Spring WS setup.
 * <p>
 * Stateless and thread-safe.
 *
 * @author Cancellable SOAP
 */
public final class OperationContextWsConfigurer implements WsConfigurer {

	@Override
	public void addArgumentResolvers(List<MethodArgumentResolver> argumentResolvers) {
		argumentResolvers.add(new OperationContextArgumentResolver());
	}

}
