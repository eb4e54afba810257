package io.github.cancellablesoap.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cancellablesoap.actuate.health.ServiceHostHealthIndicator;
import io.github.cancellablesoap.autoconfigure.ConditionalOnCancellableSoapEnabled;
import io.github.cancellablesoap.autoconfigure.server.ServiceHostAutoConfiguration;
import io.github.cancellablesoap.server.ServiceHost;
import io.github.cancellablesoap.server.ServiceHosts;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of one health indicator per service host, grouped under
 * {@code soapHosts}; switched off with
 * {@code management.health.soap-hosts.enabled=false}.
 *
 * @author Cancellable SOAP
 */
@AutoConfiguration(after = ServiceHostAutoConfiguration.class)
@ConditionalOnCancellableSoapEnabled
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(ServiceHosts.class)
@ConditionalOnEnabledHealthIndicator("soap-hosts")
public final class ServiceHostHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "soapHostsHealthContributor")
	CompositeHealthContributor soapHostsHealthContributor(ServiceHosts hosts) {
		Map<String, ServiceHost> byName = new LinkedHashMap<>();
		for (ServiceHost host : hosts.all()) {
			byName.put(host.name(), host);
		}
		return CompositeHealthContributor.fromMap(byName, ServiceHostHealthIndicator::new);
	}

}
