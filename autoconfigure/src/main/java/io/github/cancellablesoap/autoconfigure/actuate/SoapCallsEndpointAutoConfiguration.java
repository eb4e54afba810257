package io.github.cancellablesoap.autoconfigure.actuate;

import io.github.cancellablesoap.actuate.endpoint.SoapCallsEndpoint;
import io.github.cancellablesoap.actuate.endpoint.SoapCallsEndpointWebExtension;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.operator.OperatorAutoConfiguration;
import io.github.cancellablesoap.operator.OperatorService;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code soapcalls} actuator endpoint and its web extension,
 * when the endpoint is available (exposed and not switched off). It is read-only unless
 * {@code management.endpoint.soapcalls.access=unrestricted}.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = OperatorAutoConfiguration.class)
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(OperatorService.class)
public final class SoapCallsEndpointAutoConfiguration {

	// The endpoint condition sits on a nested class: its condition class is loaded only
	// once the outer class made sure that the actuator is there.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(SoapCallsEndpoint.class)
	static class Endpoint {

		@Bean
		@ConditionalOnMissingBean
		SoapCallsEndpoint soapCallsEndpoint(OperatorService operator) {
			return new SoapCallsEndpoint(operator);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
		SoapCallsEndpointWebExtension soapCallsEndpointWebExtension(OperatorService operator) {
			return new SoapCallsEndpointWebExtension(operator);
		}

	}

}
