package io.github.cancellablesoap.autoconfigure.web;

import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.operator.OperatorAutoConfiguration;
import io.github.cancellablesoap.operator.OperatorService;
import io.github.cancellablesoap.web.SoapCallsController;
import io.github.cancellablesoap.web.SoapCallsControllerAdvice;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Auto-configuration of the REST abort controller, off unless
 * {@code cancellable-soap.controller.enabled=true}; it answers under
 * {@code cancellable-soap.controller.path} (default {@code /soapcalls}).
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = OperatorAutoConfiguration.class)
@ConditionalOnCancellableSoapEnabled
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ResponseEntityExceptionHandler.class)
@ConditionalOnBooleanProperty("cancellable-soap.controller.enabled")
@ConditionalOnBean(OperatorService.class)
public final class SoapCallsControllerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SoapCallsController soapCallsController(OperatorService operator) {
		return new SoapCallsController(operator);
	}

	@Bean
	@ConditionalOnMissingBean
	SoapCallsControllerAdvice soapCallsControllerAdvice() {
		return new SoapCallsControllerAdvice();
	}

}
