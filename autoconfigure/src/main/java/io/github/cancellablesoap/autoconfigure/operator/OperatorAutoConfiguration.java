package io.github.cancellablesoap.autoconfigure.operator;

import java.util.List;

import io.github.cancellablesoap.actuate.audit.AuditEventOperatorActionListener;
import io.github.cancellablesoap.autoconfigure.CancellableSoapProperties;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.operator.OperatorActionListener;
import io.github.cancellablesoap.operator.OperatorAuthorizer;
import io.github.cancellablesoap.operator.OperatorService;
import io.github.cancellablesoap.operator.SpringSecurityOperatorAuthorizer;
import io.github.cancellablesoap.server.ServiceHosts;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Auto-configuration of the {@link OperatorService} under the {@code soapcalls} endpoint
 * and the abort controller. With a Spring Security filter chain in the context, reads
 * need an authenticated user and writes the role {@code cancellable-soap.operator.role}
 * (default {@code SOAP_OPERATOR}); without one, everybody may read and act, and granting
 * the endpoint write access or enabling the controller is the opt-in. Every write is
 * published as an audit event when the actuator is present and counted in
 * {@code soap.aborts} when a meter registry is.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = { ServiceProxyAutoConfiguration.class, ServiceHostAutoConfiguration.class }, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnCancellableSoapEnabled
@EnableConfigurationProperties(CancellableSoapProperties.class)
public final class OperatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OperatorService operatorService(ObjectProvider<ServiceProxies> proxies, ObjectProvider<ServiceHosts> hosts,
			ObjectProvider<OperatorAuthorizer> authorizer, ObjectProvider<OperatorActionListener> listeners) {
		return new OperatorService(() -> {
			ServiceProxies found = proxies.getIfAvailable();
			return (found != null) ? found.all() : List.of();
		}, () -> {
			ServiceHosts found = hosts.getIfAvailable();
			return (found != null) ? found.all() : List.of();
		}, authorizer.getIfAvailable(() -> OperatorAuthorizer.PERMIT_ALL), listeners.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityContextHolder.class, SecurityFilterChain.class })
	@ConditionalOnBean(SecurityFilterChain.class)
	static class SpringSecurityAuthorization {

		@Bean
		@ConditionalOnMissingBean
		OperatorAuthorizer soapOperatorAuthorizer(CancellableSoapProperties properties) {
			return new SpringSecurityOperatorAuthorizer(properties.getOperator().getRole());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuditApplicationEvent.class)
	static class Audit {

		@Bean
		@ConditionalOnMissingBean
		AuditEventOperatorActionListener soapOperatorAuditListener(ApplicationEventPublisher publisher) {
			return new AuditEventOperatorActionListener(publisher);
		}

	}

}
