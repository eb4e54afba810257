package io.github.cancellablesoap.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.actuate.health.ServiceProxyHealthIndicator;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.client.ServiceProxyAutoConfiguration;
import io.github.cancellablesoap.client.ServiceProxies;
import io.github.cancellablesoap.client.ServiceProxy;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of one health indicator per service proxy, grouped under
 * {@code soapProxies}; switched off with
 * {@code management.health.soap-proxies.enabled=false}.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = ServiceProxyAutoConfiguration.class)
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(ServiceProxies.class)
@ConditionalOnEnabledHealthIndicator("soap-proxies")
public final class ServiceProxyHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "soapProxiesHealthContributor")
	CompositeHealthContributor soapProxiesHealthContributor(ServiceProxies proxies) {
		Map<String, ServiceProxy> byName = new LinkedHashMap<>();
		for (ServiceProxy proxy : proxies.all()) {
			byName.put(proxy.name(), proxy);
		}
		return CompositeHealthContributor.fromMap(byName, ServiceProxyHealthIndicator::new);
	}

}
