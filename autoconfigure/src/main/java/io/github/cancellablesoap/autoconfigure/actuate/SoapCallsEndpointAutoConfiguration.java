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

/**
 * Auto-configuration of the {@code soapcalls} actuator endpoint and its web extension,
 * when the endpoint is available (exposed and not switched off). It is read-only unless
 * {@code management.endpoint.soapcalls.access=unrestricted}.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = OperatorAutoConfiguration.class)
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnAvailableEndpoint(SoapCallsEndpoint.class)
@ConditionalOnBean(OperatorService.class)
public final class SoapCallsEndpointAutoConfiguration {

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
